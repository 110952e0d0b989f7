using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;
using Xunit.Abstractions;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>
/// kill -9 never loses an acknowledged message. The real server runs as a child process on a SQLite journal; several
/// clients talk to it; it is SIGKILLed at seeded random moments and restarted on the same file, many times.
/// </summary>
/// <remarks>
/// What "acknowledged" means, since OLV's protocol has no per-record ack: a client counts the records of a turn
/// (its text-input and the reply) as acknowledged once it has received that turn's conversation-chain-end AND a
/// later history-list whose latest message for its history is that reply. The session answers fetch-history-list
/// only after every append it sent has been acknowledged by the journal (read-your-writes), so such a list proves
/// the reply, and everything the session wrote before it, is in the journal. After every restart each client
/// reloads its history (fetch-and-set-history, which recovers it from the journal) and checks that
/// (1) its acknowledged records are there, first, in order; (2) nothing is there twice or out of order (the stored
/// records are a subsequence of what the client sent, in sending order). Records of a turn cut by the kill may or may
/// not be stored; either is correct.
/// </remarks>
[Trait("Category", "Crash")]
public sealed class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Seed = 20261125;
    private const int Cycles = 16;
    private const int ClientCount = 3;

    [Fact]
    public async Task Sigkill_at_random_points_never_loses_an_acknowledged_record()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl);
        var random = new Random(Seed);
        var clients = Enumerable.Range(1, ClientCount).Select(i => new Conversation($"c{i}", llm)).ToArray();
        var turnsCut = 0;

        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            var port = FreePort();
            using var server = StartServer(folder.ConfigPath, port);
            try
            {
                var baseUri = new Uri($"http://127.0.0.1:{port}");
                var sockets = new List<OlvClient>();
                foreach (var conversation in clients)
                {
                    var socket = await ConnectWithRetryAsync(baseUri, server);
                    sockets.Add(socket);
                    await socket.ReceiveUntilAsync("control", "start-mic");
                    // Recovery of every history from the journal, checked against what was acknowledged so far.
                    await conversation.OpenHistoryAsync(socket);
                }

                // Talk until the kill, which comes at a random moment of the conversation.
                using var stop = new CancellationTokenSource();
                var talking = clients.Select((c, i) => c.TalkAsync(sockets[i], stop.Token)).ToArray();
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 2000)));
                server.Kill(entireProcessTree: true); // SIGKILL: no shutdown hook, no drain, no flush
                await server.WaitForExitAsync();
                await stop.CancelAsync();
                turnsCut += (await Task.WhenAll(talking)).Count(cut => cut);
                foreach (var socket in sockets)
                {
                    await socket.DisposeAsync();
                }
            }
            finally
            {
                if (!server.HasExited)
                {
                    server.Kill(entireProcessTree: true);
                    await server.WaitForExitAsync();
                }
            }
        }

        // A last start proves the journal readable after the final kill, and checks every history once more.
        var finalPort = FreePort();
        using var last = StartServer(folder.ConfigPath, finalPort);
        try
        {
            foreach (var conversation in clients)
            {
                await using var socket = await ConnectWithRetryAsync(new Uri($"http://127.0.0.1:{finalPort}"), last);
                await socket.ReceiveUntilAsync("control", "start-mic");
                await conversation.OpenHistoryAsync(socket);
            }
        }
        finally
        {
            last.Kill(entireProcessTree: true);
            await last.WaitForExitAsync();
        }

        var acknowledged = clients.Sum(c => c.Acknowledged);
        output.WriteLine($"{Cycles} kill-restart cycles, {clients.Length} clients, {acknowledged} acknowledged records " +
                         $"checked after every restart, {clients.Sum(c => c.Stored)} records stored, {turnsCut} turns cut by a kill");
        // The test proves something only if the kills hit a conversation that had acknowledged records.
        Assert.All(clients, c => Assert.True(c.Acknowledged >= Cycles, $"{c.Name}: only {c.Acknowledged} acknowledged"));
    }

    /// <summary>One client's history across restarts: what it sent, what must stay in the journal.</summary>
    private sealed class Conversation(string name, FakeOpenAiServer llm)
    {
        // Records the session may have written, in sending order: what was read back, then this session's turns.
        private readonly List<string> _sent = [];
        // Records that must stay, first and in order: acknowledged ones and ones already read back after a restart.
        private readonly List<string> _durable = [];
        private string? _historyUid;
        private int _turn;

        public string Name { get; } = name;

        /// <summary>Records acknowledged through the protocol (see the class remarks), over all cycles.</summary>
        public int Acknowledged { get; private set; }

        /// <summary>Records in the journal at the last restart, including those of turns a kill cut.</summary>
        public int Stored { get; private set; }

        public async Task OpenHistoryAsync(OlvClient socket)
        {
            if (_historyUid is null)
            {
                await socket.SendAsync(new { type = "create-new-history" });
                _historyUid = (string)(await socket.ReceiveUntilAsync("new-history-created"))[^1]["history_uid"]!;
                return;
            }
            await socket.SendAsync(new { type = "fetch-and-set-history", history_uid = _historyUid });
            var messages = (await socket.ReceiveUntilAsync("history-data"))[^1]["messages"]!.AsArray();
            var stored = messages.Select(m => $"{m!["role"]}:{m["content"]}").ToList();
            Stored = stored.Count;

            Assert.True(stored.Count >= _durable.Count, $"{Name}: {_durable.Count} must stay, {stored.Count} stored");
            Assert.Equal(_durable, stored.Take(_durable.Count));
            Assert.Equal(stored.Count, stored.Distinct().Count());
            var position = 0;
            foreach (var record in stored)
            {
                position = _sent.IndexOf(record, position) + 1;
                Assert.True(position > 0, $"{Name}: stored {record} is not in the order it was sent");
            }
            // What was read back from the journal must be there after every later kill too.
            _durable.Clear();
            _durable.AddRange(stored);
            _sent.Clear();
            _sent.AddRange(stored);
        }

        /// <summary>Runs turns until the server dies; true if a turn was cut (its records unacknowledged).</summary>
        public async Task<bool> TalkAsync(OlvClient socket, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                var text = $"{Name}-turn-{++_turn}";
                var reply = $"Reply to {text}.";
                llm.ReplyTo(text, new FakeReply([reply]));
                _sent.Add($"human:{text}");
                _sent.Add($"ai:{reply}");
                try
                {
                    await socket.SendAsync(new { type = "text-input", text });
                    await socket.ReceiveUntilAsync("backend-synth-complete");
                    await socket.SendAsync(new { type = "frontend-playback-complete" });
                    await socket.ReceiveUntilAsync("control", "conversation-chain-end");
                    await socket.SendAsync(new { type = "fetch-history-list" });
                    var list = (await socket.ReceiveUntilAsync("history-list"))[^1]["histories"]!.AsArray();
                    var latest = list.FirstOrDefault(h => (string?)h!["uid"] == _historyUid)?["latest_message"];
                    Assert.Equal(reply, (string?)latest?["content"]);
                    Acknowledged += _sent.Count - _durable.Count;
                    _durable.AddRange(_sent.Skip(_durable.Count));
                }
                catch (Exception e) when (e is WebSocketException or TimeoutException or IOException or OperationCanceledException)
                {
                    return true; // the server was killed in the middle of this turn
                }
            }
            return false;
        }
    }

    /// <summary>
    /// The server binary that `dotnet run --project src/Vtuber.Server` launches, started directly: no msbuild
    /// evaluation per restart, and the SIGKILL hits the server process itself.
    /// </summary>
    private static Process StartServer(string configPath, int port)
    {
        var binary = new DirectoryInfo(AppContext.BaseDirectory);
        var serverDll = Path.Combine(ServerFolder.RepoRoot, "src", "Vtuber.Server", "bin", binary.Parent!.Name, binary.Name,
            "Vtuber.Server.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = ServerFolder.RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { serverDll, "--config", configPath, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        // Drain both pipes so the child never blocks on a full one.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<OlvClient> ConnectWithRetryAsync(Uri server, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await OlvClient.ConnectAsync(server);
            }
            catch (WebSocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
