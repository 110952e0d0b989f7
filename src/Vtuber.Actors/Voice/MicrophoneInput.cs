using System.Globalization;
using Vtuber.Domain.Config;
using Vtuber.Protocol;

namespace Vtuber.Actors.Voice;

/// <summary>
/// The frontend path of voice input (olv-protocol.md 2.4, 2.19 c): mic-audio-data frames are buffered until
/// mic-audio-end takes them as one utterance. An utterance longer than system_config.voice.max_utterance_seconds is
/// dropped at once with an error, and the frames after it are ignored until its mic-audio-end, so the memory a
/// client can hold is bounded. Pure logic for the session actor; not thread-safe.
/// </summary>
public sealed class MicrophoneInput(VoiceOptions options)
{
    public const int SampleRate = 16000;

    private readonly UtteranceBuffer _buffer = new((int)Math.Min(int.MaxValue, options.MaxUtteranceSeconds * SampleRate));
    private bool _dropped;

    /// <summary>Buffers one frame (and gives its pooled array back); returns the error to send when the cap is crossed.</summary>
    public string? Add(AudioSamples samples)
    {
        using (samples)
        {
            if (_dropped || _buffer.TryAppend(samples.Span))
            {
                return null;
            }
            _dropped = true;
            _buffer.Clear();
            return $"Voice input dropped: the utterance is longer than {Seconds(options.MaxUtteranceSeconds)} s " +
                   "(system_config.voice.max_utterance_seconds)";
        }
    }

    /// <summary>mic-audio-end: the buffered utterance, or why there is none; the buffer is empty afterwards.</summary>
    public MicrophoneUtterance End()
    {
        if (_dropped)
        {
            _dropped = false;
            return new MicrophoneUtterance([], $"No speech to answer: the utterance was dropped for being longer than " +
                                               $"{Seconds(options.MaxUtteranceSeconds)} s");
        }
        return _buffer.Count == 0
            ? new MicrophoneUtterance([], "No speech to answer: mic-audio-end came without any mic-audio-data")
            : new MicrophoneUtterance(_buffer.Take(), null);
    }

    /// <summary>Drops whatever is buffered and gives the pooled memory back (the session is ending).</summary>
    public void Clear() => _buffer.Clear();

    private static string Seconds(double seconds) => seconds.ToString("0.####", CultureInfo.InvariantCulture);
}

/// <summary>What mic-audio-end yields: the samples, or (when Refusal is set) the reason no turn can start from it.</summary>
public sealed record MicrophoneUtterance(float[] Samples16k, string? Refusal);
