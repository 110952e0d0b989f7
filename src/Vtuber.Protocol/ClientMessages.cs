namespace Vtuber.Protocol;

// Messages the client sends on /client-ws (olv-protocol.md 2.4), parsed at the edge by ClientMessageParser.
// Raw JSON never travels further than the parser.

public abstract record ClientMessage;

/// <summary>An image attached to a trigger: data is a data URL.</summary>
public sealed record ImagePayload(string Source, string Data, string MimeType);

public sealed record TextInput(string Text, IReadOnlyList<ImagePayload> Images) : ClientMessage;
/// <summary>A chunk of the browser-segmented utterance (16 kHz floats in [-1, 1]); the receiver disposes Samples.</summary>
public sealed record MicAudioData(AudioSamples Samples) : ClientMessage;
public sealed record MicAudioEnd(IReadOnlyList<ImagePayload> Images) : ClientMessage;
/// <summary>Raw 16 kHz microphone floats for server-side VAD; the receiver disposes Samples.</summary>
public sealed record RawAudioData(AudioSamples Samples) : ClientMessage;
public sealed record AiSpeakSignal(double IdleTime, IReadOnlyList<ImagePayload> Images) : ClientMessage;
public sealed record InterruptSignal(string HeardText) : ClientMessage;
public sealed record FrontendPlaybackComplete : ClientMessage;
/// <summary>The frontend started playing a sentence; DisplayText (null when absent) is what group members are shown.</summary>
public sealed record AudioPlayStart(DisplayTextPayload? DisplayText) : ClientMessage;
public sealed record FetchHistoryList : ClientMessage;
public sealed record FetchAndSetHistory(string HistoryUid) : ClientMessage;
public sealed record CreateNewHistory : ClientMessage;
public sealed record DeleteHistory(string HistoryUid) : ClientMessage;
public sealed record FetchConfigs : ClientMessage;
public sealed record SwitchConfig(string File) : ClientMessage;
public sealed record FetchBackgrounds : ClientMessage;
public sealed record RequestInitConfig : ClientMessage;
public sealed record Heartbeat : ClientMessage;
/// <summary>add-client-to-group: invite the client with this client_uid into the sender's group (olv-protocol 2.12).</summary>
public sealed record AddClientToGroup(string InviteeUid) : ClientMessage;
/// <summary>remove-client-from-group: the owner removes a member, or a member names itself to leave.</summary>
public sealed record RemoveClientFromGroup(string TargetUid) : ClientMessage;
public sealed record RequestGroupInfo : ClientMessage;
