using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Vtuber.Domain.Config;
using Vtuber.Server.Hosting;
using Vtuber.Testing;

namespace Vtuber.Bench;

/// <summary>
/// Time from sending text-input to receiving the first `audio` frame, one client, instant fakes (LLM and TTS are
/// real HTTP servers on 127.0.0.1 that answer at once). Baselines measured in the same process and run:
/// - heartbeat round trip on the same socket (transport + session actor, no turn work);
/// - the fakes called directly over HTTP (LLM first chunk, one TTS request): what any server must wait for.
/// The server's own share of a turn is first-audio minus those direct upstream times.
/// </summary>
public static class FirstAudioBench
{
    public static async Task RunAsync(int turns)
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        llm.DefaultReply = new FakeReply(["Hello there! ", "This is the second sentence."]);
        var folder = BenchFolder.Create(llm.BaseUrl, tts.BaseUrl);
        var app = VtuberServer.Build(ConfigLoader.Load(folder), ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(new Uri(address, "/client-ws")) { Scheme = "ws" }.Uri, CancellationToken.None);
        await ReceiveUntil(socket, "control", "start-mic");

        using var http = new HttpClient();
        var warmup = Math.Max(10, turns / 5);
        var firstAudio = new List<double>();
        var heartbeat = new List<double>();
        var llmFirstChunk = new List<double>();
        var ttsCall = new List<double>();
        for (var i = 0; i < warmup + turns; i++)
        {
            var record = i >= warmup;
            var clock = Stopwatch.StartNew();
            await Send(socket, """{"type":"text-input","text":"hello"}""");
            await ReceiveUntil(socket, "audio");
            var elapsed = clock.Elapsed.TotalMilliseconds;
            await ReceiveUntil(socket, "backend-synth-complete");
            await Send(socket, """{"type":"frontend-playback-complete"}""");
            await ReceiveUntil(socket, "control", "conversation-chain-end");

            clock.Restart();
            await Send(socket, """{"type":"heartbeat"}""");
            await ReceiveUntil(socket, "heartbeat-ack");
            var rtt = clock.Elapsed.TotalMilliseconds;

            var (first, speech) = await DirectUpstreamAsync(http, llm.BaseUrl, tts.BaseUrl);
            if (record)
            {
                firstAudio.Add(elapsed);
                heartbeat.Add(rtt);
                llmFirstChunk.Add(first);
                ttsCall.Add(speech);
            }
        }
        await app.StopAsync();

        var upstream = Median(llmFirstChunk) + Median(ttsCall);
        Console.WriteLine($"first-audio bench: {turns} turns after {warmup} warm-up, one client, instant fakes");
        Console.WriteLine($"  text-input -> first audio frame   median {Median(firstAudio):F2} ms   p90 {Percentile(firstAudio, 0.9):F2} ms");
        Console.WriteLine($"  baseline heartbeat round trip      median {Median(heartbeat):F2} ms");
        Console.WriteLine($"  baseline direct LLM first chunk    median {Median(llmFirstChunk):F2} ms");
        Console.WriteLine($"  baseline direct TTS request        median {Median(ttsCall):F2} ms");
        Console.WriteLine($"  server's own share (first audio - direct LLM - direct TTS): {Median(firstAudio) - upstream:F2} ms");
        Console.WriteLine($"  ratio first-audio / heartbeat RTT: {Median(firstAudio) / Median(heartbeat):F1}x; " +
                          $"first-audio / direct upstream: {Median(firstAudio) / upstream:F2}x");
    }

    private static async Task<(double FirstChunk, double Speech)> DirectUpstreamAsync(HttpClient http, Uri llm, Uri tts)
    {
        var clock = Stopwatch.StartNew();
        using (var request = new HttpRequestMessage(HttpMethod.Post, llm + "/chat/completions")
               {
                   Content = JsonContent.Create(new { model = "m", stream = true, messages = new[] { new { role = "user", content = "hello" } } }),
               })
        {
            request.Headers.Authorization = new("Bearer", "x");
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line && !line.StartsWith("data: {", StringComparison.Ordinal))
            {
            }
        }
        var first = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        using (var request = new HttpRequestMessage(HttpMethod.Post, tts + "/audio/speech")
               {
                   Content = JsonContent.Create(new { model = "m", voice = "v", input = "Hello there!", response_format = "wav" }),
               })
        {
            request.Headers.Authorization = new("Bearer", "x");
            using var response = await http.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
        }
        return (first, clock.Elapsed.TotalMilliseconds);
    }

    private static Task Send(ClientWebSocket socket, string json) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task ReceiveUntil(ClientWebSocket socket, string type, string? text = null)
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
            var frame = JsonNode.Parse(stream.ToArray())!;
            if ((string?)frame["type"] == type && (text is null || (string?)frame["text"] == text))
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
