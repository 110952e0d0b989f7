using Akka.Streams;
using Akka.TestKit.Xunit2;
using Vtuber.Actors.Voice;
using Vtuber.Speech.Asr;

namespace Vtuber.Actors.Tests.Voice;

public sealed class TranscriberTests : TestKit
{
    /// <summary>A recognizer whose answers the test releases one by one: "heard N samples".</summary>
    private sealed class GatedRecognizer : ISpeechRecognizer
    {
        public SemaphoreSlim Gate { get; } = new(0);
        public int Started;

        public string Name => "gated";

        public async Task<string> TranscribeAsync(ReadOnlyMemory<float> samples16k, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Started);
            await Gate.WaitAsync(cancellationToken);
            return $"heard {samples16k.Length} samples";
        }
    }

    [Fact]
    public async Task One_recognition_at_a_time_and_a_newer_waiting_utterance_replaces_the_older()
    {
        var session = CreateTestProbe();
        var recognizer = new GatedRecognizer();
        var transcriber = Transcriber.Start(session.Ref, TimeSpan.FromMinutes(1), ActorMaterializer.Create(Sys));

        transcriber.Offer(new TranscriptionRequest(recognizer, new float[1], 1, CancellationToken.None));
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref recognizer.Started) == 1));
        transcriber.Offer(new TranscriptionRequest(recognizer, new float[2], 2, CancellationToken.None));
        transcriber.Offer(new TranscriptionRequest(recognizer, new float[3], 3, CancellationToken.None));
        recognizer.Gate.Release(2);

        Assert.Equal(new UtteranceTranscribed(1, "heard 1 samples", null), await session.ExpectMsgAsync<UtteranceTranscribed>());
        Assert.Equal(new UtteranceTranscribed(3, "heard 3 samples", null), await session.ExpectMsgAsync<UtteranceTranscribed>());
        await session.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(2, recognizer.Started);
    }

    [Fact]
    public async Task A_cancelled_recognition_answers_cancelled_and_the_stage_keeps_working()
    {
        var session = CreateTestProbe();
        var recognizer = new GatedRecognizer();
        var transcriber = Transcriber.Start(session.Ref, TimeSpan.FromMinutes(1), ActorMaterializer.Create(Sys));
        using var interrupted = new CancellationTokenSource();

        transcriber.Offer(new TranscriptionRequest(recognizer, new float[1], 1, interrupted.Token));
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref recognizer.Started) == 1));
        await interrupted.CancelAsync();
        Assert.Equal(new UtteranceTranscribed(1, "", "cancelled"), await session.ExpectMsgAsync<UtteranceTranscribed>());

        transcriber.Offer(new TranscriptionRequest(recognizer, new float[5], 2, CancellationToken.None));
        recognizer.Gate.Release();
        Assert.Equal(new UtteranceTranscribed(2, "heard 5 samples", null), await session.ExpectMsgAsync<UtteranceTranscribed>());
    }

    [Fact]
    public async Task A_recognition_past_its_deadline_answers_with_the_engine_and_the_bound_and_the_stage_keeps_working()
    {
        var session = CreateTestProbe();
        var recognizer = new GatedRecognizer(); // never released for the first utterance
        var transcriber = Transcriber.Start(session.Ref, TimeSpan.FromMilliseconds(300), ActorMaterializer.Create(Sys));

        transcriber.Offer(new TranscriptionRequest(recognizer, new float[1], 1, CancellationToken.None));
        Assert.Equal(new UtteranceTranscribed(1, "", "Speech recognition failed: ASR gated gave no transcript within 0.3 s"),
            await session.ExpectMsgAsync<UtteranceTranscribed>());

        recognizer.Gate.Release();
        transcriber.Offer(new TranscriptionRequest(recognizer, new float[4], 2, CancellationToken.None));
        Assert.Equal(new UtteranceTranscribed(2, "heard 4 samples", null), await session.ExpectMsgAsync<UtteranceTranscribed>());
    }
}
