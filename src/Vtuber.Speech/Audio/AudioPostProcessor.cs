using System.Buffers;
using NAudio.Wave;
using NAudio.Wave.SampleProviders;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;

namespace Vtuber.Speech.Audio;

/// <summary>
/// tts_config.post_processing applied to one sentence's audio: trim leading/trailing silence, resample (NAudio's
/// WDL resampler), then normalise the peak. Normalising comes last so that the resampler's overshoot cannot clip.
/// </summary>
public sealed class AudioPostProcessor(TtsPostProcessingConfig config)
{
    private const int ReadBlockFrames = 4096;

    /// <summary>Whether any step is switched on (when none is, engines are used undecorated).</summary>
    public bool IsActive => config.SampleRate is not null || config.NormalizeDbfs is not null || config.TrimSilence;

    public Pcm16Audio Process(Pcm16Audio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        if (config.TrimSilence)
            audio = TrimSilence(audio, config.TrimThresholdDbfs, TimeSpan.FromMilliseconds(config.TrimKeepMs));
        if (config.SampleRate is { } rate && rate != audio.SampleRate)
            audio = Resample(audio, rate);
        if (config.NormalizeDbfs is { } dbfs)
            audio = NormalizePeak(audio, dbfs);
        return audio;
    }

    /// <summary>Cuts frames quieter than the threshold from both ends, keeping <paramref name="keep"/> of them as a margin.</summary>
    public static Pcm16Audio TrimSilence(Pcm16Audio audio, double thresholdDbfs, TimeSpan keep)
    {
        var threshold = 32768 * Math.Pow(10, thresholdDbfs / 20);
        var channels = audio.Channels;
        var frames = audio.Samples.Length / channels;
        var first = -1;
        var last = -1;
        for (var frame = 0; frame < frames; frame++)
        {
            if (!IsLoud(audio.Samples, frame, channels, threshold)) continue;
            if (first < 0) first = frame;
            last = frame;
        }
        if (first < 0)
            return audio; // nothing but silence: the renderer sends it as a silent payload
        var margin = (int)(keep.TotalSeconds * audio.SampleRate);
        var start = Math.Max(0, first - margin);
        var end = Math.Min(frames, last + 1 + margin);
        return audio with { Samples = audio.Samples[(start * channels)..(end * channels)] };
    }

    private static bool IsLoud(short[] samples, int frame, int channels, double threshold)
    {
        for (var c = 0; c < channels; c++)
            if (Math.Abs((int)samples[frame * channels + c]) >= threshold)
                return true;
        return false;
    }

    public static Pcm16Audio Resample(Pcm16Audio audio, int sampleRate)
    {
        var resampler = new WdlResamplingSampleProvider(new Pcm16SampleProvider(audio), sampleRate);
        var expected = (int)((long)audio.Samples.Length * sampleRate / audio.SampleRate) + audio.Channels;
        var output = new ArrayBufferWriter<short>(expected);
        var block = new float[ReadBlockFrames * audio.Channels];
        int read;
        while ((read = resampler.Read(block)) > 0)
            AudioDecoder.AppendAsPcm16(output, block.AsSpan(0, read));
        return new Pcm16Audio(AudioDecoder.WholeFrames(output.WrittenSpan.ToArray(), audio.Channels), sampleRate, audio.Channels);
    }

    /// <summary>Scales so the loudest sample sits at <paramref name="peakDbfs"/>; silence stays silence.</summary>
    public static Pcm16Audio NormalizePeak(Pcm16Audio audio, double peakDbfs)
    {
        var peak = 0;
        foreach (var sample in audio.Samples)
            peak = Math.Max(peak, Math.Abs((int)sample));
        if (peak == 0)
            return audio;
        var gain = 32767 * Math.Pow(10, peakDbfs / 20) / peak;
        var scaled = new short[audio.Samples.Length];
        for (var i = 0; i < scaled.Length; i++)
            scaled[i] = (short)Math.Clamp(Math.Round(audio.Samples[i] * gain), short.MinValue, short.MaxValue);
        return audio with { Samples = scaled };
    }

    /// <summary>PCM16 samples as NAudio floats (-1..1), the resampler's input.</summary>
    private sealed class Pcm16SampleProvider(Pcm16Audio audio) : ISampleProvider
    {
        private int _position;

        public WaveFormat WaveFormat { get; } = WaveFormat.CreateIeeeFloatWaveFormat(audio.SampleRate, audio.Channels);

        public int Read(Span<float> buffer)
        {
            var count = Math.Min(buffer.Length, audio.Samples.Length - _position);
            for (var i = 0; i < count; i++)
                buffer[i] = audio.Samples[_position + i] / 32768f;
            _position += count;
            return count;
        }
    }
}
