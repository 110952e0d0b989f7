using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Vtuber.Domain.History;

namespace Vtuber.Actors.History;

/// <summary>
/// The list of one character's histories with their latest messages, persisted so history-list is one read
/// instead of a replay of every history. The histories are the truth: they tell the index after their own writes.
/// </summary>
public sealed class ChatHistoryIndex : ReceivePersistentActor
{
    private readonly string _confUid;
    private readonly int _snapshotInterval;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // What the listing shows (every update received) and what the journal holds (every update written).
    private ChatHistoryIndexState _state = ChatHistoryIndexState.Empty;
    private ChatHistoryIndexState _persisted = ChatHistoryIndexState.Empty;

    public ChatHistoryIndex(string confUid, int snapshotInterval)
    {
        _confUid = confUid;
        _snapshotInterval = snapshotInterval;
        PersistenceId = PersistenceIdFor(confUid);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is ChatHistoryIndexSnapshotV1 snapshot)
            {
                _state = _persisted = ChatHistoryIndexState.FromSnapshot(snapshot);
            }
        });
        Recover<IChatHistoryEvent>(e => _state = _persisted = _persisted.Apply(e));

        // Every acknowledged append of every history of the character comes through here, so updates must not wait
        // for each other's journal round trip: PersistAsync lets the journal take them in batches, and commands are
        // not stashed meanwhile. The listing is updated at once, since the history it mirrors is already stored; if
        // the write fails Akka stops this actor and the next incarnation recovers what the journal has.
        // A snapshot must hold exactly the events up to its sequence number, so it is taken from _persisted.
        Command<IndexUpdate>(update =>
        {
            _state = _state.Apply(update.Event);
            PersistAsync(update.Event, e =>
            {
                _persisted = _persisted.Apply(e);
                if (LastSequenceNr % _snapshotInterval == 0)
                {
                    SaveSnapshot(_persisted.ToSnapshot());
                }
            });
        });
        Command<ListHistories>(_ => Sender.Tell(new HistoryList(_confUid, _state.Listing()
            .Select(h => new HistorySummary(h.HistoryUid, h.LatestMessage!, h.LatestMessage!.Timestamp))
            .ToList())));

        Command<SaveSnapshotSuccess>(saved => DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed =>
            _log.Warning(failed.Cause, "Snapshot of {0} failed; recovery replays more events", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed =>
            _log.Warning(failed.Cause, "Deleting old snapshots of {0} failed", PersistenceId));
        // Stops only after the updates still being written are in the journal (a drain at shutdown waits for this).
        Command<StopEntity>(stop => DeferAsync(stop, _ => Context.Stop(Self)));
    }

    public override string PersistenceId { get; }

    public static string PersistenceIdFor(string confUid) => $"chat-history-index|{confUid}";

    public static Props Props(string confUid, int snapshotInterval) =>
        Akka.Actor.Props.Create(() => new ChatHistoryIndex(confUid, snapshotInterval));

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // The history write this mirrors already succeeded; the list misses that change until the history's next
        // write. Akka stops us; the façade holds requests for the next incarnation.
        Context.Parent.Tell(EntityStopping.Instance);
        _log.Error(cause, "Index {0} lost an update ({1})", PersistenceId, @event.GetType().Name);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }
}
