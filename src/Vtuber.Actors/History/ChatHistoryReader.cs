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
    public async Task<StoredHistory?> ReadAsync(string confUid, string historyUid)
    {
        var events = await _events
            .CurrentEventsByPersistenceId(ChatHistoryActor.PersistenceIdFor(confUid, historyUid), 0, long.MaxValue)
            .Select(envelope => envelope.Event)
            .RunWith(Sink.Seq<object>(), _materializer);
        return StoredHistory.FromEvents(confUid, historyUid, events.OfType<IChatHistoryEvent>());
    }

    /// <summary>Every existing history of one character, in no particular order.</summary>
    public Task<IReadOnlyList<StoredHistory>> ReadCharacterAsync(string confUid) => ReadWhereAsync(conf => conf == confUid);

    /// <summary>Every existing history of every character, in no particular order.</summary>
    public Task<IReadOnlyList<StoredHistory>> ReadAllAsync() => ReadWhereAsync(_ => true);

    private async Task<IReadOnlyList<StoredHistory>> ReadWhereAsync(Func<string, bool> confUidFilter)
    {
        var histories = await _ids.CurrentPersistenceIds()
            .Select(HistoryIds)
            .Where(ids => ids is { } id && confUidFilter(id.ConfUid))
            .SelectAsync(HistoriesInFlight, ids => ReadAsync(ids!.Value.ConfUid, ids.Value.HistoryUid))
            .Where(history => history is not null)
            .RunWith(Sink.Seq<StoredHistory?>(), _materializer);
        return histories.Select(h => h!).ToList();
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
