using System.Collections.Immutable;

namespace Vtuber.Domain.History;

/// <summary>What a chat-history actor is asked to do, in domain terms (ids are the actor's identity, not data).</summary>
public abstract record HistoryCommand
{
    public sealed record Create(string Timestamp) : HistoryCommand;
    public sealed record Append(IReadOnlyList<ChatRecord> Records) : HistoryCommand;
    public sealed record Delete : HistoryCommand;
}

public enum HistoryOutcome
{
    Created,
    /// <summary>A repeated create (a retried request): nothing to write, the history is there.</summary>
    AlreadyExists,
    Appended,
    Deleted,
    /// <summary>Never created, or deleted: OLV has no file to write to or delete.</summary>
    NotFound,
    /// <summary>The records cannot be stored (a "metadata" or empty role); Reason says which.</summary>
    Rejected,
}

public sealed record HistoryDecision(IReadOnlyList<IChatHistoryEvent> Events, HistoryOutcome Outcome, string? Reason = null);

/// <summary>
/// One chat history: its records in order, when it was created, and whether it was deleted. Pure: the actor asks
/// <see cref="Handle"/> what to persist and folds persisted events back in with <see cref="Apply"/>.
/// </summary>
public sealed record ChatHistoryState(string? Created, bool Deleted, ImmutableList<ChatRecord> Records)
{
    public static readonly ChatHistoryState Empty = new(null, false, []);

    public bool Exists => Created is not null && !Deleted;

    public HistoryDecision Handle(HistoryCommand command) => command switch
    {
        HistoryCommand.Create create => Deleted
            ? new HistoryDecision([], HistoryOutcome.NotFound)
            : Created is null
                ? new HistoryDecision([new HistoryCreatedV1(create.Timestamp)], HistoryOutcome.Created)
                : new HistoryDecision([], HistoryOutcome.AlreadyExists),
        HistoryCommand.Append append => HandleAppend(append.Records),
        HistoryCommand.Delete => Exists
            ? new HistoryDecision([new HistoryDeletedV1()], HistoryOutcome.Deleted)
            : new HistoryDecision([], HistoryOutcome.NotFound),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown history command"),
    };

    public ChatHistoryState Apply(IChatHistoryEvent @event) => @event switch
    {
        HistoryCreatedV1 created => this with { Created = created.Timestamp },
        RecordsAppendedV1 appended => this with { Records = Records.AddRange(appended.Records) },
        // Only exports and the read API show imported metadata (StoredHistory); the live history never needs it.
        HistoryMetadataV1 => this,
        // The summary is the agent's, kept beside the records (HistorySummaries); the records stay whole.
        HistorySummarizedV1 => this,
        // Records are dropped: a deleted history is never read again, only answered "not found".
        HistoryDeletedV1 => this with { Deleted = true, Records = [] },
        _ => throw new ArgumentOutOfRangeException(nameof(@event), @event, "not a chat history event"),
    };

    public ChatHistorySnapshotV1 ToSnapshot() => new(Created, Deleted, Records);

    public static ChatHistoryState FromSnapshot(ChatHistorySnapshotV1 snapshot) =>
        new(snapshot.Created, snapshot.Deleted, [.. snapshot.Records]);

    private HistoryDecision HandleAppend(IReadOnlyList<ChatRecord> records)
    {
        if (!Exists)
        {
            return new HistoryDecision([], HistoryOutcome.NotFound);
        }
        var bad = records.FirstOrDefault(r => string.IsNullOrEmpty(r.Role) || r.Role == HistoryView.MetadataRole);
        if (bad is not null)
        {
            return new HistoryDecision([], HistoryOutcome.Rejected,
                $"record role '{bad.Role}' cannot be appended; metadata belongs to the history itself");
        }
        return records.Count == 0
            ? new HistoryDecision([], HistoryOutcome.Appended)
            : new HistoryDecision([new RecordsAppendedV1(records.ToList())], HistoryOutcome.Appended);
    }
}
