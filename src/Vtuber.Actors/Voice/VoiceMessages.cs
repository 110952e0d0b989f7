namespace Vtuber.Actors.Voice;

/// <summary>
/// The session's answer to a raw-audio-data chunk once it is queued for the VAD. The socket reader asks and waits for
/// it before reading the next frame: that wait is the backpressure from a lagging VAD to the client.
/// </summary>
public sealed record RawAudioAccepted
{
    public static readonly RawAudioAccepted Instance = new();
}
