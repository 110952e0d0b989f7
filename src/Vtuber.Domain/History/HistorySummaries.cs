namespace Vtuber.Domain.History;

/// <summary>
/// A rolling summary of a history's first <see cref="CoversRecords"/> records, written by the character's LLM when
/// the agent folded them out of its prompt. Journaled beside the records it covers, so a reload or a restart uses it
/// instead of summarising again; the records themselves stay (exports and the history view show them all).
/// </summary>
public sealed record HistorySummarizedV1(int CoversRecords, string Text, string Timestamp) : IChatHistoryEvent;

/// <summary>A history snapshot of a history that has a summary: the history's own snapshot and its newest summary.</summary>
public sealed record ChatHistorySummarizedSnapshotV1(ChatHistorySnapshotV1 History, HistorySummarizedV1 Summary)
    : IChatHistorySnapshot;

/// <summary>The decisions about a history's summary, beside <see cref="ChatHistoryState"/> (which ignores summaries).</summary>
public static class HistorySummaries
{
    /// <summary>The newest summary after an event: a new one replaces it, a deletion drops it.</summary>
    public static HistorySummarizedV1? Apply(HistorySummarizedV1? current, IChatHistoryEvent @event) => @event switch
    {
        HistorySummarizedV1 summary => summary,
        HistoryDeletedV1 => null,
        _ => current,
    };

    /// <summary>
    /// Why a summary cannot be stored, or null when it can: the history must exist, the summary cover some of its
    /// records and no more than it has, and cover more than the summary it replaces (an older fold arriving late
    /// must not undo a newer one).
    /// </summary>
    public static string? Refusal(ChatHistoryState state, HistorySummarizedV1? current, int coversRecords, string text) =>
        !state.Exists ? "no such history"
        : string.IsNullOrWhiteSpace(text) ? "the summary is empty"
        : coversRecords < 1 || coversRecords > state.Records.Count
            ? $"a summary must cover 1..{state.Records.Count} records, not {coversRecords}"
        : current is not null && coversRecords <= current.CoversRecords
            ? $"the history already has a summary of its first {current.CoversRecords} records"
        : null;
}
