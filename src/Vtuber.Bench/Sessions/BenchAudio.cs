using System.Globalization;
using System.Text;
using Vtuber.Domain.Audio;
using Vtuber.Speech.Audio;
using Vtuber.Testing;

namespace Vtuber.Bench.Sessions;

/// <summary>The audio of the scenario: what the fake TTS speaks and what the microphone clients send.</summary>
public static class BenchAudio
{
    public const int SpeechSampleRate = 24_000;
    public const int MicFrameSamples = 4096; // the frontend sends one mic-audio-data per 4096 samples (olv-protocol.md 2.19 c)

    /// <summary>
    /// One sentence as the fake TTS returns it: 24 kHz mono PCM16, 1.02 s (24,480 samples, 49,004 bytes with the
    /// header). A 220 Hz tone under a syllable-like envelope, so the volume envelope is not flat and no chunk is silent.
    /// </summary>
    public static byte[] SentenceWav()
    {
        var samples = new short[24_480];
        for (var i = 0; i < samples.Length; i++)
        {
            var t = (double)i / SpeechSampleRate;
            var envelope = 0.55 + 0.45 * Math.Sin(2 * Math.PI * 4 * t); // ~4 syllables per second
            samples[i] = (short)(12_000 * envelope * Math.Sin(2 * Math.PI * 220 * t));
        }
        return WavEncoder.Encode(new Pcm16Audio(samples, SpeechSampleRate, 1));
    }

    /// <summary>
    /// mic-audio-data frames as the frontend's JSON.stringify writes them: real speech (the espeak test utterance,
    /// 16 kHz) as float32 values printed at double precision (e.g. 0.0012345678911209106), 4096 per frame.
    /// </summary>
    public static byte[][] MicFrames()
    {
        var speech = AudioDecoder.Decode(TestAssets.Read(TestAssets.Speech16kWav)).Samples;
        var frames = new List<byte[]>();
        for (var start = 0; start + MicFrameSamples <= speech.Length; start += MicFrameSamples)
        {
            var json = new StringBuilder("{\"type\":\"mic-audio-data\",\"audio\":[");
            for (var i = 0; i < MicFrameSamples; i++)
            {
                if (i > 0) json.Append(',');
                json.Append(((double)(speech[start + i] / 32768f)).ToString("R", CultureInfo.InvariantCulture));
            }
            frames.Add(Encoding.UTF8.GetBytes(json.Append("]}").ToString()));
        }
        return [.. frames];
    }
}
