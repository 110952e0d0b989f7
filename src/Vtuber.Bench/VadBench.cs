using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Vtuber.Domain.Config;
using Vtuber.Domain.Vad;
using Vtuber.Server.Hosting;
using Vtuber.Speech.Audio;
using Vtuber.Speech.Vad;
using Vtuber.Testing;

namespace Vtuber.Bench;

/// <summary>
/// Server-side VAD: (1) Silero cost per 512-sample window at batch 1/8/32/64, same process, same windows;
/// (2) N clients streaming raw-audio-data over real WebSockets at real-time pace (4096-sample chunks every 256 ms,
/// silence + espeak speech + silence, looped). Lag of an event = its arrival minus the moment the chunk holding the
/// window that triggers it (known from an offline run of the same audio) finished sending. N grows until p99 lag
/// passes one second or N reaches the cap; runtime is bounded by the loop count per N.
/// </summary>
public static class VadBench
{
    private const int ChunkSamples = 4096;
    private static readonly TimeSpan ChunkPeriod = TimeSpan.FromSeconds((double)ChunkSamples / VadWindow.SampleRate);

    public static async Task RunAsync(int maxClients, int loops)
    {
        var speech = AudioDecoder.Decode(TestAssets.Read(TestAssets.Speech16kWav)).Samples.Select(s => s / 32768f).ToArray();
        var segment = new float[16000].Concat(speech).Concat(new float[40000]).ToArray();
        segment = segment.Concat(new float[ChunkSamples - segment.Length % ChunkSamples]).ToArray(); // whole chunks per loop
        WindowCost(segment);
        await StreamsAsync(segment, maxClients, loops);
    }

    private static void WindowCost(float[] segment)
    {
        var windows = new WindowAssembler().Append(segment);
        using var vad = new SileroVad(SileroVad.DefaultModelPath, 64);
        Console.WriteLine("vad bench: Silero v5 cost per 512-sample window (32 ms of audio), one thread, OrtValues reused");
        foreach (var batch in new[] { 1, 8, 32, 64 })
        {
            var states = Enumerable.Range(0, batch).Select(_ => new float[SileroVad.StateSize]).ToArray();
            var probabilities = new float[batch];
            var total = Math.Max(4000, batch * 100);
            void RunWindows(int count)
            {
                for (var done = 0; done < count; done += batch)
                {
                    var batchWindows = Enumerable.Range(0, batch).Select(b => windows[(done / batch + b * 7) % windows.Count]).ToArray();
                    vad.Run(batchWindows, states, probabilities);
                }
            }
            RunWindows(total / 4); // warm-up
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            RunWindows(total);
            var wall = clock.Elapsed.TotalMicroseconds / total;
            var cpuPer = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / total;
            Console.WriteLine($"  batch {batch,2}: {wall,6:F1} µs/window wall, {cpuPer,6:F1} µs/window CPU  (real-time factor {wall / 32000:F5})");
        }
    }

    private static async Task StreamsAsync(float[] segment, int maxClients, int loops)
    {
        var (startWindow, endWindow) = Triggers(segment);
        var startChunk = (startWindow * VadWindow.Samples + VadWindow.Samples - 1) / ChunkSamples;
        var endChunk = (endWindow * VadWindow.Samples + VadWindow.Samples - 1) / ChunkSamples;
        var chunksPerLoop = segment.Length / ChunkSamples;
        var payloads = Enumerable.Range(0, chunksPerLoop).Select(c => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            type = "raw-audio-data",
            audio = segment.AsSpan(c * ChunkSamples, ChunkSamples).ToArray(),
        }))).ToArray();

        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var path = BenchFolder.Create(llm.BaseUrl, tts.BaseUrl);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\n  tts_config:", "\n  vad_config:\n    vad_model: 'silero_vad'\n  tts_config:"));
        var app = VtuberServer.Build(ConfigLoader.Load(path), ["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var batcher = Vtuber.Actors.Voice.VadBatcher.For(app.Services.GetRequiredService<Akka.Actor.ActorSystem>());

        Console.WriteLine($"vad bench: N clients streaming raw-audio-data at real-time pace ({payloads.Average(b => b.Length) / 1024:F0} KB JSON per " +
                          $"256 ms chunk on average), {loops} × {segment.Length / 16000.0:F1} s each; lag = event arrival − send of its triggering chunk");
        Console.WriteLine($"  {"N",4}  {"events",7}  {"lag p50",9}  {"lag p99",9}  {"max",9}  {"mean batch",10}  {"CPU",5}");
        for (var n = 1; n <= maxClients; n = n < 8 ? 8 : n * 2)
        {
            var before = batcher.Stats;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var results = await Task.WhenAll(Enumerable.Range(0, n).Select(i =>
                ClientAsync(address, payloads, loops, startChunk, endChunk, TimeSpan.FromMilliseconds(i * 256.0 / n))));
            var cpuShare = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / clock.Elapsed.TotalSeconds / Environment.ProcessorCount;
            var after = batcher.Stats;
            var lags = results.SelectMany(r => r.Lags).Order().ToList();
            var expected = n * loops * 2;
            var meanBatch = (double)(after.Windows - before.Windows) / Math.Max(1, after.Runs - before.Runs);
            Console.WriteLine($"  {n,4}  {lags.Count,3}/{expected,-3}  {P(lags, 0.5),7:F0}ms  {P(lags, 0.99),7:F0}ms  {(lags.Count > 0 ? lags[^1] : double.NaN),7:F0}ms  {meanBatch,10:F1}  {cpuShare,5:P0}");
            if (lags.Count < expected || P(lags, 0.99) > 1000)
            {
                Console.WriteLine($"  fell behind at N = {n} (events missing or p99 lag over 1 s)");
                break;
            }
        }
        await app.StopAsync();
    }

    /// <summary>Which window of one loop starts and ends speech, from the same model and state machine offline.</summary>
    private static (int Start, int End) Triggers(float[] segment)
    {
        using var vad = new SileroVad(SileroVad.DefaultModelPath, 1);
        var detector = new SpeechDetector(new SileroVadConfig());
        var state = new float[SileroVad.StateSize];
        var p = new float[1];
        int start = -1, end = -1;
        var windows = new WindowAssembler().Append(segment);
        for (var i = 0; i < windows.Count; i++)
        {
            vad.Run([windows[i]], [state], p);
            switch (detector.Process(windows[i], p[0]))
            {
                case SpeechStarted: start = i; break;
                case SpeechEnded: end = i; break;
            }
        }
        return start >= 0 && end >= 0 ? (start, end) : throw new InvalidOperationException("the bench audio has no complete utterance");
    }

    private static async Task<(List<double> Lags, int Events)> ClientAsync(Uri server, byte[][] payloads, int loops,
        int startChunk, int endChunk, TimeSpan offset)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(new Uri(server, "/client-ws")) { Scheme = "ws" }.Uri, CancellationToken.None);
        var sent = new Dictionary<(int Loop, string Event), double>();
        var lags = new List<double>();
        var clock = Stopwatch.StartNew();
        var pending = new Queue<(int Loop, string Event)>();
        for (var l = 0; l < loops; l++)
        {
            pending.Enqueue((l, "interrupt"));
            pending.Enqueue((l, "mic-audio-end"));
        }
        var receiver = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            while (pending.Count > 0)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close) return;
                var text = Encoding.UTF8.GetString(buffer, 0, result.Count);
                if (!text.Contains("\"control\"") || !(text.Contains("\"interrupt\"") || text.Contains("\"mic-audio-end\""))) continue;
                var now = clock.Elapsed.TotalMilliseconds;
                lock (sent)
                {
                    var expected = pending.Dequeue();
                    if (sent.TryGetValue(expected, out var at)) lags.Add(now - at);
                }
            }
        });

        await Task.Delay(offset); // spread the clients' chunks over the period, as independent speakers would be
        var origin = clock.Elapsed;
        for (var l = 0; l < loops; l++)
        {
            for (var c = 0; c < payloads.Length; c++)
            {
                var due = origin + ChunkPeriod * (l * payloads.Length + c);
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                await socket.SendAsync(payloads[c], WebSocketMessageType.Text, true, CancellationToken.None);
                var at = clock.Elapsed.TotalMilliseconds;
                lock (sent)
                {
                    if (c == startChunk) sent[(l, "interrupt")] = at;
                    if (c == endChunk) sent[(l, "mic-audio-end")] = at;
                }
            }
        }
        await Task.WhenAny(receiver, Task.Delay(TimeSpan.FromSeconds(10)));
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        return (lags, lags.Count);
    }

    private static double P(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
}
