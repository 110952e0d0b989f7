using System.Text.Json;

namespace Vtuber.Domain.History;

/// <summary>
/// A history as its journal events tell it, for readers outside the live actors (the read API, the export):
/// creation time, imported metadata keys and every record, system ones included.
/// </summary>
public sealed record StoredHistory(string ConfUid, string HistoryUid, string Created,
    IReadOnlyDictionary<string, JsonElement> Metadata, IReadOnlyList<ChatRecord> Records)
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoMetadata = new Dictionary<string, JsonElement>();

    /// <summary>Folds a history's events in journal order; null when the history was never created or was deleted.</summary>
    public static StoredHistory? FromEvents(string confUid, string historyUid, IEnumerable<IChatHistoryEvent> events)
    {
        var state = ChatHistoryState.Empty;
        var metadata = NoMetadata;
        foreach (var e in events)
        {
            state = state.Apply(e);
            metadata = e switch
            {
                HistoryMetadataV1 m => m.Extra,
                HistoryDeletedV1 => NoMetadata,
                _ => metadata,
            };
        }
        return state.Exists ? new StoredHistory(confUid, historyUid, state.Created!, metadata, state.Records) : null;
    }

    /// <summary>history-list's "latest message": the last record, a system one included; null when empty.</summary>
    public ChatRecord? LatestMessage => HistoryView.LatestMessage(Records);

    /// <summary>Newest activity first: the latest message's time, or the creation time of an empty history.</summary>
    public string LastActivity => LatestMessage?.Timestamp ?? Created;
}
