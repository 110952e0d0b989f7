using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Vtuber.Domain.History;

namespace Vtuber.Actors.History;

/// <summary>
/// One chat history (OLV's chat_history/&lt;conf_uid&gt;/&lt;history_uid&gt;.json), append-only in the journal.
/// It sequences and persists; <see cref="ChatHistoryState"/> decides. Replies only after the write is in the
/// journal, then tells the character's index what changed. Reached only through <see cref="ChatHistories"/>.
/// </summary>
public sealed class ChatHistoryActor : ReceivePersistentActor
{
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromMinutes(2);

    private readonly string _confUid;
    private readonly string _historyUid;
    private readonly IActorRef _index;
    private readonly int _snapshotInterval;
    private readonly TimeSpan _idleTimeout;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ChatHistoryState _state = ChatHistoryState.Empty;
    // The agent's newest rolling summary of this history, kept beside the records (see HistorySummaries).
    private HistorySummarizedV1? _summary;

    // Who waits for the write in flight. Persist stashes later commands, so there is at most one.
    private (IActorRef Requester, object FailureReply)? _pendingWrite;

    public ChatHistoryActor(string confUid, string historyUid, IActorRef index, int snapshotInterval, TimeSpan idleTimeout)
    {
        _confUid = confUid;
        _historyUid = historyUid;
        _index = index;
        _snapshotInterval = snapshotInterval;
        _idleTimeout = idleTimeout;
        PersistenceId = PersistenceIdFor(confUid, historyUid);

        Recover<SnapshotOffer>(offer =>
        {
            switch (offer.Snapshot)
            {
                case ChatHistorySnapshotV1 snapshot:
                    _state = ChatHistoryState.FromSnapshot(snapshot);
                    break;
                case ChatHistorySummarizedSnapshotV1 summarized:
                    _state = ChatHistoryState.FromSnapshot(summarized.History);
                    _summary = summarized.Summary;
                    break;
            }
        });
        Recover<IChatHistoryEvent>(ApplyEvent);

        Command<InitializeHistory>(Initialize);
        Command<AppendRecords>(Append);
        Command<LoadHistory>(load => Sender.Tell(new HistoryLoaded(_confUid, _historyUid, _state.Exists,
            _state.Exists ? _state.Records : []) { Summary = _state.Exists ? _summary : null }));
        Command<StoreSummary>(StoreSummary);
        Command<DeleteHistory>(Delete);
        Command<ImportHistory>(Import);

        Command<SaveSnapshotSuccess>(saved =>
            // Only the newest snapshot is ever read; older ones are dead weight.
            DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(failed =>
            _log.Warning(failed.Cause, "Snapshot of {0} failed; recovery replays more events", PersistenceId));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(failed =>
            _log.Warning(failed.Cause, "Deleting old snapshots of {0} failed", PersistenceId));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(failed =>
            _log.Warning(failed.Cause, "Purging the events of deleted history {0} failed", PersistenceId));

        Command<ReceiveTimeout>(_ =>
        {
            // Idle histories leave memory; the next request recovers them from the journal.
            SetReceiveTimeout(null);
            Context.Parent.Tell(PassivateEntity.Instance);
        });
        Command<StopEntity>(_ => Context.Stop(Self));
    }

    public override string PersistenceId { get; }

    public static string PersistenceIdFor(string confUid, string historyUid) => $"chat-history|{confUid}|{historyUid}";

    public static Props Props(string confUid, string historyUid, IActorRef index, int snapshotInterval, TimeSpan idleTimeout) =>
        Akka.Actor.Props.Create(() => new ChatHistoryActor(confUid, historyUid, index, snapshotInterval, idleTimeout));

    protected override void PreStart()
    {
        base.PreStart();
        SetReceiveTimeout(_idleTimeout);
    }

    private void Initialize(InitializeHistory init)
    {
        var failure = new HistoryWriteFailed(_confUid, _historyUid, "history was deleted");
        var decision = _state.Handle(new HistoryCommand.Create(init.Created));
        switch (decision.Outcome)
        {
            case HistoryOutcome.Created:
                PersistDecision(decision, failure with { Reason = "journal write failed" }, () =>
                {
                    _index.Tell(new IndexUpdate(_confUid, new IndexedHistoryCreatedV1(_historyUid, init.Created)));
                    return new HistoryCreated(_confUid, _historyUid);
                });
                break;
            case HistoryOutcome.AlreadyExists:
                Sender.Tell(new HistoryCreated(_confUid, _historyUid));
                break;
            default:
                Sender.Tell(failure);
                break;
        }
    }

    private void Append(AppendRecords append)
    {
        if (append.Retry && EndsWith(_state.Records, append.Records))
        {
            Sender.Tell(new RecordsAppended(_confUid, _historyUid, LastSequenceNr));
            return;
        }
        var decision = _state.Handle(new HistoryCommand.Append(append.Records));
        switch (decision.Outcome)
        {
            case HistoryOutcome.Appended when decision.Events.Count == 0:
                Sender.Tell(new RecordsAppended(_confUid, _historyUid, LastSequenceNr));
                break;
            case HistoryOutcome.Appended:
                PersistDecision(decision, new HistoryWriteFailed(_confUid, _historyUid, "journal write failed"), () =>
                {
                    if (HistoryView.LatestMessage(_state.Records) is { } latest)
                    {
                        _index.Tell(new IndexUpdate(_confUid, new IndexedLatestMessageV1(_historyUid, latest)));
                    }
                    return new RecordsAppended(_confUid, _historyUid, LastSequenceNr);
                });
                break;
            case HistoryOutcome.NotFound:
                Sender.Tell(new HistoryWriteFailed(_confUid, _historyUid, "no such history"));
                break;
            default:
                Sender.Tell(new HistoryWriteFailed(_confUid, _historyUid, decision.Reason ?? decision.Outcome.ToString()));
                break;
        }
    }

    private void Delete(DeleteHistory delete)
    {
        var decision = _state.Handle(new HistoryCommand.Delete());
        if (decision.Outcome != HistoryOutcome.Deleted)
        {
            Sender.Tell(new HistoryDeleted(_confUid, _historyUid, false));
            return;
        }
        PersistDecision(decision, new HistoryDeleted(_confUid, _historyUid, false), () =>
        {
            _index.Tell(new IndexUpdate(_confUid, new IndexedHistoryDeletedV1(_historyUid)));
            // OLV removes the file; we remove the conversation from the journal too. With every event gone a
            // recovered history is simply unknown, which answers every request the same way as "deleted".
            DeleteMessages(LastSequenceNr);
            DeleteSnapshots(SnapshotSelectionCriteria.Latest);
            return new HistoryDeleted(_confUid, _historyUid, true);
        });
    }

    private void Import(ImportHistory import)
    {
        var decision = HistoryImport.Decide(_state, import.History);
        if (decision.Outcome != ImportOutcome.Imported)
        {
            Sender.Tell(new HistoryImported(_confUid, _historyUid, decision.Outcome, decision.Reason));
            return;
        }
        // One PersistAll is one atomic write: the journal holds the whole file or none of it.
        PersistDecision(new HistoryDecision(decision.Events, HistoryOutcome.Created),
            new HistoryWriteFailed(_confUid, _historyUid, "journal write failed"), () =>
            {
                _index.Tell(new IndexUpdate(_confUid, new IndexedHistoryCreatedV1(_historyUid, import.History.Created)));
                if (HistoryView.LatestMessage(_state.Records) is { } latest)
                {
                    _index.Tell(new IndexUpdate(_confUid, new IndexedLatestMessageV1(_historyUid, latest)));
                }
                return new HistoryImported(_confUid, _historyUid, ImportOutcome.Imported, null);
            });
    }

    private void StoreSummary(StoreSummary store)
    {
        if (HistorySummaries.Refusal(_state, _summary, store.CoversRecords, store.Text) is { } reason)
        {
            Sender.Tell(new HistoryWriteFailed(_confUid, _historyUid, reason));
            return;
        }
        var summarized = new HistorySummarizedV1(store.CoversRecords, store.Text, ChatTimestamp.Format(DateTime.Now));
        PersistDecision(new HistoryDecision([summarized], HistoryOutcome.Appended),
            new HistoryWriteFailed(_confUid, _historyUid, "journal write failed"),
            () => new SummaryStored(_confUid, _historyUid, store.CoversRecords));
    }

    private void ApplyEvent(IChatHistoryEvent e)
    {
        _state = _state.Apply(e);
        _summary = HistorySummaries.Apply(_summary, e);
    }

    private IChatHistorySnapshot Snapshot() =>
        _summary is { } summary ? new ChatHistorySummarizedSnapshotV1(_state.ToSnapshot(), summary) : _state.ToSnapshot();

    /// <summary>Persists the decision's events; replies with onPersisted's answer after the last one is written.</summary>
    private void PersistDecision(HistoryDecision decision, object failureReply, Func<object> onPersisted)
    {
        var requester = Sender;
        _pendingWrite = (requester, failureReply);
        var remaining = decision.Events.Count;
        PersistAll(decision.Events, e =>
        {
            ApplyEvent(e);
            if (LastSequenceNr % _snapshotInterval == 0)
            {
                SaveSnapshot(Snapshot());
            }
            if (--remaining == 0)
            {
                _pendingWrite = null;
                requester.Tell(onPersisted());
            }
        });
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // Akka stops this actor after a failed write (its state may no longer match the journal). Tell the façade
        // first so it holds further requests for a fresh incarnation, then answer the requester: no silence.
        Context.Parent.Tell(EntityStopping.Instance);
        ReplyWriteFailed(cause, transient: true);
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // A rejected event was not stored and the actor keeps running with its state unchanged.
        ReplyWriteFailed(cause, transient: false);
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    private void ReplyWriteFailed(Exception cause, bool transient)
    {
        if (_pendingWrite is not { } pending)
        {
            return;
        }
        _pendingWrite = null;
        pending.Requester.Tell(pending.FailureReply is HistoryWriteFailed failed
            ? failed with { Reason = $"journal write failed: {cause.Message}", Transient = transient }
            : pending.FailureReply);
    }

    private static bool EndsWith(IReadOnlyList<ChatRecord> records, IReadOnlyList<ChatRecord> tail) =>
        tail.Count > 0 && records.Count >= tail.Count && records.Skip(records.Count - tail.Count).SequenceEqual(tail);
}
