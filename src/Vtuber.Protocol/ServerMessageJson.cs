using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vtuber.Protocol;

/// <summary>UTF-8 JSON for server messages through source-generated metadata (no reflection on the hot path).</summary>
public static class ServerMessageJson
{
    // Relaxed escaping: base64 '+' and non-ASCII text go out as-is instead of \u002B escapes (smaller audio
    // frames). Safe here: frames are JSON over a WebSocket, never embedded in HTML.
    private static readonly ServerMessageJsonContext Context = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static byte[] Serialize(ServerMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), Context);
}

[JsonSerializable(typeof(FullText))]
[JsonSerializable(typeof(Control))]
[JsonSerializable(typeof(SetModelAndConf))]
[JsonSerializable(typeof(GroupUpdate))]
[JsonSerializable(typeof(GroupOperationResult))]
[JsonSerializable(typeof(GroupInterrupted))]
[JsonSerializable(typeof(UserInputTranscription))]
[JsonSerializable(typeof(AudioMessage))]
[JsonSerializable(typeof(BackendSynthComplete))]
[JsonSerializable(typeof(ForceNewMessage))]
[JsonSerializable(typeof(HistoryListMessage))]
[JsonSerializable(typeof(HistoryData))]
[JsonSerializable(typeof(NewHistoryCreated))]
[JsonSerializable(typeof(HistoryDeletedMessage))]
[JsonSerializable(typeof(ConfigFiles))]
[JsonSerializable(typeof(ConfigSwitched))]
[JsonSerializable(typeof(BackgroundFiles))]
[JsonSerializable(typeof(HeartbeatAck))]
[JsonSerializable(typeof(ErrorMessage))]
[JsonSerializable(typeof(ToolCallStatus))]
internal sealed partial class ServerMessageJsonContext : JsonSerializerContext;
