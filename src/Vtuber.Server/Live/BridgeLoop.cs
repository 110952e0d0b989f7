using System.Buffers;
using System.Net.WebSockets;
using Akka.Actor;
using Akka.Hosting;
using Vtuber.Actors.Proxy;
using Vtuber.Domain.Config;
using Vtuber.Domain.Live;

namespace Vtuber.Server.Live;

/// <summary>What every live-chat bridge shares: its retry loop and reading whole WebSocket messages.</summary>
internal static class BridgeLoop
{
    /// <summary>The largest message a platform sends us that is read; a larger one is drained and skipped.</summary>
    public const int MaxMessageBytes = 1024 * 1024;

    /// <summary>
    /// The proxy session's hub, once the server has started (so start-up never waits for a platform). Not
    /// IRequiredActor.GetAsync: Akka.Hosting's ActorRegistry.GetAsync checks the registry and then adds its waiter, so
    /// a registration that lands between the two is never signalled and the bridge waited forever (seen as a flaky
    /// "never joins the room" test). When the host has started, the Akka service's start-up actors are registered.
    /// </summary>
    public static async Task<IActorRef> ProxyHubAsync(IRequiredActor<ProxyHub> hub, IHostApplicationLifetime lifetime,
        CancellationToken stopping)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stopping.Register(() => started.TrySetCanceled(stopping)))
        {
            await started.Task;
        }
        return hub.ActorRef;
    }

    /// <summary>
    /// Connects again and again until the server stops: each attempt runs <paramref name="connectOnce"/>, which calls
    /// its first argument once the platform accepted the connection (the backoff then starts over). Why an attempt
    /// ended is logged with the wait before the next.
    /// </summary>
    public static async Task RunAsync(string bridge, Func<Action, CancellationToken, Task> connectOnce, LiveConfig live,
        ILogger log, CancellationToken stopping)
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(live.ReconnectMinSeconds), TimeSpan.FromSeconds(live.ReconnectMaxSeconds));
        while (!stopping.IsCancellationRequested)
        {
            string reason;
            try
            {
                await connectOnce(backoff.Reset, stopping);
                reason = "the platform closed the connection";
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever broke this attempt (DNS, TLS, HTTP, a refused auth, a dropped socket), the bridge goes on:
                // a live stream outlasts any one connection, and the rest of the server never depends on it.
                reason = e.Message;
            }
            var wait = backoff.Next();
            log.LogWarning("{Bridge}: {Reason}; connecting again in {Seconds:0.#} s", bridge, reason, wait.TotalSeconds);
            try
            {
                await Task.Delay(wait, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One whole message; null when the socket closed; Oversized when it was over <see cref="MaxMessageBytes"/>.</summary>
    public static async Task<Received?> ReceiveAsync(ClientWebSocket socket, byte[] chunk, CancellationToken cancellationToken)
    {
        var message = new ArrayBufferWriter<byte>(chunk.Length);
        var oversized = false;
        while (true)
        {
            var result = await socket.ReceiveAsync(chunk.AsMemory(), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            if (!oversized && message.WrittenCount + result.Count <= MaxMessageBytes)
                message.Write(chunk.AsSpan(0, result.Count));
            else
                oversized = true;
            if (result.EndOfMessage)
                return new Received(result.MessageType, oversized ? ReadOnlyMemory<byte>.Empty : message.WrittenMemory, oversized);
        }
    }

    public sealed record Received(WebSocketMessageType Type, ReadOnlyMemory<byte> Data, bool Oversized);
}
