namespace Vtuber.Protocol;

// Messages the client sends on /client-ws (olv-protocol.md 2.4), parsed at the edge by ClientMessageParser.
// Raw JSON never travels further than the parser.

public abstract record ClientMessage;

/// <summary>An image attached to a trigger: data is a data URL.</summary>
public sealed record ImagePayload(string Source, string Data, string MimeType);

public sealed record TextInput(string Text, IReadOnlyList<ImagePayload> Images) : ClientMessage;
public sealed record MicAudioData(int SampleCount) : ClientMessage;
public sealed record MicAudioEnd(IReadOnlyList<ImagePayload> Images) : ClientMessage;
/// <summary>
/// 16 kHz mono floats in [-1, 1]. PooledSamples is rented from ArrayPool&lt;float&gt;.Shared by RawAudioDataParser
/// (only its first SampleCount floats are samples); whoever consumes the message calls Release once.
/// </summary>
public sealed record RawAudioData(float[] PooledSamples, int SampleCount) : ClientMessage
{
    public ReadOnlySpan<float> Samples => PooledSamples.AsSpan(0, SampleCount);

    public void Release() => System.Buffers.ArrayPool<float>.Shared.Return(PooledSamples);
}
public sealed record AiSpeakSignal(double IdleTime, IReadOnlyList<ImagePayload> Images) : ClientMessage;
public sealed record InterruptSignal(string HeardText) : ClientMessage;
public sealed record FrontendPlaybackComplete : ClientMessage;
public sealed record AudioPlayStart : ClientMessage;
public sealed record FetchHistoryList : ClientMessage;
public sealed record FetchAndSetHistory(string HistoryUid) : ClientMessage;
public sealed record CreateNewHistory : ClientMessage;
public sealed record DeleteHistory(string HistoryUid) : ClientMessage;
public sealed record FetchConfigs : ClientMessage;
public sealed record SwitchConfig(string File) : ClientMessage;
public sealed record FetchBackgrounds : ClientMessage;
public sealed record RequestInitConfig : ClientMessage;
public sealed record Heartbeat : ClientMessage;
/// <summary>add-client-to-group, remove-client-from-group, request-group-info: understood, answered later by groups.</summary>
public sealed record GroupOperation(string Type) : ClientMessage;
