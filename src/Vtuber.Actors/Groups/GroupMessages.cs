using Akka.Actor;
using Vtuber.Agents;
using Vtuber.Protocol;

namespace Vtuber.Actors.Groups;

// The protocol of group chat (olv-protocol 2.12, 9.1). Members are reached only by client uid through the client
// registry, so a member may one day sit on another node (the registry then becomes cluster-wide).

/// <summary>The two node-wide actors a session talks to for group chat.</summary>
public sealed record GroupLinks(IActorRef Registry, IActorRef Groups);

// ── client registry ──

/// <summary>A session announces itself under its client uid (the sender is the session); it is watched from then on.</summary>
public sealed record RegisterClient(string ClientUid);

/// <summary>Hands Message to the session of ClientUid, keeping the sender; dropped when that client is gone.</summary>
public sealed record DeliverToClient(string ClientUid, object Message);

/// <summary>The sender hears ClientJoined for every client registered now, then ClientJoined and ClientLeft as they come.</summary>
public sealed record SubscribeClientEvents
{
    public static readonly SubscribeClientEvents Instance = new();
}

public sealed record ClientJoined(string ClientUid);

/// <summary>The client's session stopped: its socket is gone (a session restarted in place stays registered).</summary>
public sealed record ClientLeft(string ClientUid);

// ── session → groups ──

/// <summary>Who speaks for a client: sent when it connects and whenever its character changes.</summary>
public sealed record MemberProfile(string ClientUid, string CharacterName, string Avatar);

public sealed record InviteToGroup(string InviterUid, string InviteeUid);

public sealed record RemoveFromGroup(string RemoverUid, string TargetUid);

/// <summary>A trigger (text, transcribed voice, proactive prompt) from a member of a group of more than one.</summary>
public sealed record GroupTrigger(string InitiatorUid, GroupInput Input);

/// <summary>
/// The human's input and what the initiator's config says about the conversation: the human's name and the bound
/// on its rounds (system_config.group.max_rounds). Proactive: an ai-speak-signal prompt, not stored in history.
/// </summary>
public sealed record GroupInput(string Text, IReadOnlyList<ImageInput> Images, string HumanName, bool Proactive, int MaxRounds);

/// <summary>A member's interrupt-signal: stops the group's conversation if one runs.</summary>
public sealed record InterruptGroup(string ClientUid, string Heard);

// ── groups → session ──

/// <summary>A frame for the client's socket.</summary>
public sealed record ClientFrame(ServerMessage Message);

/// <summary>The client's group changed: the session keeps it and sends the group-update.</summary>
public sealed record GroupMembership(IReadOnlyList<string> Members, bool IsOwner)
{
    public static readonly GroupMembership Alone = new([], false);
}

/// <summary>The trigger's group has no other member (any more): the session answers it alone.</summary>
public sealed record GroupTriggerDeclined(GroupInput Input);

// ── conversation ↔ session ──

/// <summary>The member's turn: Context is what was said since its last one ("Name: text" lines).</summary>
public sealed record SpeakInGroup(IActorRef Conversation, long Seq, string Context, IReadOnlyList<ImageInput> Images);

/// <summary>The member's turn ended; Reply is empty when it failed, was cut off or said nothing.</summary>
public sealed record MemberSpoke(long Seq, string ClientUid, string Name, string Avatar, string Reply);

/// <summary>A frame of the speaker's turn that every other member gets too (tool_call_status).</summary>
public sealed record BroadcastToOthers(string SpeakerUid, ServerMessage Message);

/// <summary>The group was interrupted: the speaker's turn stops without recording (the interrupt records).</summary>
public sealed record CancelGroupTurn(long Seq);

/// <summary>A record for the member's own history; the session stamps the time.</summary>
public sealed record GroupRecord(string Role, string Content, string? Name, string? Avatar);

/// <summary>
/// Every member records what was heard of the speaker's reply (ai record named after the speaker, then the marker);
/// the speaker's own memory also keeps it as its words.
/// </summary>
public sealed record GroupTurnInterrupted(string Heard, string SpeakerName, string SpeakerAvatar, bool WasSpeaking);
