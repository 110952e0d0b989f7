using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vtuber.Server.Tests.Support;

/// <summary>A WebSocket client that behaves like the OLV frontend on the wire: JSON text frames in and out.</summary>
public sealed class OlvClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(20);
    private readonly ClientWebSocket _socket = new();

    public List<JsonObject> Received { get; } = [];

    public static async Task<OlvClient> ConnectAsync(Uri server, string path = "/client-ws")
    {
        var client = new OlvClient();
        var endpoint = new UriBuilder(new Uri(server, path)) { Scheme = server.Scheme == "https" ? "wss" : "ws" }.Uri;
        await client._socket.ConnectAsync(endpoint, CancellationToken.None);
        return client;
    }

    public WebSocketState State => _socket.State;

    public Task SendAsync(object message) => SendRawAsync(JsonSerializer.Serialize(message));

    public Task SendRawAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendBinaryAsync(byte[] data) =>
        _socket.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>The next frame; fails the test if none arrives in time.</summary>
    public async Task<JsonObject> ReceiveAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? DefaultWait);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(chunk.AsMemory(), timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No frame within {wait ?? DefaultWait}; received so far: " +
                                           string.Join(", ", Received.Select(Describe)));
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"Server closed the socket: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage)
            {
                var frame = JsonNode.Parse(buffer.ToArray())!.AsObject();
                Received.Add(frame);
                return frame;
            }
        }
    }

    /// <summary>Receives until a frame of the given type (and control text, if given) arrives; returns all frames read.</summary>
    public async Task<List<JsonObject>> ReceiveUntilAsync(string type, string? text = null, TimeSpan? wait = null)
    {
        var frames = new List<JsonObject>();
        while (true)
        {
            var frame = await ReceiveAsync(wait);
            frames.Add(frame);
            if (Type(frame) == type && (text is null || (string?)frame["text"] == text))
            {
                return frames;
            }
        }
    }

    /// <summary>
    /// A round trip that proves everything the server queued before it has been received: heartbeat-ack comes back
    /// through the same ordered writer. Returns the frames that came before the ack.
    /// </summary>
    public async Task<List<JsonObject>> DrainAsync()
    {
        await SendAsync(new { type = "heartbeat" });
        var frames = await ReceiveUntilAsync("heartbeat-ack");
        frames.RemoveAt(frames.Count - 1);
        return frames;
    }

    public static string Type(JsonObject frame) => (string)frame["type"]!;

    public static string Describe(JsonObject frame) =>
        Type(frame) + (frame["text"] is JsonValue text ? $"({text})" : "") +
        (frame["display_text"]?["text"] is JsonValue display ? $"({display})" : "");

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }
        _socket.Dispose();
    }
}
