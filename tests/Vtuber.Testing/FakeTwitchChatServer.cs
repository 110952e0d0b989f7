using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vtuber.Testing;

/// <summary>
/// Twitch chat's IRC WebSocket on 127.0.0.1: text frames of CRLF-terminated IRC lines. It takes PASS and an
/// anonymous NICK justinfan&lt;digits&gt; (anything else gets Twitch's "Login authentication failed" NOTICE and a close),
/// answers 001 and JOIN for each channel, counts PONGs, and lets tests push lines (PRIVMSG, PING, garbage).
/// </summary>
public sealed class FakeTwitchChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<Channel<string>> _joined = [];
    private readonly List<string> _channels = [];
    private int _pongs;

    private FakeTwitchChatServer(WebApplication app) => _app = app;

    /// <summary>For live_config.twitch_live.irc_url.</summary>
    public string IrcUrl { get; private set; } = "";

    public int Pongs => Volatile.Read(ref _pongs);

    /// <summary>Channels joined so far, as JOIN named them (#login).</summary>
    public IReadOnlyList<string> Channels
    {
        get { lock (_gate) return [.. _channels]; }
    }

    public static async Task<FakeTwitchChatServer> StartAsync()
    {
        var app = LoopbackServer.Create();
        var server = new FakeTwitchChatServer(app);
        app.UseWebSockets();
        app.Map("/", server.HandleAsync);
        server.IrcUrl = (await app.StartLoopbackAsync()).Replace("http://", "ws://", StringComparison.Ordinal);
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var aborted = context.RequestAborted;
        var outbox = Channel.CreateBounded<string>(64); // a few test lines; a test pushing far more waits
        string? nick = null;
        var sending = Task.CompletedTask;
        try
        {
            while (await ReceiveAsync(socket, aborted) is { } message)
            {
                foreach (var line in message.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
                {
                    if (line.StartsWith("NICK ", StringComparison.Ordinal))
                    {
                        nick = line[5..];
                        if (!nick.StartsWith("justinfan", StringComparison.Ordinal) || !nick[9..].All(char.IsAsciiDigit) || nick.Length == 9)
                        {
                            await SendAsync(socket, ":tmi.twitch.tv NOTICE * :Login authentication failed", aborted);
                            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, "login", aborted);
                            return;
                        }
                        await SendAsync(socket, $":tmi.twitch.tv 001 {nick} :Welcome, GLHF!\r\n:tmi.twitch.tv 376 {nick} :>", aborted);
                    }
                    else if (line.StartsWith("JOIN ", StringComparison.Ordinal) && nick is not null)
                    {
                        foreach (var channel in line[5..].Split(','))
                        {
                            lock (_gate) _channels.Add(channel);
                            await SendAsync(socket, $":{nick}!{nick}@{nick}.tmi.twitch.tv JOIN {channel}", aborted);
                        }
                        lock (_gate) _joined.Add(outbox);
                        sending = ForwardAsync(socket, outbox, aborted);
                    }
                    else if (line.StartsWith("PONG", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref _pongs);
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // the client left
        }
        finally
        {
            lock (_gate) _joined.Remove(outbox);
            outbox.Writer.TryComplete();
            await sending.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    // Pushed lines go out from this one task; the reader above only answers the handshake before it starts.
    private static async Task ForwardAsync(WebSocket socket, Channel<string> outbox, CancellationToken aborted)
    {
        await foreach (var line in outbox.Reader.ReadAllAsync(aborted)) await SendAsync(socket, line, aborted);
    }

    /// <summary>Sends one WebSocket message (one or more lines; CRLF added) to every client that joined.</summary>
    public async Task PushAsync(string lines)
    {
        List<Channel<string>> joined;
        lock (_gate) joined = [.. _joined];
        foreach (var outbox in joined) await outbox.Writer.WriteAsync(lines);
    }

    public static string PrivMsg(string channel, string login, string displayName, string text) =>
        $"@badge-info=;badges=;color=#1E90FF;display-name={displayName};emotes=;id=6c1f;mod=0;room-id=1;subscriber=0;" +
        $"tmi-sent-ts=1700000000000;turbo=0;user-id=2;user-type= :{login}!{login}@{login}.tmi.twitch.tv PRIVMSG #{channel} :{text}";

    private static Task SendAsync(WebSocket socket, string lines, CancellationToken aborted) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(lines + "\r\n"), WebSocketMessageType.Text, true, aborted);

    private static async Task<string?> ReceiveAsync(WebSocket socket, CancellationToken aborted)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk, aborted);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            buffer.Write(chunk, 0, result.Count);
            if (result.EndOfMessage) return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
