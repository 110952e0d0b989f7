namespace Vtuber.Domain.Vad;

/// <summary>Silero v5 looks at 512 samples (32 ms) of 16 kHz mono at a time.</summary>
public static class VadWindow
{
    public const int Samples = 512;
    public const int SampleRate = 16000;
    public const double Seconds = (double)Samples / SampleRate;
}
