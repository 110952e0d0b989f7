using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vtuber.Domain.Config;
using Vtuber.Domain.Vad;
using Vtuber.Protocol;

namespace Vtuber.Actors.Voice;

/// <summary>
/// One session's raw-audio-data graph: chunks → 512-sample windows (partial ones carried over) → the node's
/// VadBatcher → this session's SpeechDetector → VadEvents told to the session. The detector and the Silero state
/// belong to this session alone.
/// Bounds: the input queue holds <see cref="QueuedChunks"/> chunks and backpressures (OfferAsync waits, so the
/// socket reader, which awaits it, stops reading); one window at a time is in the batcher; the detector's recording
/// is capped at 60 s. Nothing is shed: a client that sends faster than real time is simply read more slowly.
/// </summary>
public sealed class RawAudioInput
{
    /// <summary>Chunks accepted ahead of the VAD (each ~4096 samples = 256 ms at the frontend's chunk size).</summary>
    public const int QueuedChunks = 2;

    private readonly ISourceQueueWithComplete<RawAudioData> _queue;

    private RawAudioInput(ISourceQueueWithComplete<RawAudioData> queue, Task completion)
    {
        _queue = queue;
        Completion = completion;
    }

    /// <summary>Completes when the graph stops: normally after Complete, faulted when the VAD failed.</summary>
    public Task Completion { get; }

    public static RawAudioInput Start(VadBatcher batcher, SileroVadConfig options, IActorRef session, IMaterializer materializer)
    {
        var assembler = new WindowAssembler();
        var detector = new SpeechDetector(options);
        var stream = new VadStream();
        var (queue, completion) = Source.Queue<RawAudioData>(QueuedChunks, OverflowStrategy.Backpressure)
            .SelectMany(chunk =>
            {
                try
                {
                    return assembler.Append(chunk.Samples.Span);
                }
                finally
                {
                    chunk.Samples.Dispose(); // the samples are copied into windows: the pooled buffer goes back now
                }
            })
            .SelectAsync(1, async window => (Window: window, Probability: await batcher.InferAsync(stream, window)))
            // Most windows change nothing; streams carry no nulls, so those windows yield no element.
            .SelectMany(w => detector.Process(w.Window, w.Probability) is { } e ? [e] : Array.Empty<VadEvent>())
            .ToMaterialized(Sink.ForEach<VadEvent>(e => session.Tell(e)), Keep.Both)
            .Run(materializer);
        return new RawAudioInput(queue, completion);
    }

    /// <summary>Completes once the chunk is queued; waits while the VAD is behind (backpressure).</summary>
    public async Task OfferAsync(RawAudioData chunk)
    {
        var result = await _queue.OfferAsync(chunk);
        if (result is not QueueOfferResult.Enqueued)
        {
            chunk.Samples.Dispose();
            if (result is QueueOfferResult.Failure failure)
            {
                throw new InvalidOperationException("the session's VAD stream failed", failure.Cause);
            }
        }
    }

    /// <summary>Ends the graph after the queued chunks (session stopped or VAD turned off).</summary>
    public void Complete() => _queue.Complete();
}
