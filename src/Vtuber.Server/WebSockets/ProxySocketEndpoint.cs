using Akka.Actor;
using Akka.Hosting;
using Vtuber.Actors.Proxy;
using Vtuber.Actors.Sessions;
using Vtuber.Domain.Config;
using Vtuber.Protocol;
using WebSocketOptions = Vtuber.Domain.Config.WebSocketOptions;

namespace Vtuber.Server.WebSockets;

/// <summary>
/// /proxy-ws (system_config.enable_proxy, olv-protocol 9.3): the same socket handling as /client-ws (limits, error
/// frames, backpressure; the security middleware checks origin and token for every socket), but the client joins the
/// one shared session behind /user/proxy instead of getting its own.
/// </summary>
public static class ProxySocketEndpoint
{
    public static void MapProxySocket(this WebApplication app, WebSocketOptions options, InputLimits limits, TurnGate sharedGate)
    {
        var parserLimits = new ClientMessageLimits(limits.MaxTextChars, limits.MaxImages, limits.MaxImageBytes);
        app.Map("/proxy-ws", async (HttpContext context, IRequiredActor<ProxyHub> hub,
            IHostApplicationLifetime lifetime, ILoggerFactory loggers) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("/proxy-ws expects a WebSocket upgrade request.");
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = TimeSpan.FromSeconds(options.KeepAliveSeconds),
            });
            var reader = new ClientSocketEndpoint.FrameReader(options.MaxMessageBytes, parserLimits,
                loggers.CreateLogger(typeof(ProxySocketEndpoint)));
            using var connection = new WebSocketConnection(socket, options.OutboundQueueSize, sharedGate);
            await ClientSocketEndpoint.ServeAsync(socket, connection, JoinAsync(hub.ActorRef, connection, context.RequestAborted),
                reader, context.RequestAborted, lifetime.ApplicationStopping);
        });
    }

    private static async Task<ClientSocketEndpoint.InboundRoute> JoinAsync(IActorRef hub, WebSocketConnection connection,
        CancellationToken aborted)
    {
        var memberId = Guid.NewGuid().ToString();
        await hub.Ask<ProxyJoined>(new JoinProxy(memberId, connection), TimeSpan.FromSeconds(10), aborted);
        return new ClientSocketEndpoint.InboundRoute(hub, message => new FromMember(memberId, message), new LeaveProxy(memberId));
    }
}
