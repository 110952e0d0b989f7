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
