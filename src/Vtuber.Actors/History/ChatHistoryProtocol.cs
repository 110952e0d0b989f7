using Vtuber.Domain.History;

namespace Vtuber.Actors.History;

// The public protocol of the chat histories, sent to the ChatHistories façade (ActorRegistry key: ChatHistories).
// Every request names its conf_uid (and history_uid once it exists) so the façade can route it: today to a local
// child, later through a sharding message extractor, with the same shapes.
//
// Invalid ids (path-like, control characters, not OLV's history uid format) are answered, never crash an actor:
// Create/Append -> HistoryWriteFailed, Load -> HistoryLoaded(Exists: false), Delete -> HistoryDeleted(false),
// List -> an empty HistoryList.

/// <summary>Starts a new history for the character; the façade picks the uid (local time + uuid4 hex).</summary>
public sealed record CreateHistory(string ConfUid);

public sealed record HistoryCreated(string ConfUid, string HistoryUid);

/// <summary>Appends records in order. Answered with RecordsAppended only once they are in the journal.</summary>
public sealed record AppendRecords(string ConfUid, string HistoryUid, IReadOnlyList<ChatRecord> Records)
{
    /// <summary>
    /// Sent again after a transient HistoryWriteFailed. If the records already end the history, an earlier attempt
    /// was stored after all (a journal timeout can commit late) and they are acknowledged without a second write.
    /// </summary>
    public bool Retry { get; init; }
}

/// <summary>The acknowledgement: every record of the request is persisted; SequenceNr is the journal position.</summary>
public sealed record RecordsAppended(string ConfUid, string HistoryUid, long SequenceNr);

/// <summary>Nothing of the request was persisted (journal down, unknown or deleted history, invalid id or record).</summary>
public sealed record HistoryWriteFailed(string ConfUid, string HistoryUid, string Reason)
{
    /// <summary>The journal failed to write (not a refusal): the same request may succeed when sent again.</summary>
    public bool Transient { get; init; }
}

public sealed record LoadHistory(string ConfUid, string HistoryUid);

/// <summary>All stored records, system ones included; history-data callers filter with HistoryView.Messages.</summary>
public sealed record HistoryLoaded(string ConfUid, string HistoryUid, bool Exists, IReadOnlyList<ChatRecord> Records)
{
    /// <summary>The newest rolling summary of the history's first records, if the agent ever folded any.</summary>
    public HistorySummarizedV1? Summary { get; init; }
}

/// <summary>
/// Journals the agent's rolling summary of the history's first CoversRecords records. Answered with SummaryStored,
/// or HistoryWriteFailed (unknown history, covers more records than stored, older than the summary it has).
/// </summary>
public sealed record StoreSummary(string ConfUid, string HistoryUid, int CoversRecords, string Text);

public sealed record SummaryStored(string ConfUid, string HistoryUid, int CoversRecords);

public sealed record ListHistories(string ConfUid);

/// <summary>Newest first by the latest message's timestamp; histories without messages are left out.</summary>
public sealed record HistoryList(string ConfUid, IReadOnlyList<HistorySummary> Histories);

/// <summary>One history-list entry: OLV's {uid, latest_message, timestamp}.</summary>
public sealed record HistorySummary(string Uid, ChatRecord LatestMessage, string Timestamp);

public sealed record DeleteHistory(string ConfUid, string HistoryUid);

public sealed record HistoryDeleted(string ConfUid, string HistoryUid, bool Success);

/// <summary>
/// Stops every history and index once the work already queued to them is written, then replies Akka.Done.
/// Sent by CoordinatedShutdown, so an index update that trails an acknowledged append is not cut off.
/// </summary>
public sealed record DrainHistories
{
    public static readonly DrainHistories Instance = new();
}

// Between the façade and its entities only.

/// <summary>Façade -> new history entity: CreateHistory with the uid and creation time the façade chose.</summary>
internal sealed record InitializeHistory(string ConfUid, string HistoryUid, string Created);

/// <summary>History entity -> index (through the façade), after the history's own write succeeded.</summary>
internal sealed record IndexUpdate(string ConfUid, IChatHistoryEvent Event);

/// <summary>Entity -> façade: I have been idle; stop me once my mailbox is drained (sharding's Passivate).</summary>
internal sealed record PassivateEntity
{
    public static readonly PassivateEntity Instance = new();
}

/// <summary>Façade -> entity, queued behind any work already in its mailbox.</summary>
internal sealed record StopEntity
{
    public static readonly StopEntity Instance = new();
}

/// <summary>
/// Entity -> façade: Akka is stopping me (a failed journal write stops a persistent actor by design). Sent before
/// the failure reply, so the requester's retry reaches the façade after it and is held for my next incarnation.
/// </summary>
internal sealed record EntityStopping
{
    public static readonly EntityStopping Instance = new();
}
