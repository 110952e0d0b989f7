using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Vtuber.Bench.Sessions;

/// <summary>
/// The load phases of the sessions scenario, the same for the server and the floor. Each phase opens its own clients
/// and aborts them at its end; every wait is bounded by the phase's deadline plus <see cref="Grace"/>, and ends at once
/// when <paramref name="stop"/> fires (Ctrl+C).
/// </summary>
public sealed class LoadDriver(SessionsOptions options, byte[][] micFrames, CancellationToken stop)
{
    /// <summary>How long a turn or connect may take past the end of its phase before the phase fails.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);

    /// <summary>mic-audio-end after this many frames: 61.4 s, just over the default 60 s utterance cap (see MicAsync).</summary>
    private const int FramesPerUtterance = 240;

    private static readonly byte[] MicAudioEnd = """{"type":"mic-audio-end","images":[]}"""u8.ToArray();

    /// <summary>
    /// N clients connect at once (each timing its connect sequence), then each does a turn, thinks 1 s ± 50 %, and
    /// again. Turns started in the window after the warm-up are timed; the target's CPU is read at the window's edges.
    /// </summary>
    public async Task<PacedResult> PacedAsync(TargetProcess target)
    {
        using var deadline = Deadline(options.Warmup + options.PacedDuration + Grace * 2);
        var connects = new ConcurrentBag<double>();
        var clients = await ConnectAllAsync(target, options.Sessions, connects, deadline.Token);
        try
        {
            var window = new Window(options.Warmup, options.PacedDuration);
            var firstAudio = new ConcurrentBag<double>();
            var cpu = MeasureCpuAsync(target, window);
            await Task.WhenAll(clients.Select((client, i) => Task.Run(async () =>
            {
                var random = new Random(i);
                // A random first pause spreads the clients' turns over the think period.
                await Task.Delay(options.Think * random.NextDouble() * 1.5, deadline.Token);
                while (!window.Ended)
                {
                    var startedInWindow = window.Open;
                    var latency = await client.TurnAsync(deadline.Token);
                    if (startedInWindow)
                    {
                        firstAudio.Add(latency.TotalMilliseconds);
                    }
                    window.CountIfInside();
                    await Task.Delay(options.Think * (0.5 + random.NextDouble()), deadline.Token);
                }
            })));
            return new PacedResult([.. firstAudio], [.. connects], await cpu / Math.Max(1, window.Turns), window.Turns / window.Length.TotalSeconds);
        }
        finally
        {
            DisposeAll(clients);
        }
    }

    /// <summary>M clients doing turns back to back: turns completed per second and target CPU per turn.</summary>
    public async Task<BusyResult> BusyAsync(TargetProcess target)
    {
        using var deadline = Deadline(options.Warmup + options.BusyDuration + Grace * 2);
        var clients = await ConnectAllAsync(target, options.BusyClients, new ConcurrentBag<double>(), deadline.Token);
        try
        {
            var window = new Window(options.Warmup, options.BusyDuration);
            var cpu = MeasureCpuAsync(target, window);
            await Task.WhenAll(clients.Select(client => Task.Run(async () =>
            {
                while (!window.Ended)
                {
                    await client.TurnAsync(deadline.Token);
                    window.CountIfInside();
                }
            })));
            return new BusyResult(window.Turns / window.Length.TotalSeconds, await cpu / Math.Max(1, window.Turns));
        }
        finally
        {
            DisposeAll(clients);
        }
    }

    /// <summary>
    /// K connections opened as frontend tabs open them (greeting and the four replies), at most
    /// <see cref="SessionsOptions.ConnectConcurrency"/> at a time, then left idle. RSS per connection is the target's
    /// growth over the phase divided by K; connects/s counts completed open sequences over the time to open them all.
    /// </summary>
    public async Task<IdleResult> IdleAsync(TargetProcess target)
    {
        using var deadline = Deadline(options.IdleTimeout);
        var rssBefore = target.RssBytes;
        var clients = new ConcurrentBag<OlvLoadClient>();
        var next = -1;
        var failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(options.ConnectConcurrency, options.Idle)).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < options.Idle && !deadline.IsCancellationRequested)
            {
                try
                {
                    clients.Add(await OlvLoadClient.ConnectAsync(target.WebSocketUri, open: true, deadline.Token));
                }
                catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException)
                {
                    Interlocked.Increment(ref failed); // counted, not fatal: how many a target fails to open is a result
                }
            }
        })));
        var connectSeconds = clock.Elapsed.TotalSeconds;
        stop.ThrowIfCancellationRequested(); // the failures above were the stop, not the target
        if (clients.Count < options.Idle)
        {
            Console.Error.WriteLine($"  {target.Name}: {clients.Count} of {options.Idle} idle connections opened " +
                                    $"({failed} failed, limit {options.IdleTimeout.TotalSeconds:0} s)");
        }
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2)); // let the last sessions settle before reading memory
            var rssAfter = target.RssBytes;
            return new IdleResult(clients.Count, (double)(rssAfter - rssBefore) / Math.Max(1, clients.Count), clients.Count / connectSeconds);
        }
        finally
        {
            DisposeAll([.. clients]);
        }
    }

    /// <summary>
    /// Clients push mic-audio-data back to back, 4096 floats per frame as the frontend writes them, with a
    /// mic-audio-end every 240 frames. No frame is answered on the wire: the server reads the next frame only after the
    /// session has buffered this one (its backpressure), so the sustained send rate is its read rate. A heartbeat at the
    /// end is answered only after every frame before it was read; the rate is bytes sent over the time to that answer.
    /// An utterance of 240 frames passes the server's default 60 s cap by a little: the first 234 frames are buffered,
    /// the rest are read and dropped with one error frame, and mic-audio-end then starts no recognition, so the phase
    /// measures reading, not ASR.
    /// </summary>
    public async Task<MicResult> MicAsync(TargetProcess target)
    {
        using var deadline = Deadline(options.MicDuration + Grace);
        var clients = await ConnectAllAsync(target, options.MicClients, new ConcurrentBag<double>(), deadline.Token);
        try
        {
            var clock = Stopwatch.StartNew();
            var sent = await Task.WhenAll(clients.Select((client, c) => Task.Run(async () =>
            {
                client.ShowErrors = false; // the dropped-utterance errors are expected
                var drained = DrainUntilHeartbeatAckAsync(client, deadline.Token);
                long bytes = 0;
                for (var frame = 0; clock.Elapsed < options.MicDuration; frame++)
                {
                    var payload = micFrames[(frame + c) % micFrames.Length];
                    await client.SendAsync(payload, deadline.Token);
                    bytes += payload.Length;
                    if (frame % FramesPerUtterance == FramesPerUtterance - 1)
                    {
                        await client.SendAsync(MicAudioEnd, deadline.Token);
                    }
                }
                await client.SendHeartbeatAsync(deadline.Token);
                await drained;
                return bytes;
            })));
            return new MicResult(sent.Sum() / 1e6 / clock.Elapsed.TotalSeconds);
        }
        finally
        {
            DisposeAll(clients);
        }
    }

    private static async Task DrainUntilHeartbeatAckAsync(OlvLoadClient client, CancellationToken cancellationToken)
    {
        while (await client.ReceiveAsync(cancellationToken) != FrameKind.HeartbeatAck)
        {
        }
    }

    /// <summary>
    /// One client interrupts R turns at their first audio frame, as the frontend does: audio-play-start for it, then
    /// interrupt-signal with its text as heard, then a heartbeat. Frames of the turn that arrive before that
    /// heartbeat's ack were on their way before the target read the interrupt (in flight); any that arrive after the
    /// ack, or before the ack of a second heartbeat 300 ms later, were sent after it (stale).
    /// </summary>
    public async Task<InterruptResult> InterruptAsync(TargetProcess target)
    {
        using var deadline = Deadline(Grace + TimeSpan.FromSeconds(options.Interrupts));
        using var client = await OlvLoadClient.ConnectAsync(target.WebSocketUri, open: true, deadline.Token);
        int inFlight = 0, stale = 0;
        for (var round = 0; round < options.Interrupts; round++)
        {
            await client.SendTextInputAsync(deadline.Token);
            while (await client.ReceiveAsync(deadline.Token) != FrameKind.Audio)
            {
            }
            await client.SendAudioPlayStartAsync(deadline.Token);
            var heard = JsonSerializer.Serialize(client.LastDisplayText());
            await client.SendAsync(Encoding.UTF8.GetBytes($$"""{"type":"interrupt-signal","text":{{heard}}}"""), deadline.Token);
            await client.SendHeartbeatAsync(deadline.Token);
            inFlight += await FramesBeforeHeartbeatAckAsync(client, deadline.Token);
            await Task.Delay(TimeSpan.FromMilliseconds(300), deadline.Token); // instant fakes: a late frame would be out by now
            await client.SendHeartbeatAsync(deadline.Token);
            stale += await FramesBeforeHeartbeatAckAsync(client, deadline.Token);
        }
        return new InterruptResult(options.Interrupts, inFlight, stale);
    }

    private static async Task<int> FramesBeforeHeartbeatAckAsync(OlvLoadClient client, CancellationToken cancellationToken)
    {
        var frames = 0;
        while (await client.ReceiveAsync(cancellationToken) != FrameKind.HeartbeatAck)
        {
            frames++;
        }
        return frames;
    }

    private static async Task<OlvLoadClient[]> ConnectAllAsync(TargetProcess target, int count, ConcurrentBag<double> times,
        CancellationToken cancellationToken)
    {
        var connecting = Enumerable.Range(0, count).Select(async _ =>
        {
            var clock = Stopwatch.StartNew();
            var client = await OlvLoadClient.ConnectAsync(target.WebSocketUri, open: true, cancellationToken);
            times.Add(clock.Elapsed.TotalMilliseconds);
            return client;
        }).ToArray();
        try
        {
            return await Task.WhenAll(connecting);
        }
        catch
        {
            DisposeAll(connecting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
            throw;
        }
    }

    private CancellationTokenSource Deadline(TimeSpan after)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(after);
        return deadline;
    }

    /// <summary>The target's CPU milliseconds between the window's start and end.</summary>
    private static async Task<double> MeasureCpuAsync(TargetProcess target, Window window)
    {
        await window.UntilStartAsync();
        var before = target.CpuTime;
        await window.UntilEndAsync();
        return (target.CpuTime - before).TotalMilliseconds;
    }

    private static void DisposeAll(IEnumerable<OlvLoadClient> clients)
    {
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    /// <summary>The measured part of a phase: from the end of the warm-up for its length; counts turns completed in it.</summary>
    private sealed class Window(TimeSpan warmup, TimeSpan length)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _turns;

        public TimeSpan Length => length;
        public bool Open => _clock.Elapsed >= warmup && !Ended;
        public bool Ended => _clock.Elapsed >= warmup + length;
        public int Turns => Volatile.Read(ref _turns);

        public void CountIfInside()
        {
            if (Open)
            {
                Interlocked.Increment(ref _turns);
            }
        }

        public Task UntilStartAsync() => Task.Delay(Remaining(warmup));
        public Task UntilEndAsync() => Task.Delay(Remaining(warmup + length));

        private TimeSpan Remaining(TimeSpan at) => at > _clock.Elapsed ? at - _clock.Elapsed : TimeSpan.Zero;
    }
}
