namespace Vtuber.Domain.History;

/// <summary>The two views OLV gives of a stored history (protocol 2.10).</summary>
public static class HistoryView
{
    /// <summary>OLV's first record in a file; we keep its timestamp as the history's creation time instead.</summary>
    public const string MetadataRole = "metadata";

    /// <summary>What history-data shows: the records minus metadata and system ("[Interrupted by user]") ones.</summary>
    public static IReadOnlyList<ChatRecord> Messages(IEnumerable<ChatRecord> records) =>
        records.Where(r => r.Role != MetadataRole && r.Role != ChatRecord.System).ToList();

    /// <summary>What history-list shows: the last non-metadata record, a system record included; null when empty.</summary>
    public static ChatRecord? LatestMessage(IReadOnlyList<ChatRecord> records)
    {
        for (var i = records.Count - 1; i >= 0; i--)
        {
            if (records[i].Role != MetadataRole)
            {
                return records[i];
            }
        }
        return null;
    }
}
