using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Vtuber.Bench.Sessions;

/// <summary>What a received frame is, as far as the frontend's side of the protocol cares.</summary>
public enum FrameKind
{
    Other,
    Audio,
    BackendSynthComplete,
    ChainStart,
    ChainEnd,
    StartMic,
    HeartbeatAck,
    Error,
    Reply, // one of the four replies to the requests the frontend sends on open
}

/// <summary>
/// One WebSocket client doing what the official OLV frontend does (olv-protocol.md 2.3, 2.8, 2.19): on open it sends
/// fetch-backgrounds, fetch-configs, fetch-history-list and create-new-history without waiting for the greeting;
/// a turn is text-input, audio-play-start for every audio frame (with its display_text), frontend-playback-complete
/// after backend-synth-complete, and it ends at control conversation-chain-end. Not thread-safe: one loop drives it.
/// </summary>
public sealed class OlvLoadClient : IDisposable
{
    private static readonly byte[] TextInput = """{"type":"text-input","text":"Tell me something.","images":[]}"""u8.ToArray();
    private static readonly byte[] PlaybackComplete = """{"type":"frontend-playback-complete"}"""u8.ToArray();
    private static readonly byte[] Heartbeat = """{"type":"heartbeat"}"""u8.ToArray();
    private static readonly byte[][] OpenRequests =
    [
        """{"type":"fetch-backgrounds"}"""u8.ToArray(),
        """{"type":"fetch-configs"}"""u8.ToArray(),
        """{"type":"fetch-history-list"}"""u8.ToArray(),
        """{"type":"create-new-history"}"""u8.ToArray(),
    ];
    private static readonly string[] ReplyTypes = ["background-files", "config-files", "history-list", "new-history-created"];
    private static readonly byte[] PlayStartPrefix = """{"type":"audio-play-start","display_text":"""u8.ToArray();
    private static readonly byte[] PlayStartSuffix = ""","forwarded":true}"""u8.ToArray();
    private static int _errorsShown;
    private static int _errorFrames;

    private readonly ClientWebSocket _socket = new();
    private readonly ArrayBufferWriter<byte> _message = new(4096);
    private readonly ArrayBufferWriter<byte> _reply = new(256);
    private Range _displayText;

    private OlvLoadClient()
    {
    }

    /// <summary>The raw JSON of the last received frame (valid until the next receive).</summary>
    public ReadOnlyMemory<byte> LastFrame => _message.WrittenMemory;

    /// <summary>Whether error frames are echoed to stderr (the first few of the run); off where errors are expected.</summary>
    public bool ShowErrors { get; set; } = true;

    /// <summary>Error frames received by clients that show errors, since the last call (all clients together).</summary>
    public static int TakeErrorFrameCount() => Interlocked.Exchange(ref _errorFrames, 0);

    /// <summary>The type string of the last received frame.</summary>
    public string LastType { get; private set; } = "";

    /// <summary>
    /// Opens a connection the way a frontend tab does and returns when the greeting (up to start-mic) and the four
    /// replies have arrived. With open: false it only waits for the greeting.
    /// </summary>
    public static async Task<OlvLoadClient> ConnectAsync(Uri target, bool open, CancellationToken cancellationToken)
    {
        var client = await OpenSocketAsync(target, cancellationToken);
        try
        {
            if (open)
            {
                await client.SendOpenRequestsAsync(cancellationToken);
            }
            var greeted = false;
            var replies = 0;
            while (!greeted || (open && replies < OpenRequests.Length))
            {
                switch (await client.ReceiveAsync(cancellationToken))
                {
                    case FrameKind.StartMic: greeted = true; break;
                    case FrameKind.Reply: replies++; break;
                }
            }
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Only the WebSocket handshake: nothing is sent or read yet.</summary>
    public static async Task<OlvLoadClient> OpenSocketAsync(Uri target, CancellationToken cancellationToken)
    {
        var client = new OlvLoadClient();
        try
        {
            await client._socket.ConnectAsync(target, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The four requests the frontend sends from onopen, in its order.</summary>
    public async Task SendOpenRequestsAsync(CancellationToken cancellationToken)
    {
        foreach (var request in OpenRequests)
        {
            await SendAsync(request, cancellationToken);
        }
    }

    /// <summary>One turn; returns the time from sending text-input to receiving the first audio frame.</summary>
    public async Task<TimeSpan> TurnAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? firstAudio = null;
        await SendAsync(TextInput, cancellationToken);
        while (true)
        {
            switch (await ReceiveAsync(cancellationToken))
            {
                case FrameKind.Audio:
                    firstAudio ??= clock.Elapsed;
                    await SendAudioPlayStartAsync(cancellationToken);
                    break;
                case FrameKind.BackendSynthComplete:
                    await SendPlaybackCompleteAsync(cancellationToken);
                    break;
                case FrameKind.ChainEnd:
                    return firstAudio ?? throw new InvalidOperationException("the turn ended without an audio frame");
            }
        }
    }

    public Task SendTextInputAsync(CancellationToken cancellationToken) => SendAsync(TextInput, cancellationToken);

    public Task SendPlaybackCompleteAsync(CancellationToken cancellationToken) => SendAsync(PlaybackComplete, cancellationToken);

    public Task SendHeartbeatAsync(CancellationToken cancellationToken) => SendAsync(Heartbeat, cancellationToken);

    /// <summary>The frontend's answer to the last audio frame: audio-play-start carrying that frame's display_text.</summary>
    public Task SendAudioPlayStartAsync(CancellationToken cancellationToken)
    {
        _reply.ResetWrittenCount();
        _reply.Write(PlayStartPrefix);
        _reply.Write(_message.WrittenSpan[_displayText]);
        _reply.Write(PlayStartSuffix);
        return SendAsync(_reply.WrittenMemory, cancellationToken);
    }

    /// <summary>The display_text.text of the last audio frame (what the frontend reports as heard).</summary>
    public string LastDisplayText()
    {
        using var document = JsonDocument.Parse(_message.WrittenMemory[_displayText]);
        return document.RootElement.TryGetProperty("text", out var text) ? text.GetString() ?? "" : "";
    }

    public async Task SendAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        await _socket.SendAsync(json, WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>Reads one whole frame and says what it is.</summary>
    public async Task<FrameKind> ReceiveAsync(CancellationToken cancellationToken)
    {
        _message.ResetWrittenCount();
        while (true)
        {
            var result = await _socket.ReceiveAsync(_message.GetMemory(16 * 1024), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException($"the server closed the connection: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
            }
            _message.Advance(result.Count);
            if (result.EndOfMessage)
            {
                return Classify();
            }
        }
    }

    private FrameKind Classify()
    {
        var reader = new Utf8JsonReader(_message.WrittenSpan);
        string? type = null, text = null;
        reader.Read(); // StartObject
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.GetString();
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals("display_text"u8))
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                _displayText = start..(int)reader.BytesConsumed;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        LastType = type ?? "";
        switch (type)
        {
            case "audio": return FrameKind.Audio;
            case "backend-synth-complete": return FrameKind.BackendSynthComplete;
            case "heartbeat-ack": return FrameKind.HeartbeatAck;
            case "control" when text == "conversation-chain-start": return FrameKind.ChainStart;
            case "control" when text == "conversation-chain-end": return FrameKind.ChainEnd;
            case "control" when text == "start-mic": return FrameKind.StartMic;
            case "error":
                if (ShowErrors)
                {
                    Interlocked.Increment(ref _errorFrames);
                    if (Interlocked.Increment(ref _errorsShown) <= 5) // bounded: a failing run would print one per frame
                    {
                        Console.Error.WriteLine($"  error frame: {Encoding.UTF8.GetString(_message.WrittenSpan)}");
                    }
                }
                return FrameKind.Error;
            default:
                return type is not null && ReplyTypes.Contains(type) ? FrameKind.Reply : FrameKind.Other;
        }
    }

    /// <summary>Closes without the handshake (the phases end by stopping the target, not by closing each socket).</summary>
    public void Dispose()
    {
        _socket.Abort();
        _socket.Dispose();
    }
}
