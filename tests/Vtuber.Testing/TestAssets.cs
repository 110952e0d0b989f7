namespace Vtuber.Testing;

/// <summary>The real audio files under Assets/ (see Assets/README.md for how each was made), embedded in this assembly.</summary>
public static class TestAssets
{
    public const string SpeechWav = "speech.wav";
    public const string SpeechMp3 = "speech.mp3";
    public const string SpeechMp3WithId3 = "speech-id3.mp3";
    /// <summary>3.43 s of espeak-ng speech at 16 kHz, the rate raw-audio-data and the VAD use.</summary>
    public const string Speech16kWav = "speech-16k.wav";

    public static byte[] Read(string fileName)
    {
        using var stream = typeof(TestAssets).Assembly.GetManifestResourceStream($"Vtuber.Testing.Assets.{fileName}")
            ?? throw new FileNotFoundException($"no embedded test asset named {fileName}", fileName);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
