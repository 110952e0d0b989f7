namespace Vtuber.Domain.Vad;

/// <summary>What the speech detector saw in one window (at most one event per window).</summary>
public abstract record VadEvent;

/// <summary>Speech began (OLV's &lt;|PAUSE|&gt;): the server sends control interrupt.</summary>
public sealed record SpeechStarted : VadEvent
{
    public static readonly SpeechStarted Instance = new();
}

/// <summary>
/// Speech ended (OLV's &lt;|RESUME|&gt;). Utterance is null when too little was recorded to be worth transcribing
/// (OLV sends nothing then); otherwise the server sends control mic-audio-end.
/// </summary>
public sealed record SpeechEnded(Utterance? Utterance) : VadEvent;

/// <summary>One detected utterance: 16 kHz mono samples in [-1, 1], pre-roll included.</summary>
public sealed record Utterance(float[] Samples16k)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples16k.Length / VadWindow.SampleRate);
}
