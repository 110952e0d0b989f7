using System.Text.Json;

namespace Vtuber.Domain.History;

/// <summary>
/// Marker for everything the chat-history actors write to the journal. One stable serializer is bound to it
/// (manifests like "chat-history-created.v1"), so the journal never depends on CLR type names. Events outlive code:
/// never change a V1 record's shape; add a V2 and keep reading V1.
/// </summary>
public interface IChatHistoryEvent;

/// <summary>Marker for snapshot payloads of the chat-history actors, bound to the same serializer.</summary>
public interface IChatHistorySnapshot;

/// <summary>The history exists from now on; Timestamp is what OLV writes into its metadata record.</summary>
public sealed record HistoryCreatedV1(string Timestamp) : IChatHistoryEvent;

public sealed record RecordsAppendedV1(IReadOnlyList<ChatRecord> Records) : IChatHistoryEvent;

public sealed record HistoryDeletedV1 : IChatHistoryEvent;

/// <summary>
/// The extra keys of an imported OLV metadata record (e.g. the Hume agent's resume_id, agent_type), kept as the
/// JSON they were so an export gives them back unchanged. Written only by an import, right after HistoryCreatedV1.
/// </summary>
public sealed record HistoryMetadataV1(IReadOnlyDictionary<string, JsonElement> Extra) : IChatHistoryEvent;

public sealed record ChatHistorySnapshotV1(string? Created, bool Deleted, IReadOnlyList<ChatRecord> Records)
    : IChatHistorySnapshot;

// The per-character index of histories, so listing needs no replay of every history.

public sealed record IndexedHistoryCreatedV1(string HistoryUid, string Created) : IChatHistoryEvent;

public sealed record IndexedLatestMessageV1(string HistoryUid, ChatRecord LatestMessage) : IChatHistoryEvent;

public sealed record IndexedHistoryDeletedV1(string HistoryUid) : IChatHistoryEvent;

/// <summary>One history as the index knows it; LatestMessage is null while the history holds no messages.</summary>
public sealed record IndexedHistoryV1(string HistoryUid, string Created, ChatRecord? LatestMessage);

public sealed record ChatHistoryIndexSnapshotV1(IReadOnlyList<IndexedHistoryV1> Histories) : IChatHistorySnapshot;
