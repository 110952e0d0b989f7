using System.Runtime.Serialization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Vtuber.Domain.History;

namespace Vtuber.Actors.History;

/// <summary>
/// Writes chat-history events and snapshots as plain JSON with a versioned manifest, so the journal never holds
/// CLR type names (Akka's default Newtonsoft serializer writes "$type", and renaming a class would break recovery).
/// A new event shape gets a new manifest (".v2"); the old manifests stay readable forever.
/// </summary>
public sealed class ChatHistoryEventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4243;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Chat text is kept as typed (OLV writes non-ASCII as is); this is storage, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly Dictionary<Type, string> Manifests = new()
    {
        [typeof(HistoryCreatedV1)] = "chat-history-created.v1",
        [typeof(RecordsAppendedV1)] = "chat-history-records-appended.v1",
        [typeof(HistoryDeletedV1)] = "chat-history-deleted.v1",
        [typeof(HistoryMetadataV1)] = "chat-history-metadata.v1",
        [typeof(ChatHistorySnapshotV1)] = "chat-history-snapshot.v1",
        [typeof(HistorySummarizedV1)] = "chat-history-summarized.v1",
        [typeof(ChatHistorySummarizedSnapshotV1)] = "chat-history-summarized-snapshot.v1",
        [typeof(IndexedHistoryCreatedV1)] = "chat-history-index-created.v1",
        [typeof(IndexedLatestMessageV1)] = "chat-history-index-latest-message.v1",
        [typeof(IndexedHistoryDeletedV1)] = "chat-history-index-deleted.v1",
        [typeof(ChatHistoryIndexSnapshotV1)] = "chat-history-index-snapshot.v1",
    };

    private static readonly Dictionary<string, Type> Types = Manifests.ToDictionary(m => m.Value, m => m.Key);

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        Manifests.TryGetValue(o.GetType(), out var manifest)
            ? manifest
            : throw new ArgumentException($"{o.GetType()} has no chat-history manifest", nameof(o));

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest) =>
        Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Json)
              ?? throw new SerializationException($"null payload for manifest {manifest}")
            : throw new SerializationException($"unknown chat-history manifest '{manifest}'");
}
