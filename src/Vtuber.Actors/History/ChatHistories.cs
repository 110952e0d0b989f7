using Akka;
using Akka.Actor;
using Vtuber.Domain.History;

namespace Vtuber.Actors.History;

/// <summary>
/// The one way to reach chat histories. Routes each request by conf_uid + history_uid to a persistent entity
/// (<see cref="ChatHistoryActor"/>) and list requests to the character's <see cref="ChatHistoryIndex"/>, creating
/// them on demand. Local children today; the same messages fit a sharding region later.
/// </summary>
public sealed class ChatHistories : ReceiveActor
{
    private readonly int _snapshotInterval;
    private readonly TimeSpan _idleTimeout;
    private readonly Dictionary<string, IActorRef> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _keysByEntity = new();
    private readonly Dictionary<string, Props> _propsByKey = new(StringComparer.Ordinal);

    // Entities that are stopping: requests for them wait here and go to a fresh incarnation after Terminated,
    // as sharding does during passivation. Bounded by what clients send in the few milliseconds of a stop.
    private readonly Dictionary<string, List<(object Message, IActorRef Sender)>> _held = new(StringComparer.Ordinal);

    // Who waits for DrainHistories; while non-empty every entity is told to stop after its queued work.
    private readonly List<IActorRef> _drainWaiters = [];

    public ChatHistories(int snapshotInterval, TimeSpan idleTimeout)
    {
        if (snapshotInterval < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(snapshotInterval), snapshotInterval, "must be at least 1");
        }
        _snapshotInterval = snapshotInterval;
        _idleTimeout = idleTimeout;

        Receive<CreateHistory>(create =>
        {
            if (!ConfUidFormat.IsValid(create.ConfUid))
            {
                Sender.Tell(new HistoryWriteFailed(create.ConfUid ?? "", "", InvalidConfUid(create.ConfUid)));
                return;
            }
            var now = DateTime.Now;
            var uid = HistoryUid.New(now);
            ToHistory(create.ConfUid, uid, new InitializeHistory(create.ConfUid, uid, ChatTimestamp.Format(now)));
        });
        Receive<AppendRecords>(append =>
        {
            if (InvalidIds(append.ConfUid, append.HistoryUid) is { } reason)
            {
                Sender.Tell(new HistoryWriteFailed(append.ConfUid ?? "", append.HistoryUid ?? "", reason));
                return;
            }
            ToHistory(append.ConfUid, append.HistoryUid, append);
        });
        Receive<ImportHistory>(import =>
        {
            var (confUid, historyUid) = (import.History.ConfUid, import.History.HistoryUid);
            if (InvalidIds(confUid, historyUid) is { } reason)
            {
                Sender.Tell(new HistoryWriteFailed(confUid, historyUid, reason));
                return;
            }
            ToHistory(confUid, historyUid, import);
        });
        Receive<StoreSummary>(store =>
        {
            if (InvalidIds(store.ConfUid, store.HistoryUid) is { } reason)
            {
                Sender.Tell(new HistoryWriteFailed(store.ConfUid ?? "", store.HistoryUid ?? "", reason));
                return;
            }
            ToHistory(store.ConfUid, store.HistoryUid, store);
        });
        Receive<LoadHistory>(load =>
        {
            if (InvalidIds(load.ConfUid, load.HistoryUid) is not null)
            {
                Sender.Tell(new HistoryLoaded(load.ConfUid ?? "", load.HistoryUid ?? "", false, []));
                return;
            }
            ToHistory(load.ConfUid, load.HistoryUid, load);
        });
        Receive<DeleteHistory>(delete =>
        {
            if (InvalidIds(delete.ConfUid, delete.HistoryUid) is not null)
            {
                Sender.Tell(new HistoryDeleted(delete.ConfUid ?? "", delete.HistoryUid ?? "", false));
                return;
            }
            ToHistory(delete.ConfUid, delete.HistoryUid, delete);
        });
        Receive<ListHistories>(list =>
        {
            if (!ConfUidFormat.IsValid(list.ConfUid))
            {
                Sender.Tell(new HistoryList(list.ConfUid ?? "", []));
                return;
            }
            ToIndex(list.ConfUid, list);
        });
        Receive<IndexUpdate>(update => ToIndex(update.ConfUid, update));

        Receive<PassivateEntity>(_ =>
        {
            if (Hold(Sender))
            {
                Sender.Tell(StopEntity.Instance);
            }
        });
        Receive<EntityStopping>(_ => Hold(Sender));
        Receive<DrainHistories>(_ =>
        {
            _drainWaiters.Add(Sender);
            foreach (var entity in _entities.Values)
            {
                entity.Tell(StopEntity.Instance);
            }
            ReplyIfDrained();
        });
        Receive<Terminated>(terminated => Forget(terminated.ActorRef));
    }

    public static Props Props(int snapshotInterval = 200, TimeSpan? idleTimeout = null) =>
        Akka.Actor.Props.Create(() => new ChatHistories(snapshotInterval, idleTimeout ?? ChatHistoryActor.DefaultIdleTimeout));

    // A failing entity is restarted, not stopped: its state is rebuilt from the journal, which holds exactly what
    // was acknowledged, and its mailbox (other requests for the same history) survives the restart.
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(cause =>
        cause is ActorInitializationException or ActorKilledException ? Directive.Stop : Directive.Restart);

    private void ToHistory(string confUid, string historyUid, object message) =>
        Deliver($"history_{Uri.EscapeDataString(confUid)}_{historyUid}", message,
            () => ChatHistoryActor.Props(confUid, historyUid, Self, _snapshotInterval, _idleTimeout));

    // The index has no idle timeout: one per character, small, and needed by every history-list.
    private void ToIndex(string confUid, object message) =>
        Deliver($"index_{Uri.EscapeDataString(confUid)}", message,
            () => ChatHistoryIndex.Props(confUid, _snapshotInterval));

    private void Deliver(string key, object message, Func<Props> props)
    {
        if (_held.TryGetValue(key, out var held))
        {
            held.Add((message, Sender));
            return;
        }
        if (!_entities.TryGetValue(key, out var entity))
        {
            _propsByKey[key] = props();
            entity = Start(key);
        }
        entity.Forward(message);
        StopIfDraining(entity);
    }

    private IActorRef Start(string key)
    {
        var entity = Context.ActorOf(_propsByKey[key], key);
        Context.Watch(entity);
        _entities[key] = entity;
        _keysByEntity[entity] = key;
        return entity;
    }

    private bool Hold(IActorRef entity)
    {
        if (!_keysByEntity.TryGetValue(entity, out var key) || _held.ContainsKey(key))
        {
            return false;
        }
        _held[key] = [];
        return true;
    }

    private void Forget(IActorRef entity)
    {
        if (!_keysByEntity.Remove(entity, out var key))
        {
            return;
        }
        _entities.Remove(key);
        if (_held.Remove(key, out var held) && held.Count > 0)
        {
            var next = Start(key);
            foreach (var (message, sender) in held)
            {
                next.Tell(message, sender);
            }
            StopIfDraining(next);
            return;
        }
        _propsByKey.Remove(key);
        ReplyIfDrained();
    }

    // StopEntity queues behind the message just delivered (and a persistent actor stashes it until its write is done).
    private void StopIfDraining(IActorRef entity)
    {
        if (_drainWaiters.Count > 0)
        {
            entity.Tell(StopEntity.Instance);
        }
    }

    private void ReplyIfDrained()
    {
        if (_drainWaiters.Count == 0 || _entities.Count > 0)
        {
            return;
        }
        foreach (var waiter in _drainWaiters)
        {
            waiter.Tell(Done.Instance);
        }
        _drainWaiters.Clear();
    }

    private static string? InvalidIds(string? confUid, string? historyUid) =>
        !ConfUidFormat.IsValid(confUid) ? InvalidConfUid(confUid)
        : !HistoryUid.IsValid(historyUid) ? $"invalid history uid '{Printable(historyUid)}': expected YYYY-MM-DD_HH-MM-SS_<32 hex>"
        : null;

    private static string InvalidConfUid(string? confUid) =>
        $"invalid conf uid '{Printable(confUid)}': expected letters, digits, '_', '-', '.', ' ' (at most {ConfUidFormat.MaxLength})";

    // Ids come from clients; keep control characters out of replies and logs.
    private static string Printable(string? id) =>
        id is null ? "" : new string(id.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
