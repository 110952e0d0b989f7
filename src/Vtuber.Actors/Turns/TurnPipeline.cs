using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Util;
using System.Diagnostics;
using Vtuber.Actors.Sessions;
using Vtuber.Actors.Telemetry;
using Vtuber.Agents;
using Vtuber.Domain.Text;
using Vtuber.Protocol;

namespace Vtuber.Actors.Turns;

/// <summary>
/// What a turn produced, filled in by its stream and read by the session after the stream's completion task
/// finished (the task's completion orders the writes before the reads).
/// </summary>
public sealed class TurnTranscript
{
    private readonly System.Text.StringBuilder _rawReply = new();
    private readonly List<string> _displayTexts = [];
    // When the turn's input arrived (the transcript is made when the turn opens): the start of first-audio time.
    private readonly long _openedAt = Stopwatch.GetTimestamp();

    /// <summary>The LLM text exactly as streamed (tags included): what the agent's memory keeps.</summary>
    public string RawReply => _rawReply.ToString();
    /// <summary>display_text.text of every sentence whose frame was handed to the socket writer, in order.</summary>
    public IReadOnlyList<string> DisplayTexts => _displayTexts;
    /// <summary>Frames that carried audio: when 0 there is no backend-synth-complete and no playback wait (as OLV).</summary>
    public int VoicedFrames { get; private set; }

    internal void AppendRaw(string token) => _rawReply.Append(token);

    internal void Sent(RenderedSentence sentence)
    {
        _displayTexts.Add(sentence.Sentence.Display.Text);
        if (sentence.Voiced)
        {
            if (VoicedFrames == 0)
            {
                VtuberMetrics.TurnFirstAudio.Record(VtuberMetrics.SecondsSince(_openedAt));
            }
            VoicedFrames++;
        }
    }
}

/// <summary>
/// The turn graph: LLM tokens → sentence shaping → TTS (bounded parallelism, order kept by SelectAsync) → kill
/// switch → socket writer. Backpressure runs end to end: the writer awaits the socket's queue, SelectAsync pulls at
/// most <c>ttsParallelism</c> sentences ahead, and the LLM stream is read only as fast as sentences are consumed.
/// </summary>
public static class TurnPipeline
{
    public static (UniqueKillSwitch KillSwitch, Task Completion) Run(
        long turnId,
        Func<CancellationToken, IAsyncEnumerable<string>> replyTokens,
        ShaperOptions shaperOptions,
        SentenceRenderer renderer,
        int ttsParallelism,
        IClientConnection connection,
        TurnTranscript transcript,
        IMaterializer materializer,
        CancellationToken cancellationToken)
    {
        // A translator that is down fails every sentence the same way: the client hears of it once per turn.
        var translationErrorSent = false;
        var requestedAt = Stopwatch.GetTimestamp();
        var firstToken = true;
        var run = Source.From(() => replyTokens(cancellationToken))
            .Select(token =>
            {
                if (firstToken)
                {
                    firstToken = false;
                    VtuberMetrics.LlmFirstToken.Record(VtuberMetrics.SecondsSince(requestedAt));
                }
                transcript.AppendRaw(token);
                return Option<string>.Create(token);
            })
            // None marks the end of the LLM stream so the shaper can flush its last sentence (streams carry no nulls).
            .Concat(Source.Single(Option<string>.None))
            .StatefulSelectMany<Option<string>, SentenceOutput, NotUsed>(() =>
            {
                var shaper = new SentenceShaper(shaperOptions);
                // A tool pause ends the segment like the end of the stream does, and the stream goes on.
                return token => token.HasValue && token.Value != ChatAgent.ToolPause ? shaper.Push(token.Value) : shaper.Complete();
            })
            .SelectAsync(ttsParallelism, sentence => renderer.RenderAsync(sentence, cancellationToken))
            // After TTS, so shutting it down cancels the LLM and TTS upstream and stops frames at once.
            .ViaMaterialized(KillSwitches.Single<RenderedSentence>(), Keep.Right)
            .SelectAsync(1, async rendered =>
            {
                try
                {
                    await WriteAsync(rendered);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // An interrupt: the frame was not wanted any more. Ending quietly keeps a routine cancel out of
                    // the error log (the turn's own completion is ignored by then).
                }
                return NotUsed.Instance;
            })
            .ToMaterialized(Sink.Ignore<NotUsed>(), Keep.Both)
            .Run(materializer);
        return run;

        async Task WriteAsync(RenderedSentence rendered)
        {
            if (rendered.TranslationError is { } translationError && !translationErrorSent)
            {
                translationErrorSent = true;
                await connection.EnqueueTurnFrameAsync(
                    new OutboundFrame(turnId, ServerMessageJson.Serialize(new ErrorMessage(translationError))),
                    cancellationToken);
            }
            if (rendered.TtsError is { } error)
            {
                await connection.EnqueueTurnFrameAsync(
                    new OutboundFrame(turnId, ServerMessageJson.Serialize(new ErrorMessage(error))), cancellationToken);
            }
            if (await connection.EnqueueTurnFrameAsync(new OutboundFrame(turnId, rendered.Frame), cancellationToken))
            {
                transcript.Sent(rendered);
            }
        }
    }
}
