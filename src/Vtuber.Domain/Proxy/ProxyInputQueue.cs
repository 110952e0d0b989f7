namespace Vtuber.Domain.Proxy;

/// <summary>
/// The inputs of several clients sharing one conversation (olv-protocol 9.3): they wait here and are let through one
/// at a time, only while no conversation runs. Bounded: <see cref="Offer"/> refuses an input once
/// <c>capacity</c> wait (the newest is refused, so what waits keeps its order and nobody's input is dropped unseen);
/// the caller tells the sender.
/// </summary>
public sealed class ProxyInputQueue<T>(int capacity)
{
    private readonly Queue<T> _waiting = new();

    /// <summary>A conversation runs: an input let through, or a turn the session began on its own (voice, a restart).</summary>
    public bool ConversationActive { get; private set; }

    public int Count => _waiting.Count;

    /// <returns>False when the queue is full; the input is not kept.</returns>
    public bool Offer(T input)
    {
        if (_waiting.Count >= capacity) return false;
        _waiting.Enqueue(input);
        return true;
    }

    /// <summary>The next input, when no conversation runs; taking it marks the conversation as running.</summary>
    public bool TryTakeNext(out T input)
    {
        if (ConversationActive || !_waiting.TryDequeue(out input!))
        {
            input = default!;
            return false;
        }
        ConversationActive = true;
        return true;
    }

    public void ConversationStarted() => ConversationActive = true;

    /// <summary>chain-end, an interrupt, or the session gone: the next input may go.</summary>
    public void ConversationEnded() => ConversationActive = false;
}
