using Vtuber.Domain.Audio;

namespace Vtuber.Speech.Asr;

/// <summary>The sample format conversions engines need: the wire gives floats, some engines want 16-bit PCM.</summary>
public static class AsrAudio
{
    public const int SampleRate = 16000;

    public static short[] ToPcm16(ReadOnlySpan<float> samples)
    {
        var pcm = new short[samples.Length];
        for (var i = 0; i < samples.Length; i++)
        {
            // The parser keeps samples in [-1, 1]; the clamp guards the other sources (VAD, tests).
            pcm[i] = (short)Math.Round(Math.Clamp(samples[i], -1f, 1f) * short.MaxValue);
        }
        return pcm;
    }

    /// <summary>A 16 kHz mono 16-bit WAV (44-byte header), as OLV uploads to cloud engines.</summary>
    public static byte[] ToWav(ReadOnlySpan<float> samples) =>
        WavEncoder.Encode(new Pcm16Audio(ToPcm16(samples), SampleRate, 1));
}
