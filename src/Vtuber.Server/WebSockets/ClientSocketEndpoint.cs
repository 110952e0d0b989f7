using System.Buffers;
using System.Net.WebSockets;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Connections;
using Vtuber.Actors.Sessions;
using Vtuber.Actors.Voice;
using Vtuber.Domain.Config;
using Vtuber.Protocol;
using WebSocketOptions = Vtuber.Domain.Config.WebSocketOptions;

namespace Vtuber.Server.WebSockets;

/// <summary>
/// /client-ws: accepts the socket, starts a session, then reads frames and hands parsed messages to it.
/// What a client can send and what it gets back:
/// - a text frame the parser refuses (bad JSON, wrong field types, text that is not Unicode, over a
///   system_config.limits key): one error frame, the connection stays open;
/// - a binary frame: one error frame (the protocol is JSON text), the connection stays open;
/// - a message over websocket.max_message_bytes: an error frame, then close 1009 (MessageTooBig), as soon as the
///   limit is passed (the rest is not read into memory);
/// - a text frame that is not UTF-8 (browsers never send one): the WebSocket layer (System.Net.WebSockets, as
///   RFC 6455 8.1 requires) fails the connection: it sends close 1007 (InvalidPayloadData) and aborts at once, so
///   the client sees 1007 or just the end of the connection;
/// - a client that stops reading while the server has more than its queues hold: close 1008 (PolicyViolation).
/// </summary>
public static class ClientSocketEndpoint
{
    private const int ReceiveChunk = 4096;

    // The reader waits for its session to catch up after this many messages (see InboundMark): at most this many
    // of a client's messages wait in a session's mailbox, and a client sending faster is read more slowly.
    private const int MessagesBetweenMarks = 32;

    public static void MapClientSocket(this WebApplication app, WebSocketOptions options, InputLimits limits)
    {
        var parserLimits = new ClientMessageLimits(limits.MaxTextChars, limits.MaxImages, limits.MaxImageBytes);
        app.Map("/client-ws", async (HttpContext context, IRequiredActor<SessionsSupervisor> sessions,
            IHostApplicationLifetime lifetime, ILoggerFactory loggers) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("/client-ws expects a WebSocket upgrade request.");
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = TimeSpan.FromSeconds(options.KeepAliveSeconds),
            });
            var reader = new FrameReader(options.MaxMessageBytes, parserLimits, loggers.CreateLogger(typeof(ClientSocketEndpoint)));
            using var connection = new WebSocketConnection(socket, options.OutboundQueueSize);
            await ServeAsync(socket, connection, OwnSessionAsync(sessions.ActorRef, connection, context.RequestAborted),
                reader, context.RequestAborted, lifetime.ApplicationStopping);
        });
    }

    internal sealed record FrameReader(int MaxMessageBytes, ClientMessageLimits Limits, ILogger Log);

    /// <summary>
    /// Where a socket's messages go: its own session (/client-ws), or the proxy hub with each message wrapped in the
    /// member's envelope (/proxy-ws). Left is told once the socket is gone.
    /// </summary>
    internal sealed record InboundRoute(IActorRef Target, Func<object, object> Envelope, object Left);

    private static async Task<InboundRoute> OwnSessionAsync(IActorRef sessions, WebSocketConnection connection,
        CancellationToken aborted)
    {
        var started = await sessions.Ask<SessionStarted>(new StartSession(Guid.NewGuid().ToString(), connection),
            TimeSpan.FromSeconds(10), aborted);
        return new InboundRoute(started.Session, message => message, ConnectionClosed.Instance);
    }

    /// <summary>Why the server ends a connection itself, sent in the close frame after what is already queued.</summary>
    private sealed record Ending(WebSocketCloseStatus Status, string Reason);

    internal static async Task ServeAsync(WebSocket socket, WebSocketConnection connection, Task<InboundRoute> starting,
        FrameReader frames, CancellationToken aborted, CancellationToken serverStopping)
    {
        var writer = connection.RunWriterAsync();
        var route = await starting;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, connection.Closed);
        // An open socket must not hold up shutdown (Kestrel would wait its whole grace period for it).
        using var stopping = serverStopping.Register(() => connection.Close("server shutting down", WebSocketCloseStatus.EndpointUnavailable));
        Ending? ending = null;
        try
        {
            ending = await ReceiveLoopAsync(socket, route, connection, frames, stop.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException
                                      or ConnectionAbortedException)
        {
            // The client vanished without a close handshake: an ordinary end of a connection.
        }
        finally
        {
            if (ending is not null)
            {
                // The client is told why (error frame, close code): let what is queued go out before the close frame.
                connection.CloseAfterQueuedFrames(ending.Reason, ending.Status);
                try
                {
                    await writer.WaitAsync(TimeSpan.FromSeconds(2));
                }
                catch (TimeoutException)
                {
                    // not reading either: Close below drops the rest
                }
            }
            route.Target.Tell(route.Left);
            connection.Close("client disconnected");
            await writer;
            await CloseQuietlyAsync(socket, connection);
        }
    }

    private static async Task<Ending?> ReceiveLoopAsync(WebSocket socket, InboundRoute route, WebSocketConnection connection,
        FrameReader frames, CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ReceiveChunk);
        var message = new ArrayBufferWriter<byte>(ReceiveChunk);
        var messageBytes = 0;
        var sinceMark = 0;
        try
        {
            while (true)
            {
                if (messageBytes == 0)
                {
                    await connection.WaitForRoomAsync(cancellationToken);
                }
                var result = await socket.ReceiveAsync(chunk.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                messageBytes += result.Count;
                if (messageBytes > frames.MaxMessageBytes)
                {
                    Refuse(connection, $"Message too large: over the limit of {frames.MaxMessageBytes} bytes " +
                                       "(system_config.websocket.max_message_bytes); the connection is closed");
                    return new Ending(WebSocketCloseStatus.MessageTooBig,
                        $"message over {frames.MaxMessageBytes} bytes (system_config.websocket.max_message_bytes)");
                }
                message.Write(chunk.AsSpan(0, result.Count));
                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    Refuse(connection, "Binary frames are not supported: send JSON text frames");
                }
                else
                {
                    var parsed = Parse(message.WrittenSpan, frames);
                    if (parsed.Message is RawAudioData or MicAudioData)
                    {
                        // Audio frames: not read on until the session took the chunk (mic buffer, VAD queue), so a
                        // client streaming faster than the server keeps up is read more slowly instead of queued.
                        await route.Target.Ask<AudioAccepted>(route.Envelope(parsed.Message), cancellationToken);
                        sinceMark = 0;
                    }
                    else if (parsed.Message is { } parsedMessage)
                    {
                        route.Target.Tell(route.Envelope(parsedMessage));
                        if (++sinceMark == MessagesBetweenMarks)
                        {
                            await route.Target.Ask<InboundCaughtUp>(route.Envelope(InboundMark.Instance), cancellationToken);
                            sinceMark = 0;
                        }
                    }
                    else
                    {
                        Refuse(connection, parsed.Error!);
                    }
                }
                messageBytes = 0;
                // Give a large message's memory back instead of keeping it for the connection's lifetime.
                message = message.Capacity > 4 * ReceiveChunk ? new ArrayBufferWriter<byte>(ReceiveChunk) : message;
                message.ResetWrittenCount();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// The parser answers every frame with a message or a reason; should it ever throw, that is our bug, and it
    /// costs the client one error frame, not its connection.
    /// </summary>
    private static ParseResult Parse(ReadOnlySpan<byte> frame, FrameReader frames)
    {
        try
        {
            return ClientMessageParser.Parse(frame, frames.Limits);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            frames.Log.LogError(e, "A client frame of {Bytes} bytes could not be parsed", frame.Length);
            return ParseResult.Fail("Invalid message: the server could not read it");
        }
    }

    private static void Refuse(WebSocketConnection connection, string reason) =>
        connection.TryEnqueue(new OutboundFrame(0, ServerMessageJson.Serialize(new ErrorMessage(reason))));

    private static async Task CloseQuietlyAsync(WebSocket socket, WebSocketConnection connection)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            if (socket.State == WebSocketState.Open)
            {
                // The server closes first: wait for the client's answer (reading and dropping what it still sends,
                // e.g. the rest of an oversized message), so the close frame is not lost to a TCP reset.
                await socket.CloseAsync(connection.CloseStatus, connection.CloseReason, timeout.Token);
            }
            else
            {
                await socket.CloseOutputAsync(connection.CloseStatus, connection.CloseReason, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException
                                      or ConnectionAbortedException)
        {
            socket.Abort();
        }
    }
}
