using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tests.Audio;

public sealed class AudioPostProcessorTests : IDisposable
{
    private readonly ToolAudio _tools = new();
    private readonly Pcm16Audio _speech;

    public AudioPostProcessorTests()
    {
        _speech = AudioDecoder.Decode(_tools.Make("speech.wav", "espeak-ng", "-v", "en-us", "-w",
            _tools.PathOf("speech.wav"), "Hello there, how are you today?"));
    }

    public void Dispose() => _tools.Dispose();

    [Fact]
    public void Trimming_removes_padded_silence_and_keeps_every_loud_sample()
    {
        var padded = AudioDecoder.Decode(_tools.Make("padded.wav", "sox", _tools.PathOf("speech.wav"),
            _tools.PathOf("padded.wav"), "pad", "1.5", "2"));
        Assert.InRange(padded.Duration.TotalSeconds, _speech.Duration.TotalSeconds + 3.49, _speech.Duration.TotalSeconds + 3.51);

        var trimmed = new AudioPostProcessor(new TtsPostProcessingConfig
        {
            TrimSilence = true, TrimThresholdDbfs = -50, TrimKeepMs = 50,
        }).Process(padded);

        // Shorter than the speech itself plus the two kept margins, and no louder sample lost.
        Assert.True(trimmed.Duration.TotalSeconds <= _speech.Duration.TotalSeconds + 0.1,
            $"trimmed {trimmed.Duration} vs speech {_speech.Duration}");
        Assert.Equal(Energy(padded), Energy(trimmed));
        Assert.Equal(padded.SampleRate, trimmed.SampleRate);
        // The kept margin: exactly 50 ms (1102 frames at 22050 Hz) of quiet before the first loud sample.
        var firstLoud = Array.FindIndex(trimmed.Samples, s => Math.Abs((int)s) >= 32768 * Math.Pow(10, -50 / 20.0));
        Assert.Equal(1102, firstLoud);
    }

    [Fact]
    public void Resampling_22050_to_16000_keeps_duration_and_matches_sox()
    {
        var soxReference = AudioDecoder.Decode(_tools.Make("sox16k.wav", "sox", _tools.PathOf("speech.wav"),
            "-r", "16000", _tools.PathOf("sox16k.wav")));

        var resampled = new AudioPostProcessor(new TtsPostProcessingConfig { SampleRate = 16000 }).Process(_speech);

        Assert.Equal(16000, resampled.SampleRate);
        Assert.Equal(1, resampled.Channels);
        Assert.InRange(resampled.Duration.TotalSeconds, _speech.Duration.TotalSeconds - 0.01, _speech.Duration.TotalSeconds + 0.01);
        Assert.True(BestCorrelation(resampled.Samples, soxReference.Samples, maxLag: 64) > 0.97,
            "the WDL resampler's output should match sox's resampling of the same speech");
    }

    [Fact]
    public void Normalising_lifts_a_quiet_clip_to_the_target_peak()
    {
        var quiet = AudioDecoder.Decode(_tools.Make("quiet.wav", "sox", _tools.PathOf("speech.wav"),
            _tools.PathOf("quiet.wav"), "vol", "0.1"));
        Assert.True(Peak(quiet) < 4000);

        var normalised = new AudioPostProcessor(new TtsPostProcessingConfig { NormalizeDbfs = -1 }).Process(quiet);

        Assert.InRange(Peak(normalised), 29203, 29205); // 32767 × 10^(-1/20)
        Assert.Equal(quiet.Samples.Length, normalised.Samples.Length);
        Assert.True(BestCorrelation(quiet.Samples, normalised.Samples, maxLag: 0) > 0.9999);
    }

    [Fact]
    public void Silence_is_left_alone_by_every_step()
    {
        var silence = new Pcm16Audio(new short[22050], 22050, 1);

        var processed = new AudioPostProcessor(new TtsPostProcessingConfig
        {
            TrimSilence = true, NormalizeDbfs = -3,
        }).Process(silence);

        Assert.Equal(silence.Samples, processed.Samples);
    }

    [Fact]
    public void Stereo_is_resampled_per_channel()
    {
        var stereo = AudioDecoder.Decode(Vtuber.Testing.TestAssets.Read("sine440-660-s16-48k-stereo.wav"));

        var resampled = AudioPostProcessor.Resample(stereo, 24000);

        Assert.Equal(2, resampled.Channels);
        Assert.Equal(0, resampled.Samples.Length % 2);
        Assert.InRange(resampled.Duration.TotalSeconds, 0.099, 0.101);
        // Left stays 440 Hz and right 660 Hz: count zero crossings of each channel over the middle 50 ms.
        Assert.InRange(ZeroCrossings(resampled.Samples, 0, 600, 1800), 42, 46);
        Assert.InRange(ZeroCrossings(resampled.Samples, 1, 600, 1800), 64, 68);
    }

    private static double Energy(Pcm16Audio audio) => audio.Samples.Sum(s => (double)s * s);

    private static int Peak(Pcm16Audio audio) => audio.Samples.Max(s => Math.Abs((int)s));

    private static int ZeroCrossings(short[] interleaved, int channel, int fromFrame, int toFrame)
    {
        var crossings = 0;
        for (var f = fromFrame + 1; f < toFrame; f++)
            if (interleaved[(f - 1) * 2 + channel] < 0 != interleaved[f * 2 + channel] < 0)
                crossings++;
        return crossings;
    }

    private static double BestCorrelation(short[] a, short[] b, int maxLag)
    {
        var best = double.MinValue;
        for (var lag = -maxLag; lag <= maxLag; lag++)
        {
            double ab = 0, aa = 0, bb = 0;
            for (var i = Math.Max(0, -lag); i < a.Length && i + lag < b.Length; i++)
            {
                ab += (double)a[i] * b[i + lag];
                aa += (double)a[i] * a[i];
                bb += (double)b[i + lag] * b[i + lag];
            }
            best = Math.Max(best, ab / Math.Sqrt(aa * bb));
        }
        return best;
    }
}
