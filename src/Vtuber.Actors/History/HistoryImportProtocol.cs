using Vtuber.Domain.History;

namespace Vtuber.Actors.History;

/// <summary>
/// Writes one validated OLV history to the journal as one batch (HistoryCreated, its metadata keys and all records
/// in a single PersistAll), then updates the character's index. Sent to the ChatHistories façade. Answered with
/// HistoryImported, or HistoryWriteFailed (invalid ids, journal write failed) when nothing was written.
/// </summary>
public sealed record ImportHistory(ImportedHistory History);

/// <summary>Imported, AlreadyImported or Conflict; Reason says more for the last two.</summary>
public sealed record HistoryImported(string ConfUid, string HistoryUid, ImportOutcome Outcome, string? Reason);
