using System.Buffers;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Vtuber.Actors.Telemetry;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Text;
using Vtuber.Protocol;
using Vtuber.Speech;
using Vtuber.Speech.Translation;
using Vtuber.Speech.Tts;

namespace Vtuber.Actors.Turns;

/// <summary>
/// A sentence turned into its audio frame; TtsError says why a sentence that should have sound is silent,
/// TranslationError why it was spoken untranslated.
/// </summary>
public sealed record RenderedSentence(SentenceOutput Sentence, byte[] Frame, bool Voiced, string? TtsError = null,
    string? TranslationError = null);

/// <summary>
/// One sentence → one `audio` message (olv-protocol.md 2.7): synthesise, encode PCM16 WAV + 20 ms volumes.
/// Empty TTS text, an all-zero clip or an engine failure give a silent payload, as OLV does, so one bad sentence
/// never ends the turn; a failure is also reported to the client in an error frame. Each sentence's synthesis has a
/// deadline (system_config.turn.tts_timeout_seconds): an engine that never answers makes that sentence silent too.
/// With a translator (translator_config), the TTS speaks the translation while the frame's display text keeps the
/// original; a failed translation (the same deadline bounds it) speaks the original and says why.
/// </summary>
public sealed class SentenceRenderer(ITtsEngine tts, TimeSpan ttsTimeout, ITranslator? translator = null)
{
    public const int SliceLength = 20;

    public async Task<RenderedSentence> RenderAsync(SentenceOutput sentence, CancellationToken cancellationToken)
    {
        if (SilentText.IsSilent(sentence.TtsText))
        {
            return Silent(sentence);
        }
        var (spoken, translationError) = await TranslateAsync(sentence.TtsText, cancellationToken);
        if (SilentText.IsSilent(spoken))
        {
            return Silent(sentence) with { TranslationError = translationError };
        }
        Pcm16Audio audio;
        try
        {
            var started = Stopwatch.GetTimestamp();
            audio = await Deadline.RunAsync(ct => tts.SynthesizeAsync(spoken, ct), ttsTimeout, cancellationToken);
            VtuberMetrics.TtsSentence.Record(VtuberMetrics.SecondsSince(started),
                new KeyValuePair<string, object?>(VtuberMetrics.EngineTag, tts.Name));
        }
        catch (DeadlineExceededException e)
        {
            VtuberMetrics.Error(VtuberMetrics.ErrorKind.Tts);
            return Silent(sentence) with
            {
                TtsError = $"TTS {tts.Name} gave no audio within {e.BoundSeconds} s for sentence '{spoken}'",
                TranslationError = translationError,
            };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            VtuberMetrics.Error(VtuberMetrics.ErrorKind.Tts);
            return Silent(sentence) with
            {
                TtsError = $"TTS {tts.Name} failed for \"{spoken}\": {e.Message}",
                TranslationError = translationError,
            };
        }
        var volumes = VolumeEnvelope.Compute(audio, SliceLength);
        if (volumes.Count == 0)
        {
            return Silent(sentence) with { TranslationError = translationError };
        }
        return new RenderedSentence(sentence, AudioFrame(audio, volumes, sentence), Voiced: true,
            TranslationError: translationError);
    }

    private async Task<(string Spoken, string? Error)> TranslateAsync(string text, CancellationToken cancellationToken)
    {
        if (translator is null) return (text, null);
        try
        {
            return (await Deadline.RunAsync(ct => translator.TranslateAsync(text, ct), ttsTimeout, cancellationToken), null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            VtuberMetrics.Error(VtuberMetrics.ErrorKind.Translation);
            return (text, $"Translation by {translator.Name} failed, the original text is spoken: {e.Message}");
        }
    }

    // The WAV lives only until its base64 is in the frame, so it is a pooled buffer, not an allocation per sentence.
    private static byte[] AudioFrame(Pcm16Audio audio, IReadOnlyList<double> volumes, SentenceOutput sentence)
    {
        var length = WavEncoder.EncodedLength(audio);
        var wav = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            WavEncoder.EncodeTo(audio, wav);
            return AudioFrameJson.Serialize(wav.AsSpan(0, length), volumes, SliceLength, Display(sentence),
                Actions(sentence.Actions), forwarded: false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(wav);
        }
    }

    public static RenderedSentence Silent(SentenceOutput sentence)
    {
        var message = new AudioMessage(null, [], SliceLength, Display(sentence), Actions(sentence.Actions), Forwarded: false);
        return new RenderedSentence(sentence, ServerMessageJson.Serialize(message), Voiced: false);
    }

    private static DisplayTextPayload Display(SentenceOutput sentence) =>
        new(sentence.Display.Text, sentence.Display.Name, sentence.Display.Avatar);

    private static ActionsPayload Actions(SentenceActions actions)
    {
        if (actions.Expressions.Count == 0)
        {
            return ActionsPayload.None;
        }
        var expressions = new JsonArray();
        foreach (var expression in actions.Expressions)
        {
            expressions.Add(expression.Index is { } index ? JsonValue.Create(index) : JsonValue.Create(expression.Name));
        }
        return new ActionsPayload(expressions);
    }
}
