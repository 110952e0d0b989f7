using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Vtuber.Protocol;

// Messages the server sends (olv-protocol.md 2.5). Field names and string literals are the spec; do not rename.
// Each record carries its "type" as the first property.

public abstract record ServerMessage(
    [property: JsonPropertyName("type"), JsonPropertyOrder(-1)] string Type);

public sealed record FullText([property: JsonPropertyName("text")] string Text)
    : ServerMessage("full-text")
{
    public const string ConnectionEstablished = "Connection established";
    public const string Thinking = "Thinking...";
}

/// <summary>control: the sub-command travels in "text".</summary>
public sealed record Control([property: JsonPropertyName("text")] string Text)
    : ServerMessage("control")
{
    public const string StartMic = "start-mic";
    public const string ConversationChainStart = "conversation-chain-start";
    public const string ConversationChainEnd = "conversation-chain-end";
    public const string Interrupt = "interrupt";
    public const string MicAudioEnd = "mic-audio-end";
}

/// <summary>set-model-and-conf: model_info is the model_dict.json entry verbatim; client_uid omitted after a switch.</summary>
public sealed record SetModelAndConf(
    [property: JsonPropertyName("model_info")] JsonElement ModelInfo,
    [property: JsonPropertyName("conf_name")] string ConfName,
    [property: JsonPropertyName("conf_uid")] string ConfUid,
    [property: JsonPropertyName("client_uid"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ClientUid)
    : ServerMessage("set-model-and-conf");

public sealed record GroupUpdate(
    [property: JsonPropertyName("members")] IReadOnlyList<string> Members,
    [property: JsonPropertyName("is_owner")] bool IsOwner)
    : ServerMessage("group-update")
{
    public static readonly GroupUpdate Alone = new([], false);
}

/// <summary>The answer to a group operation, or news of one (olv-protocol 2.12); the messages are OLV's texts.</summary>
public sealed record GroupOperationResult(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("message")] string Message)
    : ServerMessage("group-operation-result");

/// <summary>Sent to every member after a group interrupt; the frontend then stops locally without answering.</summary>
public sealed record GroupInterrupted() : ServerMessage("interrupt-signal")
{
    [JsonPropertyName("text")]
    public string Text => "conversation-interrupted";
}

public sealed record UserInputTranscription([property: JsonPropertyName("text")] string Text)
    : ServerMessage("user-input-transcription");

public sealed record DisplayTextPayload(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("avatar")] string Avatar);

/// <summary>actions: {} without tags, {"expressions":[3]} with; an expression is an index (number) or a name (string).</summary>
public sealed record ActionsPayload(
    [property: JsonPropertyName("expressions"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonArray? Expressions)
{
    public static readonly ActionsPayload None = new((JsonArray?)null);
}

/// <summary>One sentence: audio is base64 of a whole PCM16 WAV file, or null for a silent payload.</summary>
public sealed record AudioMessage(
    [property: JsonPropertyName("audio")] string? Audio,
    [property: JsonPropertyName("volumes")] IReadOnlyList<double> Volumes,
    [property: JsonPropertyName("slice_length")] int SliceLength,
    [property: JsonPropertyName("display_text")] DisplayTextPayload? DisplayText,
    [property: JsonPropertyName("actions")] ActionsPayload? Actions,
    [property: JsonPropertyName("forwarded")] bool Forwarded)
    : ServerMessage("audio");

public sealed record BackendSynthComplete() : ServerMessage("backend-synth-complete");

public sealed record ForceNewMessage() : ServerMessage("force-new-message");

/// <summary>A history record on the wire: name/avatar only when present, as OLV writes them.</summary>
public sealed record HistoryRecordPayload(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("timestamp")] string Timestamp,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("name"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name,
    [property: JsonPropertyName("avatar"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Avatar);

public sealed record HistorySummaryPayload(
    [property: JsonPropertyName("uid")] string Uid,
    [property: JsonPropertyName("latest_message")] HistoryRecordPayload LatestMessage,
    [property: JsonPropertyName("timestamp")] string Timestamp);

public sealed record HistoryListMessage([property: JsonPropertyName("histories")] IReadOnlyList<HistorySummaryPayload> Histories)
    : ServerMessage("history-list");

public sealed record HistoryData([property: JsonPropertyName("messages")] IReadOnlyList<HistoryRecordPayload> Messages)
    : ServerMessage("history-data");

public sealed record NewHistoryCreated([property: JsonPropertyName("history_uid")] string HistoryUid)
    : ServerMessage("new-history-created");

public sealed record HistoryDeletedMessage(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("history_uid")] string HistoryUid)
    : ServerMessage("history-deleted");

public sealed record ConfigFileEntry(
    [property: JsonPropertyName("filename")] string Filename,
    [property: JsonPropertyName("name")] string Name);

public sealed record ConfigFiles([property: JsonPropertyName("configs")] IReadOnlyList<ConfigFileEntry> Configs)
    : ServerMessage("config-files");

public sealed record ConfigSwitched([property: JsonPropertyName("message")] string Message)
    : ServerMessage("config-switched");

public sealed record BackgroundFiles([property: JsonPropertyName("files")] IReadOnlyList<string> Files)
    : ServerMessage("background-files");

public sealed record HeartbeatAck() : ServerMessage("heartbeat-ack");

public sealed record ErrorMessage([property: JsonPropertyName("message")] string Message)
    : ServerMessage("error");

/// <summary>
/// tool_call_status (olv-protocol 2.14; underscores, unlike every other type): one step of an MCP tool call. The
/// timestamp keeps OLV's quirk, an ISO-8601 UTC time with "+00:00" and then "Z"; name is the character's name.
/// </summary>
public sealed record ToolCallStatus(
    [property: JsonPropertyName("tool_id")] string ToolId,
    [property: JsonPropertyName("tool_name")] string ToolName,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("content")] string Content,
    [property: JsonPropertyName("timestamp")] string Timestamp,
    [property: JsonPropertyName("name")] string Name)
    : ServerMessage("tool_call_status")
{
    /// <summary>Python's datetime.now(timezone.utc).isoformat() + "Z", as OLV writes it.</summary>
    public static string OlvTimestamp(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00Z'", System.Globalization.CultureInfo.InvariantCulture);
}
