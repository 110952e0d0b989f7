using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vtuber.Testing;

/// <summary>
/// Microsoft Edge's read-aloud WebSocket endpoint on 127.0.0.1, speaking its wire format: it checks the
/// TrustedClientToken, the extension Origin and the Sec-MS-GEC token against its own clock (403 with its Date
/// header otherwise), reads speech.config and the SSML, then answers turn.start, binary audio frames (2-byte
/// big-endian header length, headers, MP3 bytes from <see cref="TestAssets.SpeechMp3"/>), audio.metadata and
/// turn.end. The token formula here is written from the protocol notes, independently of the client's.
/// </summary>
public sealed class FakeEdgeTtsServer : IAsyncDisposable
{
    public const string Path = "/consumer/speech/synthesize/readaloud/edge/v1";
    private const string TrustedClientToken = "6A5AA1D4EAFF4E9FB37E23D68491D6F4";
    private const string ExtensionOrigin = "chrome-extension://jdiccldimpdaibmpdkjnbmckianbfold";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<EdgeSynthesisRecord> _syntheses = [];
    private int _refusals;
    private int _abandoned;

    private FakeEdgeTtsServer(WebApplication app) => _app = app;

    /// <summary>ws://127.0.0.1:port/consumer/speech/synthesize/readaloud/edge/v1, for edge_tts.base_url.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>How far this server's clock is ahead of the real one (a client must learn it from a 403).</summary>
    public TimeSpan ClockOffset { get; set; }

    /// <summary>The MP3 sent for every synthesis.</summary>
    public byte[] Audio { get; set; } = TestAssets.Read(TestAssets.SpeechMp3);

    /// <summary>Bytes of MP3 per binary frame (the service sends small frames).</summary>
    public int FrameBytes { get; set; } = 4096;

    /// <summary>When it returns true for the spoken text, the server closes the socket without audio (an outage).</summary>
    public Func<string, bool>? FailForText { get; set; }

    /// <summary>Optional pause before each audio frame, to stand in for a network that delivers over time.</summary>
    public TimeSpan FrameInterval { get; set; }

    /// <summary>Where the server stops answering (a service that accepts and then never replies).</summary>
    public EdgeHang Hang { get; set; }

    /// <summary>Connections held by <see cref="Hang"/> that the client gave up on (closed or dropped).</summary>
    public int AbandonedConnections => Volatile.Read(ref _abandoned);

    public IReadOnlyList<EdgeSynthesisRecord> Syntheses
    {
        get
        {
            lock (_gate)
                return [.. _syntheses];
        }
    }

    /// <summary>Handshakes answered 403 because of a wrong Sec-MS-GEC.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    public static async Task<FakeEdgeTtsServer> StartAsync()
    {
        var app = LoopbackServer.Create();
        var server = new FakeEdgeTtsServer(app);
        app.UseWebSockets();
        app.Map(Path, server.HandleAsync);
        var origin = await app.StartLoopbackAsync();
        server.BaseUrl = new Uri(origin.Replace("http://", "ws://", StringComparison.Ordinal) + Path);
        return server;
    }

    /// <summary>The token the service accepts at a moment of its own clock.</summary>
    public static string ExpectedToken(DateTimeOffset serverNow)
    {
        var fileTime = serverNow.ToUnixTimeSeconds() * 10_000_000L + 116_444_736_000_000_000L;
        var window = fileTime / 3_000_000_000L * 3_000_000_000L;
        return Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(
            window.ToString(CultureInfo.InvariantCulture) + TrustedClientToken)));
    }

    private async Task HandleAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!context.WebSockets.IsWebSocketRequest || query["TrustedClientToken"] != TrustedClientToken ||
            context.Request.Headers.Origin != ExtensionOrigin)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        var serverNow = DateTimeOffset.UtcNow + ClockOffset;
        // Date has whole seconds, so a client that learnt the skew from it may sit up to a second behind us.
        var token = query["Sec-MS-GEC"].ToString();
        if (token != ExpectedToken(serverNow) && token != ExpectedToken(serverNow - TimeSpan.FromSeconds(2)))
        {
            Interlocked.Increment(ref _refusals);
            context.Response.Headers.Date = serverNow.ToString("R", CultureInfo.InvariantCulture);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var aborted = context.RequestAborted;
        if (Hang == EdgeHang.BeforeHandshake)
        {
            await HoldUntilTheClientLeavesAsync(Task.Delay(Timeout.InfiniteTimeSpan, aborted));
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var speechConfig = await ReceiveTextAsync(socket, aborted);
        var ssml = await ReceiveTextAsync(socket, aborted);
        if (speechConfig is null || ssml is null || Header(speechConfig, "Path") != "speech.config" ||
            Header(ssml, "Path") != "ssml")
        {
            await socket.CloseAsync(WebSocketCloseStatus.ProtocolError, "expected speech.config then ssml", aborted);
            return;
        }
        var requestId = Header(ssml, "X-RequestId") ?? "";
        var ssmlBody = ssml[(ssml.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        var spoken = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(ssmlBody, "<[^>]+>", ""));
        lock (_gate)
            _syntheses.Add(new EdgeSynthesisRecord(speechConfig, ssml, ssmlBody, spoken,
                context.Request.Headers.UserAgent.ToString()));

        if (Hang == EdgeHang.AfterRequest)
        {
            // Reads on (a close frame or the connection's end is the client giving up) and never sends a byte.
            await HoldUntilTheClientLeavesAsync(ReceiveTextAsync(socket, aborted));
            return;
        }

        if (FailForText?.Invoke(spoken) == true)
        {
            await socket.CloseAsync(WebSocketCloseStatus.InternalServerError, "synthesis failed", aborted);
            return;
        }

        await SendTextAsync(socket, requestId, "turn.start", """{"context":{"serviceTag":"fake"}}""", aborted);
        for (var offset = 0; offset < Audio.Length; offset += FrameBytes)
        {
            if (FrameInterval > TimeSpan.Zero)
                await Task.Delay(FrameInterval, aborted);
            await SendAudioAsync(socket, requestId, Audio.AsMemory(offset, Math.Min(FrameBytes, Audio.Length - offset)), aborted);
        }
        await SendTextAsync(socket, requestId, "audio.metadata",
            """{"Metadata":[{"Type":"WordBoundary","Data":{"Offset":1000000,"Duration":3000000,"text":{"Text":"Hello","Length":5,"BoundaryType":"WordBoundary"}}}]}""",
            aborted);
        await SendTextAsync(socket, requestId, "turn.end", """{}""", aborted);
        // The service leaves closing to the client; wait for its close frame.
        var buffer = new byte[1024];
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, aborted);
            if (result.MessageType == WebSocketMessageType.Close)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, aborted);
        }
    }

    private async Task HoldUntilTheClientLeavesAsync(Task held)
    {
        try
        {
            await held;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // The client dropped the connection.
        }
        Interlocked.Increment(ref _abandoned);
    }

    private static async Task<string?> ReceiveTextAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        using var message = new MemoryStream();
        var buffer = new byte[8192];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType != WebSocketMessageType.Text)
                return null;
            message.Write(buffer, 0, result.Count);
        } while (!result.EndOfMessage);
        return Encoding.UTF8.GetString(message.ToArray());
    }

    private static Task SendTextAsync(WebSocket socket, string requestId, string path, string body,
                                      CancellationToken cancellationToken)
    {
        var frame = $"X-RequestId:{requestId}\r\nContent-Type:application/json; charset=utf-8\r\nPath:{path}\r\n\r\n{body}";
        return socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, cancellationToken);
    }

    private static async Task SendAudioAsync(WebSocket socket, string requestId, ReadOnlyMemory<byte> mp3,
                                             CancellationToken cancellationToken)
    {
        var headers = Encoding.ASCII.GetBytes($"X-RequestId:{requestId}\r\nContent-Type:audio/mpeg\r\nPath:audio\r\n");
        var frame = new byte[2 + headers.Length + mp3.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)headers.Length);
        headers.CopyTo(frame, 2);
        mp3.CopyTo(frame.AsMemory(2 + headers.Length));
        await socket.SendAsync(frame, WebSocketMessageType.Binary, true, cancellationToken);
    }

    private static string? Header(string frame, string name)
    {
        var headerEnd = frame.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        foreach (var line in (headerEnd < 0 ? frame : frame[..headerEnd]).Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon] == name)
                return line[(colon + 1)..];
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Where <see cref="FakeEdgeTtsServer"/> stops answering.</summary>
public enum EdgeHang
{
    None,
    /// <summary>The HTTP upgrade request is never answered: the client's connect waits.</summary>
    BeforeHandshake,
    /// <summary>The socket is accepted and speech.config and the SSML are read, then nothing is sent.</summary>
    AfterRequest,
}

/// <summary>One accepted synthesis: both client frames as sent, the SSML body, the text it speaks, the User-Agent.</summary>
public sealed record EdgeSynthesisRecord(string SpeechConfigFrame, string SsmlFrame, string Ssml, string SpokenText,
                                         string UserAgent);
