using Akka;
using Akka.Actor;
using Akka.Event;
using Vtuber.Agents.Memory;

namespace Vtuber.Actors.Memory;

/// <summary>
/// The memories of this node: the index in memory (rebuilt from the database at start, requests stashed until
/// then) and the long_term_memories table. Searches run in the mailbox (a dot product per memory: about a
/// millisecond for 10,000); writes go to the database one after another on a task chain, never blocking the mailbox,
/// so a recall is never queued behind a write.
/// </summary>
public sealed class LongTermMemoryActor : ReceiveActor, IWithStash
{
    // Writes queued beyond this are dropped (logged): the database is down or far behind, and memories are a
    // convenience, never worth holding the node's memory hostage.
    private const int MaxPendingWrites = 1_000;
    // A turn finished just before its history was deleted is still being embedded: its memory, arriving after the
    // delete, is dropped. History uids are unique, so the newest few hundred deletes are all that can race.
    private const int RecentlyForgottenHistories = 256;

    private readonly MemoryStore _store;
    private readonly MemoryIndex _index;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Task _writes = Task.CompletedTask;
    private int _pendingWrites;
    private readonly Queue<(string ConfUid, string HistoryUid)> _forgottenOrder = new();
    private readonly HashSet<(string ConfUid, string HistoryUid)> _forgotten = [];

    public IStash Stash { get; set; } = null!;

    public LongTermMemoryActor(MemoryStore store, int maxPerCharacter)
    {
        _store = store;
        _index = new MemoryIndex(maxPerCharacter);
        Receive<Loaded>(OnLoaded);
        Receive<Status.Failure>(f =>
        {
            // Without the table there is nothing to recall from: the node runs on, without long-term memory.
            _log.Error(f.Cause, "Long-term memory unavailable: the memories table could not be read");
            Become(Unavailable);
            Stash.UnstashAll();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    public static Props Props(MemoryStore store, int maxPerCharacter) =>
        Akka.Actor.Props.Create(() => new LongTermMemoryActor(store, maxPerCharacter));

    protected override void PreStart()
    {
        var store = _store;
        Load(store).PipeTo(Self);
    }

    private static async Task<Loaded> Load(MemoryStore store)
    {
        await store.InitializeAsync(CancellationToken.None);
        return new Loaded(await store.LoadAllAsync(CancellationToken.None));
    }

    private void OnLoaded(Loaded loaded)
    {
        var kept = 0;
        foreach (var memory in loaded.Memories)
        {
            if (_index.Refuse(memory.ConfUid, memory.Vector) is { } reason)
            {
                _log.Warning("Long-term memory {0} of {1} not loaded: {2}", memory.Id, memory.ConfUid, reason);
                continue;
            }
            // Evictions here only trim a table that outgrew a lowered cap; the rows go at the next write.
            var evicted = _index.Add(memory);
            if (evicted.Count > 0)
            {
                Write(() => _store.DeleteAsync(evicted.Select(e => e.Id).ToList()));
            }
            kept++;
        }
        _log.Info("Long-term memory: {0} memories loaded", kept);
        Become(Ready);
        Stash.UnstashAll();
    }

    private void Ready()
    {
        Receive<StoreMemory>(OnStore);
        Receive<RecallMemories>(m =>
        {
            if (_index.Refuse(m.ConfUid, m.Vector) is { } reason)
            {
                _log.Warning("A recall for {0} was refused: {1}", m.ConfUid, reason);
                Sender.Tell(new MemoriesRecalled([]));
                return;
            }
            Sender.Tell(new MemoriesRecalled(_index.Search(m.ConfUid, m.ExcludeHistoryUid, MemoryIndex.Normalized(m.Vector),
                m.TopK, m.MinScore)));
        });
        Receive<ListMemories>(m => Sender.Tell(new MemoryList(m.ConfUid, _index.Of(m.ConfUid))));
        Receive<ForgetMemory>(m =>
        {
            var removed = _index.Remove(m.Id);
            Reply(removed is null ? Task.CompletedTask : Write(() => _store.DeleteAsync([m.Id])),
                new MemoryForgotten(m.Id, removed is not null));
        });
        Receive<ForgetHistoryMemories>(m =>
        {
            var count = _index.RemoveHistory(m.ConfUid, m.HistoryUid);
            if (_forgotten.Add((m.ConfUid, m.HistoryUid)))
            {
                _forgottenOrder.Enqueue((m.ConfUid, m.HistoryUid));
                if (_forgottenOrder.Count > RecentlyForgottenHistories)
                {
                    _forgotten.Remove(_forgottenOrder.Dequeue());
                }
            }
            // The table is cleared even when the index had none: a row may be from before a failed load.
            Reply(Write(() => _store.DeleteHistoryAsync(m.ConfUid, m.HistoryUid)),
                new HistoryMemoriesForgotten(m.ConfUid, m.HistoryUid, count));
        });
        Receive<DrainMemories>(_ => Reply(_writes, Done.Instance));
        Receive<WriteDone>(_ => _pendingWrites--);
    }

    private void Unavailable()
    {
        Receive<StoreMemory>(_ => { });
        Receive<RecallMemories>(_ => Sender.Tell(new MemoriesRecalled([])));
        Receive<ListMemories>(m => Sender.Tell(new MemoryList(m.ConfUid, [])));
        Receive<ForgetMemory>(m => Sender.Tell(new MemoryForgotten(m.Id, false)));
        Receive<ForgetHistoryMemories>(m => Sender.Tell(new HistoryMemoriesForgotten(m.ConfUid, m.HistoryUid, 0)));
        Receive<DrainMemories>(_ => Sender.Tell(Done.Instance));
    }

    private void OnStore(StoreMemory m)
    {
        if (_index.Refuse(m.ConfUid, m.Vector) is { } reason)
        {
            _log.Warning("A memory of {0} (history {1}, record {2}) was refused: {3}", m.ConfUid, m.HistoryUid, m.Record, reason);
            return;
        }
        if (_forgotten.Contains((m.ConfUid, m.HistoryUid)))
        {
            return; // its history was deleted while the turn was being embedded
        }
        if (_pendingWrites >= MaxPendingWrites)
        {
            _log.Warning("A memory of {0} was dropped: {1} writes are waiting for the database", m.ConfUid, _pendingWrites);
            return;
        }
        var memory = new LongTermMemory(Guid.NewGuid().ToString("N"), m.ConfUid, m.HistoryUid, m.Record, m.Created,
            m.Text, MemoryIndex.Normalized(m.Vector));
        var evicted = _index.Add(memory);
        Write(() => _store.InsertAsync(memory));
        if (evicted.Count > 0)
        {
            Write(() => _store.DeleteAsync(evicted.Select(e => e.Id).ToList()));
        }
    }

    /// <summary>Queues a write behind the others; a failed write is logged and the chain goes on.</summary>
    private Task Write(Func<Task> write)
    {
        _pendingWrites++;
        var self = Self;
        var log = _log;
        var next = _writes.ContinueWith(_ => write(), TaskScheduler.Default).Unwrap();
        _writes = next.ContinueWith(t =>
        {
            if (t.Exception is { } e)
            {
                log.Warning("Long-term memory: a database write failed: {0}", e.GetBaseException().Message);
            }
            self.Tell(WriteDone.Instance);
        }, TaskScheduler.Default);
        return next;
    }

    private void Reply(Task write, object answer)
    {
        var sender = Sender;
        write.ContinueWith(_ => sender.Tell(answer), TaskScheduler.Default);
    }

    private sealed record Loaded(IReadOnlyList<LongTermMemory> Memories);

    private sealed record WriteDone
    {
        public static readonly WriteDone Instance = new();
    }
}
