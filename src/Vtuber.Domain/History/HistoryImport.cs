using System.Text.Json;

namespace Vtuber.Domain.History;

/// <summary>
/// One OLV history file, validated whole, ready to be written to the journal as one batch. Created is the metadata
/// record's timestamp; Metadata holds that record's other keys (role and timestamp excluded), in file order.
/// </summary>
public sealed record ImportedHistory(string ConfUid, string HistoryUid, string Created,
    IReadOnlyDictionary<string, JsonElement> Metadata, IReadOnlyList<ChatRecord> Records);

public enum ImportOutcome
{
    /// <summary>The history was new and is now in the journal, whole.</summary>
    Imported,
    /// <summary>The journal holds the same records (maybe more, added since); nothing was written.</summary>
    AlreadyImported,
    /// <summary>The journal holds a different history under this uid, or it was deleted; nothing was written.</summary>
    Conflict,
    /// <summary>The file cannot be imported (bad JSON, bad record, bad folder or file name); nothing was written.</summary>
    Invalid,
    /// <summary>The journal refused the write; nothing was written.</summary>
    WriteFailed,
}

public sealed record ImportDecision(IReadOnlyList<IChatHistoryEvent> Events, ImportOutcome Outcome, string? Reason = null);

/// <summary>
/// What importing a file means for the history already under its uid. Importing is idempotent: a file whose records
/// the journal already holds (as they are, or as the start of a history that went on) writes nothing. A journal
/// history that differs is never overwritten or merged: the user decides, we report a conflict.
/// </summary>
public static class HistoryImport
{
    public static ImportDecision Decide(ChatHistoryState current, ImportedHistory file)
    {
        if (current.Deleted)
        {
            return new ImportDecision([], ImportOutcome.Conflict, "the history was deleted here; not imported again");
        }
        if (current.Created is null)
        {
            var events = new List<IChatHistoryEvent> { new HistoryCreatedV1(file.Created) };
            if (file.Metadata.Count > 0)
            {
                events.Add(new HistoryMetadataV1(file.Metadata));
            }
            if (file.Records.Count > 0)
            {
                events.Add(new RecordsAppendedV1(file.Records));
            }
            return new ImportDecision(events, ImportOutcome.Imported);
        }
        var stored = current.Records;
        var common = Math.Min(stored.Count, file.Records.Count);
        var firstDifference = Enumerable.Range(0, common).FirstOrDefault(i => stored[i] != file.Records[i], -1);
        if (firstDifference < 0 && stored.Count >= file.Records.Count)
        {
            return new ImportDecision([], ImportOutcome.AlreadyImported, stored.Count == file.Records.Count
                ? null
                : $"{stored.Count - file.Records.Count} record(s) were added here since");
        }
        return new ImportDecision([], ImportOutcome.Conflict, firstDifference >= 0
            ? $"the stored history differs at record {firstDifference + 1}; not overwritten"
            : $"the file has {file.Records.Count - stored.Count} record(s) more than the stored history; not merged");
    }
}
