using Akka.Actor;

namespace Vtuber.Actors.Sessions;

/// <summary>Ask the sessions supervisor for a session for a freshly accepted socket.</summary>
public sealed record StartSession(string ClientUid, IClientConnection Connection);

public sealed record SessionStarted(string ClientUid, IActorRef Session);

/// <summary>The socket is gone: the session stops and cancels its turn.</summary>
public sealed record ConnectionClosed
{
    public static readonly ConnectionClosed Instance = new();
}

/// <summary>How many sessions are alive (operators, tests).</summary>
public sealed record GetSessionCount
{
    public static readonly GetSessionCount Instance = new();
}

public sealed record SessionCount(int Count);

/// <summary>Stop every session and answer Done when all have stopped (coordinated shutdown).</summary>
public sealed record StopAllSessions
{
    public static readonly StopAllSessions Instance = new();
}

/// <summary>
/// The socket reader sends this every few messages and waits for <see cref="InboundCaughtUp"/>: the mailbox is
/// FIFO, so the answer means the session has handled everything sent before it. That bounds how many of a client's
/// messages wait in its session's mailbox.
/// </summary>
public sealed record InboundMark
{
    public static readonly InboundMark Instance = new();
}

public sealed record InboundCaughtUp
{
    public static readonly InboundCaughtUp Instance = new();
}
