using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Vtuber.Domain.Config;
using Vtuber.Server.Hosting;
using Vtuber.Testing;

namespace Vtuber.Bench;

/// <summary>
/// What group chat adds to a turn, instant fakes, all clients behaving like the frontend (audio-play-start per
/// sentence, playback complete after backend-synth-complete). Measured in one run:
/// - alone: text-input → first audio frame of a client in no group (the first-audio bench's number);
/// - in a group of N (system_config.group.max_rounds 1): text-input → the first speaker's first audio, and for each
///   next member the previous speaker's frontend-playback-complete → its first audio (the hand-over).
/// The extra latency per member is each of those minus the alone median.
/// </summary>
public static class GroupTurnBench
{
    public static async Task RunAsync(int turns, int members)
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        llm.DefaultReply = new FakeReply(["Hello there! ", "This is the second sentence."]);
        var folder = BenchFolder.Create(llm.BaseUrl, tts.BaseUrl);
        File.WriteAllText(folder, File.ReadAllText(folder).Replace("system_config:\n", "system_config:\n  group:\n    max_rounds: 1\n", StringComparison.Ordinal));
        var app = VtuberServer.Build(ConfigLoader.Load(folder), ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var clients = new List<(ClientWebSocket Socket, string Uid)>();
        for (var i = 0; i < members; i++)
        {
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new UriBuilder(new Uri(address, "/client-ws")) { Scheme = "ws" }.Uri, CancellationToken.None);
            string? uid = null;
            await ReceiveUntil(socket, f =>
            {
                uid ??= (string?)f["client_uid"];
                return (string?)f["text"] == "start-mic";
            });
            clients.Add((socket, uid!));
        }

        var warmup = Math.Max(10, turns / 5);
        var alone = new List<double>();
        for (var i = 0; i < warmup + turns; i++)
        {
            var clock = Stopwatch.StartNew();
            await Send(clients[0].Socket, """{"type":"text-input","text":"hello"}""");
            var firstAudio = await PlayTurnAsync(clients[0].Socket, clock);
            await ReceiveUntil(clients[0].Socket, f => (string?)f["text"] == "conversation-chain-end");
            if (i >= warmup) alone.Add(firstAudio);
        }

        foreach (var (_, uid) in clients.Skip(1))
        {
            await Send(clients[0].Socket, JsonSerializer.Serialize(new { type = "add-client-to-group", invitee_uid = uid }));
            await ReceiveUntil(clients[0].Socket, f => (string?)f["type"] == "group-update");
        }

        var handOver = Enumerable.Range(0, members).Select(_ => new List<double>()).ToList();
        for (var i = 0; i < warmup + turns; i++)
        {
            var clock = Stopwatch.StartNew();
            await Send(clients[0].Socket, """{"type":"text-input","text":"hello"}""");
            for (var k = 0; k < members; k++)
            {
                var firstAudio = await PlayTurnAsync(clients[k].Socket, clock);
                clock.Restart(); // playback complete was just sent: the next member's turn starts from here
                if (i >= warmup) handOver[k].Add(firstAudio);
            }
            // The last speaker's second chain end (the group's) comes after the conversation took its turn's end.
            await ReceiveUntil(clients[^1].Socket, f => (string?)f["text"] == "conversation-chain-end");
            await ReceiveUntil(clients[^1].Socket, f => (string?)f["text"] == "conversation-chain-end");
        }
        foreach (var (socket, _) in clients) socket.Dispose();
        await app.StopAsync();

        var baseline = Median(alone);
        Console.WriteLine($"group bench: {turns} turns after {warmup} warm-up, {members} members, instant fakes");
        Console.WriteLine($"  alone: text-input -> first audio            median {baseline:F2} ms   p90 {Percentile(alone, 0.9):F2} ms");
        for (var k = 0; k < members; k++)
        {
            var what = k == 0 ? "text-input -> first audio" : "previous playback complete -> first audio";
            Console.WriteLine($"  member {k + 1}: {what,-42} median {Median(handOver[k]):F2} ms   p90 {Percentile(handOver[k], 0.9):F2} ms" +
                              $"   extra {Median(handOver[k]) - baseline:+0.00;-0.00} ms");
        }
    }

    /// <summary>Plays one turn like the frontend; returns the ms from the clock's start to the first (own) audio frame.</summary>
    private static async Task<double> PlayTurnAsync(ClientWebSocket socket, Stopwatch clock)
    {
        double? firstAudio = null;
        await ReceiveUntil(socket, frame =>
        {
            if ((string?)frame["type"] == "audio" && !(bool)frame["forwarded"]!)
            {
                firstAudio ??= clock.Elapsed.TotalMilliseconds;
                _ = Send(socket, JsonSerializer.Serialize(new { type = "audio-play-start", display_text = frame["display_text"], forwarded = true }));
            }
            return (string?)frame["type"] == "backend-synth-complete";
        });
        await Send(socket, """{"type":"frontend-playback-complete"}""");
        return firstAudio!.Value;
    }

    // One send at a time per socket: audio-play-start is sent from the receive loop, so sends are serialised here.
    private static readonly SemaphoreSlim Sending = new(1, 1);

    private static async Task Send(ClientWebSocket socket, string json)
    {
        await Sending.WaitAsync();
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            Sending.Release();
        }
    }

    private static async Task ReceiveUntil(ClientWebSocket socket, Func<JsonNode, bool> done)
    {
        var buffer = new byte[256 * 1024];
        while (true)
        {
            var stream = new MemoryStream();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                stream.Write(buffer, 0, result.Count);
            } while (!result.EndOfMessage);
            if (done(JsonNode.Parse(stream.ToArray())!))
            {
                return;
            }
        }
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }
}
