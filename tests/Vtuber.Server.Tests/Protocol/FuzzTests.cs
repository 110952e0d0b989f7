using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;
using Xunit.Abstractions;

namespace Vtuber.Server.Tests.Protocol;

/// <summary>
/// Seeded adversarial frames from many concurrent clients against one real server: no frame may end a connection
/// except by its documented close code, and the server must stay whole afterwards.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261203;
    private const int Connections = 20;
    private const int FramesPerConnection = 500;
    private const int MaxMessageBytes = 64 * 1024;
    private const int MaxTextChars = 2000;
    private const int MaxImages = 2;
    private const int MaxImageBytes = 4096;

    [Fact]
    public async Task Hostile_frames_from_many_clients_end_no_connection_except_by_a_documented_close_code()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, extraSystemYaml: $"""
              websocket:
                max_message_bytes: {MaxMessageBytes}
              limits:
                max_text_chars: {MaxTextChars}
                max_images: {MaxImages}
                max_image_bytes: {MaxImageBytes}
            """);
        await using var server = await RunningServer.StartAsync(folder, llm, tts);
        await CompleteTextTurnAsync(server); // warms up everything a turn touches before memory is measured
        var managedBefore = LiveManagedBytes();
        var rssBefore = Environment.WorkingSet;
        var committedBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;

        var stopwatch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, Connections).Select(i => FuzzAsync(server, i)));
        stopwatch.Stop();

        // Every connection still open answers a heartbeat: each worker's last connection (the earlier ones ended
        // by a documented close, or are reported below). After the ack, everything before it has been counted.
        var heartbeats = await Task.WhenAll(results.Select(r => r.Last.AnswersHeartbeatAsync()));
        foreach (var result in results)
        {
            result.Count(result.Last);
        }

        var unexpected = results.SelectMany(r => r.Unexpected).Concat(heartbeats.OfType<string>()).ToList();
        var expectedCloses = results.SelectMany(r => r.ExpectedCloses)
            .GroupBy(c => c).Select(g => $"{g.Key} x{g.Count()}").ToList();
        var kinds = results.SelectMany(r => r.Kinds).GroupBy(k => k).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}");
        output.WriteLine($"{results.Sum(r => r.Frames)} frames over {Connections} concurrent connections " +
                         $"({results.Sum(r => r.ConnectionsOpened)} opened) in {stopwatch.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine("kinds: " + string.Join(", ", kinds));
        output.WriteLine("documented closes: " + (expectedCloses.Count == 0 ? "none" : string.Join(", ", expectedCloses)));
        output.WriteLine($"error frames: {results.Sum(r => r.Errors)}; unexpected: {unexpected.Count}");
        foreach (var problem in unexpected.GroupBy(u => u).Select(g => $"{g.Count()} x {g.Key}"))
        {
            output.WriteLine("  " + problem);
        }

        Assert.True(results.Sum(r => r.Frames) >= 10_000);
        Assert.Empty(unexpected);

        foreach (var result in results)
        {
            await result.Last.DisposeAsync();
        }
        await Eventually.TrueAsync(async () => await server.SessionCountAsync() == 0, because: "every fuzz session ends");
        await CompleteTextTurnAsync(server);

        var managedAfter = LiveManagedBytes();
        var rssAfter = Environment.WorkingSet;
        output.WriteLine($"live managed memory after a full GC: {Mb(managedBefore)} MB before, {Mb(managedAfter)} MB after; " +
                         $"RSS {Mb(rssBefore)} MB before, {Mb(rssAfter)} MB after " +
                         $"(GC heap committed {Mb(committedBefore)} MB before, {Mb(GC.GetGCMemoryInfo().TotalCommittedBytes)} MB after)");

        // Generous: what must not happen is memory growing with the number of frames (a queue or cache without bound).
        Assert.True(managedAfter - managedBefore < 64L * 1024 * 1024,
            $"managed memory grew from {Mb(managedBefore)} MB to {Mb(managedAfter)} MB");
    }

    private async Task<FuzzResult> FuzzAsync(RunningServer server, int index)
    {
        var frames = new HostileFrames(new Random(Seed + index), MaxMessageBytes, MaxTextChars, MaxImages, MaxImageBytes);
        var result = new FuzzResult();
        var connection = await FuzzConnection.OpenAsync(server.BaseUri);
        result.ConnectionsOpened++;
        for (var n = 0; n < FramesPerConnection; n++)
        {
            var frame = frames.Next();
            result.Kinds.Add(frame.Kind);
            result.Frames++;
            var sent = await connection.TrySendAsync(frame);
            if (frame.ExpectedClose is { } expected)
            {
                var (status, description) = await connection.ClosedAsync(TimeSpan.FromSeconds(15));
                if (status == expected)
                {
                    result.ExpectedCloses.Add($"{(int)expected} after {frame.Kind}");
                }
                else if (expected == WebSocketCloseStatus.InvalidPayloadData && status is null && description!.StartsWith("aborted"))
                {
                    // System.Net.WebSockets sends 1007 and aborts in the same breath; the close frame often loses the
                    // race with the reset (documented in ClientSocketEndpoint). No browser sends such a frame.
                    result.ExpectedCloses.Add($"abort after {frame.Kind}");
                }
                else
                {
                    result.Unexpected.Add($"{frame.Kind}: expected close {(int)expected}, got {HostileFrames.Describe(status, description)}");
                }
            }
            else if (!sent || connection.HasEnded)
            {
                var (status, description) = await connection.ClosedAsync(TimeSpan.FromSeconds(15));
                result.Unexpected.Add($"connection ended ({HostileFrames.Describe(status, description)}) around a {frame.Kind} frame");
            }
            else
            {
                continue;
            }
            result.Count(connection);
            await connection.DisposeAsync();
            connection = await FuzzConnection.OpenAsync(server.BaseUri);
            result.ConnectionsOpened++;
        }
        result.Last = connection;
        return result;
    }

    private static async Task CompleteTextTurnAsync(RunningServer server)
    {
        await using var client = await server.ConnectPastGreetingAsync();
        await client.SendAsync(new { type = "text-input", text = "still there?", images = Array.Empty<object>() });
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");
        Assert.Contains(frames, f => OlvClient.Type(f) == "audio" && f["audio"] is not null);
        await client.SendAsync(new { type = "frontend-playback-complete" });
        await client.ReceiveUntilAsync("control", "conversation-chain-end");
    }

    private static long Mb(long bytes) => bytes / (1024 * 1024);

    /// <summary>What survives a full, compacting, blocking collection: the managed memory still referenced.</summary>
    private static long LiveManagedBytes()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetGCMemoryInfo(GCKind.FullBlocking).PromotedBytes;
    }

    private sealed class FuzzResult
    {
        public int Frames { get; set; }
        public int ConnectionsOpened { get; set; }
        public int Errors { get; set; }
        public List<string> Kinds { get; } = [];
        public List<string> ExpectedCloses { get; } = [];
        public List<string> Unexpected { get; } = [];
        public FuzzConnection Last { get; set; } = null!;

        public void Count(FuzzConnection connection)
        {
            Errors += connection.Errors;
            if (connection.ParserFailures > 0)
            {
                Unexpected.Add($"{connection.ParserFailures} frames made the parser throw (see the server log)");
            }
        }
    }

    /// <summary>A raw client socket whose reader runs all the time (as a browser's does) and keeps only counts.</summary>
    private sealed class FuzzConnection : IAsyncDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly TaskCompletionSource<(WebSocketCloseStatus?, string?)> _ended =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentQueue<TaskCompletionSource> _heartbeatWaiters = new();
        private const int HeadBytes = 128;
        private int _errors;
        private int _parserFailures;
        private int _heartbeatAcks;

        public int Errors => Volatile.Read(ref _errors);
        public int ParserFailures => Volatile.Read(ref _parserFailures);
        public bool HasEnded => _ended.Task.IsCompleted;

        public static async Task<FuzzConnection> OpenAsync(Uri server)
        {
            var connection = new FuzzConnection();
            await connection._socket.ConnectAsync(new UriBuilder(new Uri(server, "/client-ws")) { Scheme = "ws" }.Uri,
                CancellationToken.None);
            _ = Task.Run(connection.ReadAsync);
            return connection;
        }

        public async Task<bool> TrySendAsync(HostileFrame frame)
        {
            if (HasEnded)
            {
                return false;
            }
            try
            {
                await _socket.SendAsync(frame.Payload, frame.Type, endOfMessage: true, CancellationToken.None);
                return true;
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
            {
                return false; // the server closed while the frame was on its way
            }
        }

        public async Task<(WebSocketCloseStatus? Status, string? Description)> ClosedAsync(TimeSpan wait)
        {
            var ended = await Task.WhenAny(_ended.Task, Task.Delay(wait));
            return ended == _ended.Task ? await _ended.Task : (null, $"still open after {wait.TotalSeconds} s");
        }

        /// <summary>Null when a heartbeat-ack came back, else what happened instead.</summary>
        public async Task<string?> AnswersHeartbeatAsync()
        {
            var acksBefore = Volatile.Read(ref _heartbeatAcks);
            if (!await TrySendAsync(new HostileFrame("heartbeat", "{\"type\":\"heartbeat\"}"u8.ToArray(), WebSocketMessageType.Text, null)))
            {
                var (status, description) = await ClosedAsync(TimeSpan.FromSeconds(5));
                return $"the last connection had ended ({HostileFrames.Describe(status, description)})";
            }
            try
            {
                await Eventually.TrueAsync(() => Volatile.Read(ref _heartbeatAcks) > acksBefore || HasEnded, TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                return "no heartbeat-ack within 20 s";
            }
            return Volatile.Read(ref _heartbeatAcks) > acksBefore ? null : "the connection ended instead of answering a heartbeat";
        }

        private async Task ReadAsync()
        {
            var buffer = new byte[64 * 1024];
            var message = new MemoryStream();
            try
            {
                while (true)
                {
                    var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        var status = (_socket.CloseStatus, _socket.CloseStatusDescription);
                        if (_socket.State == WebSocketState.CloseReceived) // the server closed first: answer as browsers do
                        {
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                        }
                        _ended.TrySetResult(status);
                        return;
                    }
                    if (message.Length < HeadBytes) // the type (and an error's reason) is at the start of every server frame
                    {
                        message.Write(buffer, 0, Math.Min(result.Count, HeadBytes));
                    }
                    if (!result.EndOfMessage)
                    {
                        continue;
                    }
                    var head = message.GetBuffer().AsSpan(0, (int)message.Length);
                    if (head.StartsWith("{\"type\":\"heartbeat-ack\""u8))
                    {
                        Interlocked.Increment(ref _heartbeatAcks);
                    }
                    else if (head.StartsWith("{\"type\":\"error\""u8))
                    {
                        Interlocked.Increment(ref _errors);
                        if (head.IndexOf("the server could not read it"u8) >= 0) // the parser threw: a bug, not a refusal
                        {
                            Interlocked.Increment(ref _parserFailures);
                        }
                    }
                    message.SetLength(0);
                }
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
            {
                _ended.TrySetResult((null, $"aborted: {e.Message}"));
            }
        }

        public async ValueTask DisposeAsync()
        {
            // The reader owns receiving, so closing is: send ours, then let the reader see the server's answer.
            if (_socket.State == WebSocketState.Open)
            {
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                }
                catch (Exception e) when (e is WebSocketException or IOException)
                {
                    // already gone
                }
            }
            if (await Task.WhenAny(_ended.Task, Task.Delay(TimeSpan.FromSeconds(5))) != _ended.Task)
            {
                _socket.Abort();
            }
            _socket.Dispose();
        }
    }
}
