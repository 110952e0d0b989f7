using System.Buffers;
using Akka.Streams;
using Akka.TestKit.Xunit2;
using Vtuber.Actors.Voice;
using Vtuber.Domain.Config;
using Vtuber.Domain.Vad;
using Vtuber.Protocol;
using Vtuber.Speech.Vad;

namespace Vtuber.Actors.Tests.Voice;

public sealed class VadBatcherTests() : TestKit(VadAudio.VadHocon())
{
    [Fact]
    public async Task Windows_from_concurrent_sessions_are_batched_and_come_back_to_their_session_in_order()
    {
        const int sessions = 12;
        // Each session streams different audio, so a probability or state given to the wrong session, or out of
        // order, differs from what that session's audio gives when run alone.
        var audio = Enumerable.Range(0, sessions)
            .Select(i => VadAudio.Windows(VadAudio.Silence(0.05 * i).Concat(i % 3 == 2 ? VadAudio.Noise(3, 0.3f, i) : VadAudio.Speech()).ToArray())[..90])
            .ToArray();
        var expected = new float[sessions][];
        using (var alone = new SileroVad(SileroVad.DefaultModelPath, 1))
        {
            for (var s = 0; s < sessions; s++)
            {
                var state = new float[SileroVad.StateSize];
                expected[s] = new float[audio[s].Count];
                for (var w = 0; w < audio[s].Count; w++)
                {
                    alone.Run([audio[s][w]], [state], expected[s].AsSpan(w, 1));
                }
            }
        }

        var batcher = VadBatcher.For(Sys);
        var results = await Task.WhenAll(Enumerable.Range(0, sessions).Select(s => Task.Run(async () =>
        {
            var stream = new VadStream();
            var got = new List<float>();
            foreach (var window in audio[s])
            {
                got.Add(await batcher.InferAsync(stream, window));
            }
            return got;
        })));

        for (var s = 0; s < sessions; s++)
        {
            Assert.Equal(expected[s].Length, results[s].Count);
            for (var w = 0; w < expected[s].Length; w++)
            {
                Assert.Equal(expected[s][w], results[s][w], 1e-5f);
            }
        }
        var stats = batcher.Stats;
        Assert.Equal(sessions * 90L, stats.Windows);
        Assert.True(stats.LargestBatch > 1, $"largest batch {stats.LargestBatch}");
        Assert.True(stats.Runs < stats.Windows, $"{stats.Runs} runs for {stats.Windows} windows");
    }

    [Fact]
    public async Task A_stream_refuses_a_second_window_while_one_is_in_flight()
    {
        var batcher = VadBatcher.For(Sys);
        var stream = new VadStream();
        var first = batcher.InferAsync(stream, new float[VadWindow.Samples]);
        var second = batcher.InferAsync(stream, new float[VadWindow.Samples]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => second);
        Assert.InRange(await first, 0f, 0.2f);
    }

    [Fact]
    public async Task A_session_graph_reports_speech_start_then_an_utterance_of_floats_from_real_time_sized_chunks()
    {
        var session = CreateTestProbe();
        var input = RawAudioInput.Start(VadBatcher.For(Sys), new SileroVadConfig(), session.Ref, ActorMaterializer.Create(Sys));
        var speech = VadAudio.Speech();
        var stream = VadAudio.Silence(1).Concat(speech).Concat(VadAudio.Silence(2.5)).ToArray();
        for (var offset = 0; offset < stream.Length; offset += 4096) // not multiples of 512 at the end: carried over
        {
            var count = Math.Min(4096, stream.Length - offset);
            await input.OfferAsync(new RawAudioData(AudioSamples.CopyOf(stream.AsSpan(offset, count))));
        }

        await session.ExpectMsgAsync<SpeechStarted>(TimeSpan.FromSeconds(30));
        var ended = await session.ExpectMsgAsync<SpeechEnded>(TimeSpan.FromSeconds(30));
        var utterance = ended.Utterance!;
        // At least the speech itself, at most everything streamed plus the doubled start window.
        Assert.InRange(utterance.Samples16k.Length, speech.Length * 0.9, stream.Length + VadWindow.Samples);
        Assert.All(utterance.Samples16k, s => Assert.InRange(s, -1f, 1f));
        Assert.Contains(utterance.Samples16k, s => Math.Abs(s) > 0.1f); // the speech is in it, unscaled
        await session.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        input.Complete();
    }
}
