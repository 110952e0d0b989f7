using Vtuber.Testing;

namespace Vtuber.Bench.Sessions;

/// <summary>
/// Many live sessions against the real server, next to a floor of our own (olv issue 10). The server runs as a child
/// process from its Release build over a temp conf.yaml (default SQLite journal in the same temp folder); the fake
/// LLM (OpenAI SSE, "[joy] This is line one. This is line two." word by word) and the fake TTS (OpenAI
/// /audio/speech, a 1.02 s 24 kHz PCM16 WAV per sentence) and every client run in this process. The floor is a bare
/// Kestrel WebSocket child that answers with the server's own frames, captured first (<see cref="FloorFrames"/>).
/// The same clients drive both, one after the other, and one table prints both with their ratio.
/// </summary>
public static class SessionsBench
{
    private static readonly string[] ReplyChunks =
        ["[joy]", " This", " is", " line", " one.", " This", " is", " line", " two."];

    /// <summary>Runs the scenario and prints the table; Ctrl+C stops it (children killed, temp folder removed), exit code 130.</summary>
    public static async Task<int> RunAsync(SessionsOptions options)
    {
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCtrlC = (_, e) =>
        {
            e.Cancel = true; // finish through the finally blocks below instead of dying in the middle of them
            stop.Cancel();
        };
        Console.CancelKeyPress += onCtrlC;
        try
        {
            await RunAsync(options, stop.Token);
            return 0;
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("sessions bench interrupted");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCtrlC;
        }
    }

    private static async Task RunAsync(SessionsOptions options, CancellationToken stop)
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        llm.RecordRequests = false;
        llm.DefaultReply = new FakeReply(ReplyChunks);
        await using var tts = await FakeSpeechServer.StartAsync();
        tts.WavBody = BenchAudio.SentenceWav();
        var configPath = BenchFolder.Create(llm.BaseUrl, tts.BaseUrl);
        var folder = Path.GetDirectoryName(configPath)!;
        try
        {
            var driver = new LoadDriver(options, BenchAudio.MicFrames(), stop);
            if (options.Soak is { } soak)
            {
                await SoakAsync(driver, configPath, options, soak, stop);
                return;
            }
            Console.WriteLine($"sessions bench: {options.Sessions} paced sessions ({options.Warmup.TotalSeconds:0} s warm-up + " +
                              $"{options.PacedDuration.TotalSeconds:0} s), {options.BusyClients} busy clients ({options.BusyDuration.TotalSeconds:0} s), " +
                              $"{options.MicClients} mic clients ({options.MicDuration.TotalSeconds:0} s), {options.Interrupts} interrupts, " +
                              $"{options.Idle} idle connections; server first, then the floor");

            FloorFrames frames;
            TargetResult server;
            using (var target = await TargetProcess.StartServerAsync(configPath))
            {
                using var capture = CancellationTokenSource.CreateLinkedTokenSource(stop);
                capture.CancelAfter(TimeSpan.FromSeconds(60));
                frames = await FloorFrames.CaptureAsync(target.WebSocketUri, capture.Token);
                server = await RunPhasesAsync(driver, target);
            }
            var framesPath = Path.Combine(folder, "floor-frames.json");
            frames.Save(framesPath);
            TargetResult floor;
            using (var target = await TargetProcess.StartFloorAsync(framesPath))
            {
                floor = await RunPhasesAsync(driver, target);
            }

            Console.WriteLine();
            Console.WriteLine($"one turn is {frames.Replies["text-input"].Count + frames.Replies["frontend-playback-complete"].Count} frames, " +
                              $"{frames.TurnBytes / 1024.0:F0} KB, the same bytes from both; ratio = server / floor");
            Measurements.Print(options, floor, server, Console.Out);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The soak (issue 9): paced rounds against the server only, for as long as asked. What drifts is what matters:
    /// RSS and first audio from the first round to the last, and any error frame (none are expected).
    /// </summary>
    private static async Task SoakAsync(LoadDriver driver, string configPath, SessionsOptions options, TimeSpan soak,
        CancellationToken stop)
    {
        Console.WriteLine($"soak: {options.Sessions} paced sessions in rounds of {options.PacedDuration.TotalSeconds:0} s " +
                          $"for {soak.TotalMinutes:0} min, server only");
        Console.WriteLine("| round | minute | RSS MB | turns/s | first audio p50 ms | p99 ms | CPU ms/turn | error frames |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        using var target = await TargetProcess.StartServerAsync(configPath);
        OlvLoadClient.TakeErrorFrameCount();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rss = new List<double>();
        var errors = 0;
        for (var round = 1; clock.Elapsed < soak && !stop.IsCancellationRequested; round++)
        {
            var paced = await driver.PacedAsync(target);
            var roundErrors = OlvLoadClient.TakeErrorFrameCount();
            errors += roundErrors;
            rss.Add(target.RssBytes / 1048576.0);
            Console.WriteLine($"| {round} | {clock.Elapsed.TotalMinutes:F1} | {rss[^1]:F0} | {paced.TurnsPerSecond:F0} | " +
                              $"{Measurements.Percentile(paced.FirstAudioMs, 0.5):F2} | {Measurements.Percentile(paced.FirstAudioMs, 0.99):F2} | " +
                              $"{paced.CpuMsPerTurn:F2} | {roundErrors} |");
        }
        Console.WriteLine($"soak: RSS {rss[0]:F0} MB after the first round, {rss[^1]:F0} MB after the last " +
                          $"(drift {rss[^1] - rss[0]:+0;-0} MB over {rss.Count} rounds), {errors} error frames");
    }

    private static async Task<TargetResult> RunPhasesAsync(LoadDriver driver, TargetProcess target)
    {
        OlvLoadClient.TakeErrorFrameCount(); // the capture's are not this target's
        // Idle first: its memory growth is read against the target as it started, not against the garbage of a load.
        Console.WriteLine($"  {target.Name}: idle connections");
        var idle = await driver.IdleAsync(target);
        await target.SettleAsync();
        Console.WriteLine($"  {target.Name}: paced sessions");
        var paced = await driver.PacedAsync(target);
        await target.SettleAsync();
        Console.WriteLine($"  {target.Name}: busy clients");
        var busy = await driver.BusyAsync(target);
        await target.SettleAsync();
        Console.WriteLine($"  {target.Name}: mic-audio-data");
        var mic = await driver.MicAsync(target);
        await target.SettleAsync();
        Console.WriteLine($"  {target.Name}: interrupts");
        var interrupt = await driver.InterruptAsync(target);
        return new TargetResult(paced, busy, mic, interrupt, idle, OlvLoadClient.TakeErrorFrameCount());
    }
}
