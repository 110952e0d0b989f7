using Akka.Actor;
using Vtuber.Actors.Sessions;
using Vtuber.Protocol;

namespace Vtuber.Actors.Proxy;

/// <summary>
/// The shared session's connection: every frame goes to every proxy member. The members' writers share this gate, so
/// a cancelled turn's frames are dropped in each of them right before sending, as on /client-ws. The member list is
/// replaced (never changed in place) by the hub, and read by the session and its turn's stream.
/// </summary>
internal sealed class ProxyFanOut(TurnGate gate, IActorRef hub, TimeSpan memberSendTimeout) : IClientConnection
{
    // The hub lets the next queued input through when a conversation ends; these are the frames that say so, byte for
    // byte as the session serialises them.
    private static readonly byte[] ChainStart = ServerMessageJson.Serialize(new Control(Control.ConversationChainStart));
    private static readonly byte[] ChainEnd = ServerMessageJson.Serialize(new Control(Control.ConversationChainEnd));

    private volatile IClientConnection[] _members = [];
    private volatile bool _closed;

    public TurnGate Gate => gate;

    public void SetMembers(IClientConnection[] members) => _members = members;

    public bool TryEnqueue(OutboundFrame frame)
    {
        if (_closed) return false;
        Observe(frame);
        // A member that stopped reading is closed by its own writer's bound (1008); the others are not held up.
        foreach (var member in _members) member.TryEnqueue(frame);
        return true;
    }

    /// <summary>
    /// Each member in turn, so the slowest backpressures the turn as a single client would, but at most for
    /// memberSendTimeout each: a member that keeps the shared reply waiting longer is disconnected.
    /// </summary>
    public async ValueTask<bool> EnqueueTurnFrameAsync(OutboundFrame frame, CancellationToken cancellationToken)
    {
        if (_closed) return false;
        Observe(frame);
        foreach (var member in _members)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(memberSendTimeout);
            try
            {
                await member.EnqueueTurnFrameAsync(frame, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                member.Close($"proxy client held up the shared reply for over {memberSendTimeout.TotalSeconds:0.#} s " +
                             "(system_config.proxy.member_send_timeout_seconds)");
            }
        }
        return !_closed;
    }

    /// <summary>The session ended; its members stay with the hub, which starts the next session for them.</summary>
    public void Close(string reason) => _closed = true;

    private void Observe(OutboundFrame frame)
    {
        var bytes = frame.Utf8Json.Span;
        if (bytes.Length == ChainEnd.Length && bytes.SequenceEqual(ChainEnd))
            hub.Tell(new ProxyHub.ConversationEnded(this));
        else if (bytes.Length == ChainStart.Length && bytes.SequenceEqual(ChainStart))
            hub.Tell(new ProxyHub.ConversationStarted(this));
    }
}
