using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Vtuber.Bench.Sessions;

/// <summary>
/// The floor: a bare Kestrel WebSocket server on /client-ws that answers the scenario's protocol with the server's
/// own frames, precomputed (<see cref="FloorFrames"/>): the greeting on connect, one canned answer per request type,
/// the turn's frames on text-input and its end on frontend-playback-complete, heartbeat-ack. mic-audio-data and
/// audio-play-start are read and dropped; interrupt-signal drops the turn (nothing more of it is sent). No Akka, LLM,
/// TTS or journal: what is left is the cost of the protocol itself. Runs as the bench's child process
/// (`Vtuber.Bench serve-floor --port P --frames FILE --parent PID`) so its CPU and memory can be read like the server's.
/// </summary>
public static class FloorServer
{
    private const int MaxMessageBytes = 1024 * 1024; // as the server's default system_config.websocket.max_message_bytes

    public static async Task<int> RunAsync(string[] args)
    {
        string Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault()
                                      ?? throw new ArgumentException($"serve-floor needs {name}");
        var port = int.Parse(Option("--port"));
        var frames = Encode(FloorFrames.Load(Option("--frames")));
        var parent = int.Parse(Option("--parent"));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) }); // the server's default
        app.Map("/client-ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            try
            {
                await ServeAsync(socket, frames, context.RequestAborted);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // the bench aborts its clients at the end of a phase
            }
        });
        await app.StartAsync();
        Console.WriteLine($"floor listening on 127.0.0.1:{port}");
        // The bench kills this process when it is done; this covers a bench that died without doing so.
        while (IsAlive(parent))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        await app.StopAsync();
        return 0;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static Dictionary<string, byte[][]> Encode(FloorFrames frames)
    {
        var encoded = frames.Replies.ToDictionary(r => r.Key, r => r.Value.Select(Encoding.UTF8.GetBytes).ToArray());
        encoded[""] = frames.Greeting.Select(Encoding.UTF8.GetBytes).ToArray();
        return encoded;
    }

    private static async Task ServeAsync(WebSocket socket, Dictionary<string, byte[][]> frames, CancellationToken cancellationToken)
    {
        await SendAllAsync(socket, frames[""], cancellationToken);
        var message = new ArrayBufferWriter<byte>(4096);
        var awaitingPlayback = false;
        while (true)
        {
            message.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(message.GetMemory(16 * 1024), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                if (message.WrittenCount < MaxMessageBytes)
                {
                    message.Advance(result.Count);
                }
            } while (!result.EndOfMessage);

            switch (TypeOf(message.WrittenSpan))
            {
                case "text-input":
                    await SendAllAsync(socket, frames["text-input"], cancellationToken);
                    awaitingPlayback = true;
                    break;
                case "frontend-playback-complete" when awaitingPlayback:
                    await SendAllAsync(socket, frames["frontend-playback-complete"], cancellationToken);
                    awaitingPlayback = false;
                    break;
                case "interrupt-signal":
                    awaitingPlayback = false;
                    break;
                case "frontend-playback-complete":
                    break; // no turn waits for it: ignored, as the server does
                case { } type when frames.TryGetValue(type, out var reply) && type.Length > 0:
                    await SendAllAsync(socket, reply, cancellationToken);
                    break;
            }
        }
    }

    /// <summary>The "type" of a client message; the frontend writes it first, so a mic frame's floats are not parsed.</summary>
    private static string? TypeOf(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock: false, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                if (!reader.Read()) return null;
                if (isType) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (!reader.TrySkip()) return null;
            }
        }
        catch (JsonException)
        {
            // not JSON: ignored, as the server ignores what it cannot parse (after an error frame)
        }
        return null;
    }

    private static async Task SendAllAsync(WebSocket socket, byte[][] frames, CancellationToken cancellationToken)
    {
        foreach (var frame in frames)
        {
            await socket.SendAsync(frame, WebSocketMessageType.Text, true, cancellationToken);
        }
    }
}
