using Vtuber.Actors.Sessions;

namespace Vtuber.Actors.Proxy;

// The public protocol of /user/proxy (olv-protocol 9.3): /proxy-ws sockets join and leave it and hand it what their
// clients send; the live-chat bridges hand it viewers' comments.

/// <summary>A /proxy-ws socket was accepted; answered with <see cref="ProxyJoined"/>.</summary>
public sealed record JoinProxy(string MemberId, IClientConnection Connection);

public sealed record ProxyJoined(string MemberId);

/// <summary>The member's socket is gone; the shared session goes on.</summary>
public sealed record LeaveProxy(string MemberId);

/// <summary>
/// One parsed client message of a member. Audio chunks and inbound marks are asked with this and answered by the
/// session (AudioAccepted, InboundCaughtUp) to the asker, so the member's socket reader is backpressured as on
/// /client-ws.
/// </summary>
public sealed record FromMember(string MemberId, object Message);

/// <summary>A viewer's comment from a live-chat bridge ("bilibili", "twitch"); queued like a member's text-input.</summary>
public sealed record LiveComment(string Platform, string Author, string Text);
