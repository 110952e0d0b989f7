namespace Vtuber.Actors.History;

/// <summary>
/// One session's appends on their way to the journal. They are sent one write at a time (the batches waiting for
/// the same history go together in that write), so a write that fails can be
/// retried without a later batch overtaking it: records reach the journal in the order the session made them.
/// A transient failure (the journal could not write) keeps the batch at the head and schedules a retry with
/// exponential backoff (0.5 s doubling to 30 s); an acknowledgement resets the backoff. The retried request is
/// marked <see cref="AppendRecords.Retry"/>, so a history that did store the first attempt does not store it twice.
/// Because appends wait here, reads the client asks for after them (list, load, delete) wait too until the appends
/// before them are settled (read your own writes), unless the journal is failing: then they go at once.
/// </summary>
/// <remarks>
/// Bounded: at most <c>capacity</c> batches wait (a batch is one turn's one or two records; the default 256 covers
/// over an hour of turns at the longest backoff). Overflow policy: the NEWEST batch is refused and the caller tells
/// the client, so what is stored stays the conversation as it happened up to the outage, without holes inside it.
/// Deferred reads are bounded by the same capacity; beyond it a read goes at once (it may miss the newest records).
/// </remarks>
public sealed class PendingAppends
{
    public const int DefaultCapacity = 256;
    /// <summary>At most this many records go in one write (a few turns' worth; one journal transaction).</summary>
    public const int MaxRecordsPerWrite = 64;
    public static readonly TimeSpan DefaultFirstDelay = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(30);

    private readonly Queue<AppendRecords> _queue = new();
    private readonly Queue<(long After, object Request)> _reads = new();
    private readonly int _capacity;
    private readonly TimeSpan _firstDelay;
    private readonly TimeSpan _maxDelay;
    private int _failures;
    private bool _headAttempted;
    // How many queued batches the write in flight (or the failed one waiting for its retry) carries.
    private int _inFlightBatches;
    private bool _waitingForRetry;
    private long _added;
    private long _settled;

    public PendingAppends(int capacity = DefaultCapacity, TimeSpan? firstDelay = null, TimeSpan? maxDelay = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
        _firstDelay = firstDelay ?? DefaultFirstDelay;
        _maxDelay = maxDelay ?? DefaultMaxDelay;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_firstDelay, TimeSpan.Zero, nameof(firstDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(_maxDelay, _firstDelay, nameof(maxDelay));
    }

    /// <summary>Batches not yet acknowledged, the one in flight included.</summary>
    public int Count => _queue.Count;

    /// <summary>True from a transient failure until the next acknowledgement (the journal is down).</summary>
    public bool Failing => _failures > 0;

    public bool InFlight { get; private set; }

    /// <summary>Queues a batch; false when the queue is full and the batch is refused (see the overflow policy).</summary>
    public bool TryAdd(AppendRecords batch)
    {
        if (_queue.Count >= _capacity)
        {
            return false;
        }
        _queue.Enqueue(batch);
        _added++;
        return true;
    }

    /// <summary>
    /// Keeps a read until the appends queued before it are settled; false when it can go now (nothing before it
    /// is pending, the journal is failing, or too many reads wait).
    /// </summary>
    public bool TryDefer(object read)
    {
        if (_settled == _added || Failing || _reads.Count >= _capacity)
        {
            return false;
        }
        _reads.Enqueue((_added, read));
        return true;
    }

    /// <summary>Deferred reads that may go now, in the order they were asked for.</summary>
    public IReadOnlyList<object> ReleaseReads()
    {
        var ready = new List<object>();
        while (_reads.TryPeek(out var read) && (read.After <= _settled || Failing))
        {
            ready.Add(_reads.Dequeue().Request);
        }
        return ready;
    }

    /// <summary>
    /// The write to send now, or null while one is in flight, a retry is scheduled or nothing waits. Batches queued
    /// behind the head for the same history go with it as one write (up to <see cref="MaxRecordsPerWrite"/> records):
    /// a session that talks faster than one journal round trip per batch catches up in one write instead of falling
    /// further behind. A retry resends exactly the batches of the failed attempt, so the history can recognise them.
    /// </summary>
    public AppendRecords? NextToSend()
    {
        if (InFlight || _waitingForRetry || _queue.Count == 0)
        {
            return null;
        }
        InFlight = true;
        var head = _queue.Peek();
        if (_headAttempted)
        {
            return Merged(_inFlightBatches) with { Retry = true };
        }
        _headAttempted = true;
        _inFlightBatches = 1;
        var records = head.Records.Count;
        foreach (var next in _queue.Skip(1))
        {
            if (next.ConfUid != head.ConfUid || next.HistoryUid != head.HistoryUid ||
                records + next.Records.Count > MaxRecordsPerWrite)
            {
                break;
            }
            records += next.Records.Count;
            _inFlightBatches++;
        }
        return Merged(_inFlightBatches);
    }

    private AppendRecords Merged(int batches)
    {
        var head = _queue.Peek();
        return batches == 1 ? head : head with { Records = _queue.Take(batches).SelectMany(b => b.Records).ToList() };
    }

    /// <summary>
    /// The session is ending: every batch not yet sent (the write in flight is already with the history, and a
    /// write waiting for a retry is sent again as a retry, which the history de-duplicates). The queue is empty
    /// afterwards.
    /// </summary>
    public IReadOnlyList<AppendRecords> Unsent()
    {
        var unsent = new List<AppendRecords>(_queue.Count);
        var skip = 0;
        if (InFlight)
        {
            skip = _inFlightBatches;
        }
        else if (_headAttempted)
        {
            unsent.Add(Merged(_inFlightBatches) with { Retry = true });
            skip = _inFlightBatches;
        }
        unsent.AddRange(_queue.Skip(skip));
        _queue.Clear();
        return unsent;
    }

    /// <summary>The write in flight is in the journal.</summary>
    public void Acknowledged()
    {
        Settle();
        _failures = 0;
    }

    /// <summary>The write in flight was refused for good (deleted history, invalid record): its batches are dropped.</summary>
    public void Refused() => Settle();

    /// <summary>The journal failed to write the batch in flight: it stays first and is sent again after Delay.</summary>
    public RetryPlan Failed()
    {
        if (!InFlight)
        {
            throw new InvalidOperationException("no append in flight");
        }
        InFlight = false;
        _waitingForRetry = true;
        _failures++;
        // 0.5 s, 1 s, 2 s, ... capped; the exponent is capped too so the shift never overflows.
        var factor = 1L << Math.Min(_failures - 1, 30);
        var delay = TimeSpan.FromTicks(Math.Min(_firstDelay.Ticks * factor, _maxDelay.Ticks));
        return new RetryPlan(delay, OutageStarted: _failures == 1);
    }

    /// <summary>The scheduled retry is due: NextToSend returns the failed batch again.</summary>
    public void RetryDue() => _waitingForRetry = false;

    private void Settle()
    {
        if (!InFlight)
        {
            throw new InvalidOperationException("no append in flight");
        }
        for (var i = 0; i < _inFlightBatches; i++)
        {
            _queue.Dequeue();
        }
        _settled += _inFlightBatches;
        InFlight = false;
        _headAttempted = false;
    }
}

/// <summary>When to send the failed batch again; OutageStarted is true for the first failure after a success.</summary>
public sealed record RetryPlan(TimeSpan Delay, bool OutageStarted);
