using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vtuber.Speech.Asr;

namespace Vtuber.Actors.Voice;

/// <summary>One utterance to recognise for turn TurnId, with the recognizer of the session's character at that time.</summary>
public sealed record TranscriptionRequest(ISpeechRecognizer Recognizer, float[] Samples16k, long TurnId,
    CancellationToken Cancellation);

/// <summary>
/// The ASR stage of a session's audio graph: utterances in, <see cref="UtteranceTranscribed"/> told to the session.
/// One recognition runs at a time (SelectAsync 1). Overflow policy: one utterance may wait, and a newer one replaces
/// it (DropHead) — a newer utterance always opens a newer turn, which has already interrupted the older one, so the
/// dropped request's answer would be discarded anyway. Memory stays at two utterances per session at most.
/// </summary>
public sealed class Transcriber
{
    private readonly ISourceQueueWithComplete<TranscriptionRequest> _queue;

    private Transcriber(ISourceQueueWithComplete<TranscriptionRequest> queue) => _queue = queue;

    /// <param name="timeout">The deadline of each recognition (system_config.turn.asr_timeout_seconds).</param>
    public static Transcriber Start(IActorRef session, TimeSpan timeout, IMaterializer materializer) =>
        new(Source.Queue<TranscriptionRequest>(1, OverflowStrategy.DropHead)
            .SelectAsync(1, r => Transcription.RunAsync(r.Recognizer, r.Samples16k, r.TurnId, timeout, r.Cancellation))
            .ToMaterialized(Sink.ForEach<UtteranceTranscribed>(t => session.Tell(t)), Keep.Left)
            .Run(materializer));

    /// <summary>Never waits: with DropHead the queue always takes the newest request.</summary>
    public void Offer(TranscriptionRequest request) => _ = _queue.OfferAsync(request);

    public void Complete() => _queue.Complete();
}
