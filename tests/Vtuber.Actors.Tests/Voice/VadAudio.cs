using Vtuber.Domain.Vad;
using Vtuber.Speech.Audio;
using Vtuber.Testing;

namespace Vtuber.Actors.Tests.Voice;

/// <summary>Real audio for VAD tests (espeak-ng speech at 16 kHz, silence, seeded noise) and the repo's hocon/vad.conf.</summary>
internal static class VadAudio
{
    public static float[] Speech() =>
        AudioDecoder.Decode(TestAssets.Read(TestAssets.Speech16kWav)).Samples.Select(s => s / 32768f).ToArray();

    public static float[] Silence(double seconds) => new float[(int)(seconds * VadWindow.SampleRate)];

    public static float[] Noise(double seconds, float amplitude, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, (int)(seconds * VadWindow.SampleRate))
            .Select(_ => (float)(random.NextDouble() * 2 - 1) * amplitude).ToArray();
    }

    public static List<float[]> Windows(float[] samples) => new WindowAssembler().Append(samples);

    public static string VadHocon()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "hocon", "vad.conf");
            if (File.Exists(file) && Directory.Exists(Path.Combine(dir.FullName, "src")))
            {
                return File.ReadAllText(file);
            }
        }
        throw new FileNotFoundException("hocon/vad.conf not found above " + AppContext.BaseDirectory);
    }
}
