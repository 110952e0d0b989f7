using System.Buffers;
using System.Net.WebSockets;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Connections;
using Vtuber.Actors.Sessions;
using Vtuber.Actors.Voice;
using WebSocketOptions = Vtuber.Domain.Config.WebSocketOptions;
using Vtuber.Protocol;

namespace Vtuber.Server.WebSockets;

/// <summary>/client-ws: accepts the socket, starts a session, then reads frames and hands parsed messages to it.</summary>
public static class ClientSocketEndpoint
{
    private const int ReceiveChunk = 4096;

    public static void MapClientSocket(this WebApplication app, WebSocketOptions options)
    {
        app.Map("/client-ws", async (HttpContext context, IRequiredActor<SessionsSupervisor> sessions,
            IHostApplicationLifetime lifetime) =>
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
            await ServeAsync(socket, sessions.ActorRef, options, context.RequestAborted, lifetime.ApplicationStopping);
        });
    }

    private static async Task ServeAsync(WebSocket socket, IActorRef sessions, WebSocketOptions options,
        CancellationToken aborted, CancellationToken serverStopping)
    {
        using var connection = new WebSocketConnection(socket, options.OutboundQueueSize);
        var writer = connection.RunWriterAsync();
        var clientUid = Guid.NewGuid().ToString();
        var started = await sessions.Ask<SessionStarted>(new StartSession(clientUid, connection), TimeSpan.FromSeconds(10), aborted);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted, connection.Closed);
        // An open socket must not hold up shutdown (Kestrel would wait its whole grace period for it).
        using var stopping = serverStopping.Register(() => connection.Close("server shutting down", WebSocketCloseStatus.EndpointUnavailable));
        try
        {
            await ReceiveLoopAsync(socket, started.Session, connection, options.MaxMessageBytes, stop.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException
                                      or ConnectionAbortedException)
        {
            // The client vanished without a close handshake: an ordinary end of a connection.
        }
        finally
        {
            started.Session.Tell(ConnectionClosed.Instance);
            connection.Close("client disconnected");
            await writer;
            await CloseQuietlyAsync(socket, connection);
        }
    }

    private static async Task ReceiveLoopAsync(WebSocket socket, IActorRef session, WebSocketConnection connection,
        int maxMessageBytes, CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(ReceiveChunk);
        var message = new ArrayBufferWriter<byte>(ReceiveChunk);
        var messageBytes = 0;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(chunk.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                messageBytes += result.Count;
                if (messageBytes <= maxMessageBytes)
                {
                    message.Write(chunk.AsSpan(0, result.Count));
                }
                if (!result.EndOfMessage)
                {
                    continue;
                }

                if (messageBytes > maxMessageBytes)
                {
                    Refuse(connection, $"Message too large: {messageBytes} bytes exceeds the limit of {maxMessageBytes} bytes " +
                                       "(system_config.websocket.max_message_bytes)");
                }
                else if (result.MessageType == WebSocketMessageType.Binary)
                {
                    Refuse(connection, "Binary frames are not supported: send JSON text frames");
                }
                else
                {
                    var parsed = ClientMessageParser.Parse(message.WrittenSpan);
                    if (parsed.Message is RawAudioData or MicAudioData)
                    {
                        // Audio frames: not read on until the session took the chunk (mic buffer, VAD queue), so a
                        // client streaming faster than the server keeps up is read more slowly instead of queued.
                        await session.Ask<AudioAccepted>(parsed.Message, cancellationToken);
                    }
                    else if (parsed.Message is { } parsedMessage)
                    {
                        session.Tell(parsedMessage);
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
            await socket.CloseOutputAsync(connection.CloseStatus, connection.CloseReason, timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException
                                      or ConnectionAbortedException)
        {
            socket.Abort();
        }
    }
}
