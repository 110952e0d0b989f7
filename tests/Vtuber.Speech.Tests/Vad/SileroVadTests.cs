using Vtuber.Domain.Vad;
using Vtuber.Speech.Audio;
using Vtuber.Speech.Vad;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Vad;

public sealed class SileroVadTests : IDisposable
{
    private readonly SileroVad _vad = new(SileroVad.DefaultModelPath, maxBatch: 8);

    public void Dispose() => _vad.Dispose();

    internal static float[] Speech16k() =>
        AudioDecoder.Decode(TestAssets.Read(TestAssets.Speech16kWav)).Samples.Select(s => s / 32768f).ToArray();

    internal static float[] Silence(double seconds) => new float[(int)(seconds * VadWindow.SampleRate)];

    internal static float[] WhiteNoise(double seconds, float amplitude, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, (int)(seconds * VadWindow.SampleRate))
            .Select(_ => (float)(random.NextDouble() * 2 - 1) * amplitude).ToArray();
    }

    internal static List<float[]> Windows(float[] samples) => new WindowAssembler().Append(samples);

    private float[] RunAlone(IReadOnlyList<float[]> windows)
    {
        var state = new float[SileroVad.StateSize];
        var probabilities = new float[windows.Count];
        for (var i = 0; i < windows.Count; i++)
        {
            _vad.Run([windows[i]], [state], probabilities.AsSpan(i, 1));
        }
        return probabilities;
    }

    [Fact]
    public void Speech_is_detected_where_espeak_speaks_and_not_in_silence_or_noise()
    {
        var speech = Speech16k();
        var stream = Silence(1.5).Concat(speech).Concat(Silence(1.5)).Concat(WhiteNoise(2, 0.3f, seed: 7)).ToArray();
        var p = RunAlone(Windows(stream));

        var speechStart = (int)(1.5 * VadWindow.SampleRate) / VadWindow.Samples;
        var speechEnd = speechStart + speech.Length / VadWindow.Samples;
        var noiseStart = speechEnd + (int)(1.5 * VadWindow.SampleRate) / VadWindow.Samples + 1;

        Assert.All(p[..speechStart], x => Assert.True(x < 0.2, $"leading silence p={x}"));
        var inSpeech = p[speechStart..speechEnd];
        Assert.True(inSpeech.Count(x => x > 0.5) > 0.7 * inSpeech.Length,
            $"speech windows above 0.5: {inSpeech.Count(x => x > 0.5)} of {inSpeech.Length}");
        // Silero's probability decays over a few windows after speech; from 0.5 s on, the trailing silence is quiet.
        Assert.All(p[(speechEnd + 16)..noiseStart], x => Assert.True(x < 0.2, $"trailing silence p={x}"));
        Assert.All(p[noiseStart..], x => Assert.True(x < 0.5, $"white noise p={x}"));
    }

    [Fact]
    public void Eight_identical_streams_in_one_batch_give_the_probabilities_of_one_stream_alone()
    {
        var windows = Windows(Silence(0.3).Concat(Speech16k()[..24000]).ToArray());
        var alone = RunAlone(windows);

        var states = Enumerable.Range(0, 8).Select(_ => new float[SileroVad.StateSize]).ToArray();
        var batched = new float[8];
        for (var i = 0; i < windows.Count; i++)
        {
            _vad.Run(Enumerable.Repeat(windows[i], 8).ToArray(), states, batched);
            Assert.All(batched, x => Assert.Equal(alone[i], x, 1e-6f));
        }
        Assert.Contains(alone, x => x > 0.5); // the comparison covered speech, not only silence
    }

    [Fact]
    public void Different_streams_batched_together_each_keep_their_own_state()
    {
        // Different content per slot: a mix-up of states between slots would change the probabilities.
        var speech = Windows(Speech16k());
        var noise = Windows(WhiteNoise(3, 0.3f, seed: 3));
        var late = Windows(Silence(0.5).Concat(Speech16k()).ToArray());
        var n = Math.Min(speech.Count, Math.Min(noise.Count, late.Count));
        var expected = new[] { RunAlone(speech[..n]), RunAlone(noise[..n]), RunAlone(late[..n]) };

        var states = Enumerable.Range(0, 3).Select(_ => new float[SileroVad.StateSize]).ToArray();
        var batched = new float[3];
        for (var i = 0; i < n; i++)
        {
            _vad.Run([speech[i], noise[i], late[i]], states, batched);
            for (var s = 0; s < 3; s++)
            {
                Assert.Equal(expected[s][i], batched[s], 1e-5f);
            }
        }
    }
}
