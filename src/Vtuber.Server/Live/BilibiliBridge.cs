using System.Net.WebSockets;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Vtuber.Actors.Proxy;
using Vtuber.Domain.Config;
using Vtuber.Domain.Live;

namespace Vtuber.Server.Live;

/// <summary>
/// live_config.bilibili_live in the server (OLV runs run_bilibili_live.py with blivedm beside it): for each room,
/// room_init gives the real room number, getDanmuInfo a token and the danmaku hosts, then the danmaku WebSocket is
/// joined with an auth packet and kept with a heartbeat; every DANMU_MSG goes to the proxy session as a comment.
/// It only reads; nothing is ever posted to the room.
/// </summary>
public sealed class BilibiliBridge(VtuberConfig config, HttpClient http, IRequiredActor<ProxyHub> hub,
    IHostApplicationLifetime lifetime, ILogger<BilibiliBridge> log) : BackgroundService
{
    // Bilibili's API refuses requests without a browser's User-Agent (code -352).
    private const string UserAgent =
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

    private BilibiliLiveOptions Options => config.Live.Bilibili;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var proxy = await BridgeLoop.ProxyHubAsync(hub, lifetime, stoppingToken);
        await Task.WhenAll(Options.RoomIds.Select(room => BridgeLoop.RunAsync($"Bilibili room {room}",
            (connected, ct) => JoinRoomAsync(room, proxy, connected, ct), config.Live, log, stoppingToken)));
    }

    private async Task JoinRoomAsync(long room, IActorRef proxy, Action connected, CancellationToken ct)
    {
        var realRoom = await RealRoomAsync(room, ct);
        var (url, token) = await DanmakuEndpointAsync(realRoom, ct);
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("User-Agent", UserAgent);
        if (Options.Sessdata.Length > 0) socket.Options.SetRequestHeader("Cookie", "SESSDATA=" + Options.Sessdata);
        await socket.ConnectAsync(url, ct);
        await socket.SendAsync(BilibiliPacketCodec.Auth(realRoom, token), WebSocketMessageType.Binary, true, ct);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        Task heartbeat = Task.CompletedTask;
        var chunk = new byte[16 * 1024];
        try
        {
            while (await BridgeLoop.ReceiveAsync(socket, chunk, ct) is { } message)
            {
                if (message.Oversized)
                {
                    log.LogWarning("Bilibili room {Room}: skipped a message over {Bytes} bytes", room, BridgeLoop.MaxMessageBytes);
                    continue;
                }
                var decoded = BilibiliPacketCodec.Decode(message.Data.Span);
                foreach (var problem in decoded.Problems)
                    log.LogWarning("Bilibili room {Room}: skipped a malformed packet: {Problem}", room, problem);
                foreach (var packet in decoded.Packets)
                {
                    switch (packet.Operation)
                    {
                        case BilibiliPacketCodec.OperationAuthReply:
                            var code = BilibiliPacketCodec.AuthReplyCode(packet);
                            if (code != 0) throw new IOException($"the danmaku server refused the auth packet (code {code?.ToString() ?? "missing"})");
                            if (log.IsEnabled(LogLevel.Information))
                                log.LogInformation("Bilibili room {Room}: joined (room {RealRoom})", room, realRoom);
                            connected();
                            heartbeat = BeatAsync(socket, stop.Token);
                            break;
                        case BilibiliPacketCodec.OperationCommand:
                            var (danmaku, problem) = BilibiliCommand.Read(packet.Body);
                            if (problem is not null && log.IsEnabled(LogLevel.Warning))
                                log.LogWarning("Bilibili room {Room}: skipped a command: {Problem}: {Body}", room, problem,
                                    BilibiliCommand.Preview(packet.Body));
                            if (danmaku is not null && !string.IsNullOrWhiteSpace(danmaku.Text))
                                proxy.Tell(new LiveComment("bilibili", danmaku.Author, danmaku.Text));
                            break;
                    }
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await heartbeat.ContinueWith(_ => { }, TaskScheduler.Default); // its end is this connection's end
        }
    }

    private async Task BeatAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(Options.HeartbeatSeconds);
        while (!ct.IsCancellationRequested && socket.State == WebSocketState.Open)
        {
            await socket.SendAsync(BilibiliPacketCodec.Heartbeat(), WebSocketMessageType.Binary, true, ct);
            await Task.Delay(interval, ct);
        }
    }

    /// <summary>room_init: a short room number (the one in a vanity URL) to the real one.</summary>
    private async Task<long> RealRoomAsync(long room, CancellationToken ct)
    {
        using var json = await GetAsync($"/room/v1/Room/room_init?id={room}", ct);
        return json.RootElement.GetProperty("data").GetProperty("room_id").GetInt64();
    }

    /// <summary>
    /// getDanmuInfo: the token and a host of the danmaku servers. When it answers without them (Bilibili asks some
    /// clients for a signature we do not make) the configured danmaku_url is used without a token, as blivedm falls
    /// back; danmaku_url's scheme also says whether a listed host is reached over ws or wss.
    /// </summary>
    private async Task<(Uri Url, string Token)> DanmakuEndpointAsync(long realRoom, CancellationToken ct)
    {
        var fallback = new Uri(Options.DanmakuUrl);
        try
        {
            using var json = await GetAsync($"/xlive/web-room/v1/index/getDanmuInfo?id={realRoom}&type=0", ct);
            var data = json.RootElement.GetProperty("data");
            var token = data.GetProperty("token").GetString() ?? "";
            var hosts = data.GetProperty("host_list");
            if (hosts.GetArrayLength() > 0)
            {
                var host = hosts[0];
                var secure = fallback.Scheme == "wss";
                var port = host.GetProperty(secure ? "wss_port" : "ws_port").GetInt32();
                return (new UriBuilder(secure ? "wss" : "ws", host.GetProperty("host").GetString(), port, "/sub").Uri, token);
            }
            return (fallback, token);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            if (log.IsEnabled(LogLevel.Information))
                log.LogInformation("Bilibili room {Room}: getDanmuInfo failed ({Reason}); joining {Url} without a token",
                realRoom, e.Message, fallback);
            return (fallback, "");
        }
    }

    /// <summary>A GET of Bilibili's API whose answer has code 0; anything else is an error naming the call.</summary>
    private async Task<JsonDocument> GetAsync(string pathAndQuery, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Options.ApiBaseUrl + pathAndQuery);
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.Referrer = new Uri("https://live.bilibili.com/");
        if (Options.Sessdata.Length > 0) request.Headers.TryAddWithoutValidation("Cookie", "SESSDATA=" + Options.Sessdata);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(15));
        using var response = await http.SendAsync(request, deadline.Token);
        var path = pathAndQuery[..pathAndQuery.IndexOf('?')];
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{path} answered HTTP {(int)response.StatusCode}");
        var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(deadline.Token), cancellationToken: deadline.Token);
        if (!json.RootElement.TryGetProperty("code", out var code) || code.GetInt32() != 0)
        {
            var text = json.RootElement.TryGetProperty("message", out var m) ? m.ToString() : json.RootElement.GetRawText();
            json.Dispose();
            throw new HttpRequestException($"{path} answered code {(code.ValueKind == JsonValueKind.Number ? code.GetInt32() : -1)}: {text}");
        }
        return json;
    }
}
