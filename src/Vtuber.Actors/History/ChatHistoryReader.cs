using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Vtuber.Domain.History;

namespace Vtuber.Actors.History;

/// <summary>
/// Reads chat histories straight from the journal (Akka.Persistence.Query over the SQL read journal), never through
/// the live actors: reading the whole store for an export or the HTTP API neither loads every history into memory nor
/// queues behind a session's writes. Sees what is persisted, so an acknowledged record is always visible.
/// </summary>
public sealed class ChatHistoryReader
{
    // Histories are read concurrently; each is one query, the connection pool bounds the rest.
    private const int HistoriesInFlight = 4;

    private readonly ICurrentPersistenceIdsQuery _ids;
    private readonly ICurrentEventsByPersistenceIdQuery _events;
    private readonly IMaterializer _materializer;

    public ChatHistoryReader(ActorSystem system)
    {
        var journal = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        _ids = journal;
        _events = journal;
        _materializer = system.Materializer();
    }

    /// <summary>One history, or null when it was never created or was deleted.</summary>
    public async Task<StoredHistory?> ReadAsync(string confUid, string historyUid) =>
        StoredHistory.FromEvents(confUid, historyUid, await EventsAsync(confUid, historyUid));

    /// <summary>Every existing history of one character, in no particular order.</summary>
    public Task<IReadOnlyList<StoredHistory>> ReadCharacterAsync(string confUid) => ReadWhereAsync(conf => conf == confUid);

    /// <summary>Every existing history of every character, in no particular order.</summary>
    public Task<IReadOnlyList<StoredHistory>> ReadAllAsync() => ReadWhereAsync(_ => true);

    private async Task<IReadOnlyList<StoredHistory>> ReadWhereAsync(Func<string, bool> confUidFilter)
    {
        // Stream elements are never null, so histories travel as (ids, events) and are folded afterwards.
        var histories = await _ids.CurrentPersistenceIds()
            .Where(id => HistoryIds(id) is { } ids && confUidFilter(ids.ConfUid))
            .Select(id => HistoryIds(id)!.Value)
            .SelectAsync(HistoriesInFlight, async ids => (Ids: ids, Events: await EventsAsync(ids.ConfUid, ids.HistoryUid)))
            .RunWith(Sink.Seq<((string ConfUid, string HistoryUid) Ids, IReadOnlyList<IChatHistoryEvent> Events)>(), _materializer);
        return histories
            .Select(h => StoredHistory.FromEvents(h.Ids.ConfUid, h.Ids.HistoryUid, h.Events))
            .OfType<StoredHistory>()
            .ToList();
    }

    private async Task<IReadOnlyList<IChatHistoryEvent>> EventsAsync(string confUid, string historyUid)
    {
        var events = await _events
            .CurrentEventsByPersistenceId(ChatHistoryActor.PersistenceIdFor(confUid, historyUid), 0, long.MaxValue)
            .Select(envelope => envelope.Event)
            .RunWith(Sink.Seq<object>(), _materializer);
        return events.OfType<IChatHistoryEvent>().ToList();
    }

    // "chat-history|<conf_uid>|<history_uid>"; conf uids never hold '|', so the split is exact. Other ids (the
    // per-character indexes, anything else sharing the journal) are not histories.
    private static (string ConfUid, string HistoryUid)? HistoryIds(string persistenceId)
    {
        var parts = persistenceId.Split('|');
        return parts.Length == 3 && ChatHistoryActor.PersistenceIdFor(parts[1], parts[2]) == persistenceId
               && ConfUidFormat.IsValid(parts[1]) && HistoryUid.IsValid(parts[2])
            ? (parts[1], parts[2])
            : null;
    }
}
