using System.Buffers.Binary;
using System.IO.Compression;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vtuber.Testing;

/// <summary>
/// Bilibili live on 127.0.0.1, written from the protocol notes (blivedm), independently of the server's codec:
/// room_init maps a room number to its real one, getDanmuInfo gives a token and this server as the danmaku host, and
/// /sub speaks the danmaku WebSocket: the first packet must be an auth packet (operation 7) naming the real room and
/// the token, answered with operation 8 {"code":0}; heartbeats (operation 2) are counted and answered with operation 3
/// (a 4-byte popularity). Tests push command packets — plain, zlib (version 2) or brotli (version 3) — to every
/// joined client.
/// </summary>
public sealed class FakeBilibiliServer : IAsyncDisposable
{
    public const string Token = "fake-danmaku-token";
    private const int RealRoomOffset = 1_000_000;

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<Channel<byte[]?>> _joined = [];
    private readonly List<DateTime> _roomInitCalls = [];
    private int _heartbeats;
    private int _joins;

    private FakeBilibiliServer(WebApplication app) => _app = app;

    /// <summary>For live_config.bilibili_live.api_base_url.</summary>
    public string ApiBaseUrl { get; private set; } = "";

    /// <summary>For danmaku_url (its ws scheme makes the client reach the listed host over ws).</summary>
    public string DanmakuUrl { get; private set; } = "";

    /// <summary>room_init answers this many calls with HTTP 503 first (an outage the client must retry through).</summary>
    public int FailRoomInitCalls { get; set; }

    /// <summary>When each room_init call came (the client's retry schedule).</summary>
    public IReadOnlyList<DateTime> RoomInitCalls
    {
        get { lock (_gate) return [.. _roomInitCalls]; }
    }

    public int Heartbeats => Volatile.Read(ref _heartbeats);

    /// <summary>Auth packets accepted so far (one per connection that joined).</summary>
    public int Joins => Volatile.Read(ref _joins);

    /// <summary>The real room number room_init gives for a room number.</summary>
    public static long RealRoom(long room) => room + RealRoomOffset;

    public static async Task<FakeBilibiliServer> StartAsync()
    {
        var app = LoopbackServer.Create();
        var server = new FakeBilibiliServer(app);
        app.UseWebSockets();
        app.MapGet("/room/v1/Room/room_init", server.RoomInit);
        app.MapGet("/xlive/web-room/v1/index/getDanmuInfo", server.DanmuInfo);
        app.Map("/sub", server.DanmakuAsync);
        var origin = await app.StartLoopbackAsync();
        server.ApiBaseUrl = origin;
        server.DanmakuUrl = origin.Replace("http://", "ws://", StringComparison.Ordinal) + "/sub";
        return server;
    }

    private IResult RoomInit(HttpContext context, long id)
    {
        lock (_gate)
        {
            _roomInitCalls.Add(DateTime.UtcNow);
            if (_roomInitCalls.Count <= FailRoomInitCalls) return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
        return Results.Json(new JsonObject
        {
            ["code"] = 0, ["msg"] = "ok", ["message"] = "ok",
            ["data"] = new JsonObject { ["room_id"] = RealRoom(id), ["short_id"] = id, ["uid"] = 42 },
        });
    }

    private IResult DanmuInfo(HttpContext context, long id)
    {
        var port = context.Connection.LocalPort;
        return Results.Json(new JsonObject
        {
            ["code"] = 0, ["message"] = "0",
            ["data"] = new JsonObject
            {
                ["token"] = Token,
                ["host_list"] = new JsonArray(new JsonObject
                {
                    ["host"] = "127.0.0.1", ["port"] = port, ["wss_port"] = port, ["ws_port"] = port,
                }),
            },
        });
    }

    private async Task DanmakuAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var aborted = context.RequestAborted;
        var auth = await ReceiveAsync(socket, aborted);
        if (auth is null || Operation(auth) != 7 || !AuthIsValid(auth))
        {
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "auth expected", aborted);
            return;
        }
        await socket.SendAsync(Packet(8, """{"code":0}"""u8.ToArray(), version: 1), WebSocketMessageType.Binary, true, aborted);
        var outbox = Channel.CreateBounded<byte[]?>(64); // a test pushes a few messages; waits if it pushed far more
        lock (_gate) _joined.Add(outbox);
        Interlocked.Increment(ref _joins);
        using var sending = new SemaphoreSlim(1, 1); // pushed messages and heartbeat replies share the socket
        try
        {
            var reading = ReadHeartbeatsAsync(socket, sending, aborted);
            // The client closing ends the reader, and with it this connection's outbox.
            _ = reading.ContinueWith(_ => outbox.Writer.TryComplete(), TaskScheduler.Default);
            await foreach (var message in outbox.Reader.ReadAllAsync(aborted))
            {
                if (message is null) // drop: the connection ends without a close handshake
                {
                    socket.Abort();
                    return;
                }
                await SendAsync(socket, sending, message, aborted);
            }
            await reading.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // the client left
        }
        finally
        {
            lock (_gate) _joined.Remove(outbox);
        }
    }

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim sending, byte[] message, CancellationToken aborted)
    {
        await sending.WaitAsync(aborted);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, true, aborted);
        }
        finally
        {
            sending.Release();
        }
    }

    private async Task ReadHeartbeatsAsync(WebSocket socket, SemaphoreSlim sending, CancellationToken aborted)
    {
        while (await ReceiveAsync(socket, aborted) is { } packet)
        {
            if (Operation(packet) != 2) continue;
            Interlocked.Increment(ref _heartbeats);
            var popularity = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(popularity, 1234);
            await SendAsync(socket, sending, Packet(3, popularity, version: 1), aborted);
        }
    }

    private static bool AuthIsValid(byte[] packet)
    {
        var body = JsonNode.Parse(packet.AsSpan(16))!;
        return (string?)body["key"] == Token && (long?)body["roomid"] >= RealRoomOffset && (int?)body["protover"] == 3;
    }

    private static int Operation(byte[] packet) => packet.Length >= 16 ? BinaryPrimitives.ReadInt32BigEndian(packet.AsSpan(8)) : -1;

    private static async Task<byte[]?> ReceiveAsync(WebSocket socket, CancellationToken aborted)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, aborted);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage) return buffer.ToArray();
        }
    }

    /// <summary>One packet: the 16-byte big-endian header (length, 16, version, operation, sequence 0), then the body.</summary>
    public static byte[] Packet(int operation, byte[] body, int version)
    {
        var packet = new byte[16 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(packet, (uint)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), 16);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)version);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), (uint)operation);
        body.CopyTo(packet, 16);
        return packet;
    }

    /// <summary>A DANMU_MSG command packet (version 0, JSON) as the live server sends one.</summary>
    public static byte[] Danmaku(string name, string text) => Packet(5, Encoding.UTF8.GetBytes(new JsonObject
    {
        ["cmd"] = "DANMU_MSG:4:0:2:2:2:0",
        ["info"] = new JsonArray(new JsonArray(0, 1, 25, 16777215, 1700000000000, 0, 0, "", 0, 0, 0, "", 0, "{}", "{}"),
            text, new JsonArray(9876, name, 0, 0, 0, 10000, 1, ""), new JsonArray(), new JsonArray(0, 0, 9868950, ">50000")),
        ["dm_v2"] = "",
    }.ToJsonString()), version: 0);

    /// <summary>Packets wrapped in one zlib (version 2) command packet, as the server batches them.</summary>
    public static byte[] Zlib(params byte[][] packets)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal)) foreach (var p in packets) z.Write(p);
        return Packet(5, output.ToArray(), version: 2);
    }

    /// <summary>Packets wrapped in one brotli (version 3) command packet, what protover 3 clients get.</summary>
    public static byte[] Brotli(params byte[][] packets)
    {
        using var output = new MemoryStream();
        using (var b = new BrotliStream(output, CompressionLevel.Optimal)) foreach (var p in packets) b.Write(p);
        return Packet(5, output.ToArray(), version: 3);
    }

    /// <summary>Sends one WebSocket message (any bytes, malformed ones included) to every joined client.</summary>
    public async Task PushAsync(byte[] message)
    {
        List<Channel<byte[]?>> joined;
        lock (_gate) joined = [.. _joined];
        foreach (var outbox in joined) await outbox.Writer.WriteAsync(message);
    }

    /// <summary>Drops every joined connection (the platform restarting a server).</summary>
    public void DropAll()
    {
        lock (_gate)
            foreach (var outbox in _joined) outbox.Writer.TryWrite(null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
