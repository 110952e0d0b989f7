using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vtuber.Domain.History;

/// <summary>The outcome of reading one OLV history file: the history, or why the file cannot be imported.</summary>
public sealed record OlvHistoryParse(ImportedHistory? History, string? Error);

/// <summary>
/// OLV's chat_history/&lt;conf_uid&gt;/&lt;history_uid&gt;.json (olv-protocol.md 4): a JSON array whose element 0 is
/// usually {"role":"metadata","timestamp":…} (extra keys allowed), followed by human/ai/system records. Reading is
/// all or nothing: one bad record rejects the whole file, so a history is never half imported.
/// </summary>
public static class OlvHistoryFile
{
    private static readonly HashSet<string> MessageRoles = [ChatRecord.Human, ChatRecord.Ai, ChatRecord.System];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        // Python's json.dump(ensure_ascii=False): chat text stays readable. (Characters outside the BMP, e.g.
        // emoji, are still written as \u escapes by System.Text.Json; OLV reads them back as the same text.)
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static OlvHistoryParse Parse(string confUid, string historyUid, string json)
    {
        if (!ConfUidFormat.IsValid(confUid))
        {
            return Fail("folder name is not a valid conf_uid (letters, digits, '_', '-', '.', ' ')");
        }
        if (!HistoryUid.IsValid(historyUid))
        {
            return Fail("file name is not a history uid (YYYY-MM-DD_HH-MM-SS_<32 hex>.json)");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return Fail($"invalid JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return Fail($"expected a JSON array of records, found {document.RootElement.ValueKind}");
            }
            var created = CreatedFromUid(historyUid);
            var metadata = new Dictionary<string, JsonElement>();
            var records = new List<ChatRecord>();
            var position = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                position++;
                if (element.ValueKind != JsonValueKind.Object)
                {
                    return Fail($"record {position}: expected an object, found {element.ValueKind}");
                }
                var badRole = OptionalString(element, "role", out var role);
                if (badRole is not null || string.IsNullOrEmpty(role))
                {
                    return Fail($"record {position}: {badRole ?? "missing role"}");
                }
                if (role == HistoryView.MetadataRole)
                {
                    if (position != 1)
                    {
                        return Fail($"record {position}: a metadata record is only allowed first");
                    }
                    var badStamp = OptionalString(element, "timestamp", out var stamp);
                    if (badStamp is not null || stamp is null)
                    {
                        return Fail($"record 1: metadata {badStamp ?? "has no timestamp"}");
                    }
                    created = stamp;
                    foreach (var property in element.EnumerateObject().Where(p => p.Name is not ("role" or "timestamp")))
                    {
                        metadata[property.Name] = property.Value.Clone();
                    }
                    continue;
                }
                if (!MessageRoles.Contains(role))
                {
                    return Fail($"record {position}: unknown role '{role}' (expected human, ai or system)");
                }
                var problems = new[]
                {
                    OptionalString(element, "content", out var content), content is null ? "has no content" : null,
                    OptionalString(element, "timestamp", out var timestamp), timestamp is null ? "has no timestamp" : null,
                    OptionalString(element, "name", out var name),
                    OptionalString(element, "avatar", out var avatar),
                };
                var problem = problems.FirstOrDefault(p => p is not null);
                if (problem is not null)
                {
                    return Fail($"record {position} ({role}): {problem}");
                }
                records.Add(new ChatRecord(role, timestamp!, content!, name, avatar));
            }
            return new OlvHistoryParse(new ImportedHistory(confUid, historyUid, created, metadata, records), null);
        }
    }

    /// <summary>
    /// The file OLV would have written: pretty JSON (indent 2), UTF-8 without BOM, the metadata record first with
    /// the creation time and any imported keys, then every record with name/avatar only when non-null.
    /// </summary>
    public static byte[] Write(StoredHistory history)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartArray();
            json.WriteStartObject();
            json.WriteString("role", HistoryView.MetadataRole);
            json.WriteString("timestamp", history.Created);
            foreach (var (key, value) in history.Metadata)
            {
                json.WritePropertyName(key);
                value.WriteTo(json);
            }
            json.WriteEndObject();
            foreach (var record in history.Records)
            {
                json.WriteStartObject();
                json.WriteString("role", record.Role);
                json.WriteString("timestamp", record.Timestamp);
                json.WriteString("content", record.Content);
                if (record.Name is not null)
                {
                    json.WriteString("name", record.Name);
                }
                if (record.Avatar is not null)
                {
                    json.WriteString("avatar", record.Avatar);
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads the file as OLV writes it (UTF-8, a BOM tolerated); invalid UTF-8 is an error, not '?'s.</summary>
    public static string ReadText(byte[] bytes) =>
        new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)
            .GetString(bytes.AsSpan(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0));

    // A file that lost its metadata record (OLV re-creates deleted files without one) was still created when its
    // uid says: "2026-02-11_13-14-30_…" -> "2026-02-11T13:14:30".
    private static string CreatedFromUid(string historyUid) =>
        historyUid[..10] + "T" + historyUid[11..19].Replace('-', ':');

    // Null when the property is absent, null or a string (value set accordingly); otherwise what is wrong.
    private static string? OptionalString(JsonElement record, string property, out string? value)
    {
        value = null;
        if (!record.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            return $"{property} must be a string, found {element.ValueKind}";
        }
        value = element.GetString();
        return null;
    }

    private static OlvHistoryParse Fail(string reason) => new(null, reason);
}
