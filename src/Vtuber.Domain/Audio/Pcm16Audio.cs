namespace Vtuber.Domain.Audio;

/// <summary>Interleaved signed 16-bit PCM: what every TTS engine's output becomes before it is sent as WAV.</summary>
public sealed record Pcm16Audio(short[] Samples, int SampleRate, int Channels)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / Channels / SampleRate);
}
