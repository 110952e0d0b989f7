using System.Runtime.Serialization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Configuration;

/// <summary>
/// Writes config versions as plain JSON with a versioned manifest, as <see cref="History.ChatHistoryEventSerializer"/>
/// does for histories: no CLR type names in the journal, so renaming a class never breaks recovery. A new event
/// shape gets a new manifest (".v2"); the old ones stay readable.
/// </summary>
public sealed class ConfigJournalSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4244;

    public const string VersionManifest = "config-version.v1";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // The YAML text is kept as written (comments in any language); this is storage, not HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public override int Identifier => Id;

    public override string Manifest(object o) => o is ConfigVersionV1
        ? VersionManifest
        : throw new ArgumentException($"{o.GetType()} has no config-journal manifest", nameof(o));

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest) => manifest == VersionManifest
        ? JsonSerializer.Deserialize<ConfigVersionV1>(bytes, Json)
          ?? throw new SerializationException($"null payload for manifest {manifest}")
        : throw new SerializationException($"unknown config-journal manifest '{manifest}'");
}
