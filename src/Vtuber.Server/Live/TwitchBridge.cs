using System.Net.WebSockets;
using System.Text;
using Akka.Actor;
using Akka.Hosting;
using Vtuber.Actors.Proxy;
using Vtuber.Domain.Config;
using Vtuber.Domain.Live;

namespace Vtuber.Server.Live;

/// <summary>
/// live_config.twitch_live (ours, beyond OLV): Twitch chat read anonymously over its IRC WebSocket. An anonymous
/// client logs in as justinfan + digits with any password, joins the channels and answers PING; every PRIVMSG goes to
/// the proxy session as a comment. Nothing is ever sent to the chat.
/// </summary>
public sealed class TwitchBridge(VtuberConfig config, IRequiredActor<ProxyHub> hub, IHostApplicationLifetime lifetime,
    ILogger<TwitchBridge> log) : BackgroundService
{
    private TwitchLiveOptions Options => config.Live.Twitch;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var proxy = await BridgeLoop.ProxyHubAsync(hub, lifetime, stoppingToken);
        await BridgeLoop.RunAsync("Twitch chat", (connected, ct) => ReadChatAsync(proxy, connected, ct), config.Live, log,
            stoppingToken);
    }

    private async Task ReadChatAsync(IActorRef proxy, Action connected, CancellationToken ct)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(Options.IrcUrl), ct);
        var nick = "justinfan" + Random.Shared.Next(10_000, 100_000);
        // tags: the display-name of who wrote; commands: RECONNECT and NOTICE.
        await SendAsync(socket, "CAP REQ :twitch.tv/tags twitch.tv/commands", ct);
        await SendAsync(socket, "PASS SCHMOOPIIE", ct);
        await SendAsync(socket, "NICK " + nick, ct);
        await SendAsync(socket, "JOIN " + string.Join(',', Options.Channels.Select(c => "#" + c)), ct);

        var chunk = new byte[16 * 1024];
        while (await BridgeLoop.ReceiveAsync(socket, chunk, ct) is { } message)
        {
            if (message.Oversized || message.Type != WebSocketMessageType.Text)
            {
                log.LogWarning("Twitch chat: skipped a {Kind} message", message.Oversized ? "too large" : "binary");
                continue;
            }
            foreach (var text in TwitchIrcLine.Split(Encoding.UTF8.GetString(message.Data.Span)))
            {
                var line = TwitchIrcLine.Parse(text);
                switch (line)
                {
                    case null:
                        log.LogWarning("Twitch chat: skipped a line that is not IRC: {Line}", text.Length > 80 ? text[..80] : text);
                        break;
                    case { Command: "PING" }:
                        await SendAsync(socket, "PONG :" + (line.Parameters.Count > 0 ? line.Parameters[0] : "tmi.twitch.tv"), ct);
                        break;
                    case { Command: "001" }:
                        if (log.IsEnabled(LogLevel.Information))
                            log.LogInformation("Twitch chat: logged in as {Nick}, joining {Channels}", nick, string.Join(", ", Options.Channels));
                        connected();
                        break;
                    case { Command: "RECONNECT" }:
                        return; // Twitch is about to restart this server: connect again
                    case { Command: "NOTICE" } when line.Parameters.Count > 1 && line.Parameters[1].Contains("authentication", StringComparison.OrdinalIgnoreCase):
                        throw new IOException("Twitch refused the anonymous login: " + line.Parameters[1]);
                    default:
                        if (line.ChatMessage() is { } chat && !string.IsNullOrWhiteSpace(chat.Text))
                            proxy.Tell(new LiveComment("twitch", chat.Author, chat.Text));
                        break;
                }
            }
        }
    }

    private static Task SendAsync(ClientWebSocket socket, string line, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(line + "\r\n"), WebSocketMessageType.Text, true, ct);
}
