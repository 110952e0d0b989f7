using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Vtuber.Bench.Sessions;

/// <summary>
/// A server the clients drive (the real Vtuber.Server or the floor), run as a child process on 127.0.0.1 so its CPU
/// time and resident memory are its own. Every started child is killed on dispose, on Ctrl+C and at process exit.
/// </summary>
public sealed class TargetProcess : IDisposable
{
    private const int OutputLinesShown = 20; // a child that logs per frame must not flood the bench's table
    private static readonly ConcurrentDictionary<int, Process> Running = new();
    private readonly Process _process;
    private int _outputLines;

    static TargetProcess()
    {
        Console.CancelKeyPress += (_, _) => KillAll();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    private TargetProcess(string name, Process process, int port)
    {
        Name = name;
        _process = process;
        WebSocketUri = new Uri($"ws://127.0.0.1:{port}/client-ws");
        HttpUri = new Uri($"http://127.0.0.1:{port}/");
    }

    public string Name { get; }
    public Uri WebSocketUri { get; }
    private Uri HttpUri { get; }

    /// <summary>The server under test: its Release build output, the bench's config, log level Warning.</summary>
    public static Task<TargetProcess> StartServerAsync(string configPath)
    {
        var dll = Path.Combine(Vtuber.Testing.RepositoryRoot.Path, "src", "Vtuber.Server", "bin", "Release", "net10.0", "Vtuber.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: build it with `dotnet build -c Release src/Vtuber.Server` (bench/run does)");
        }
        var port = FreePort();
        return StartAsync("server", [dll, "--config", configPath, "--urls", $"http://127.0.0.1:{port}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning"], port);
    }

    /// <summary>The floor: this program again, as `serve-floor`.</summary>
    public static Task<TargetProcess> StartFloorAsync(string framesPath)
    {
        var port = FreePort();
        var self = Assembly.GetEntryAssembly()!.Location;
        return StartAsync("floor", [self, "serve-floor", "--port", port.ToString(CultureInfo.InvariantCulture), "--frames", framesPath,
            "--parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture)], port);
    }

    private static async Task<TargetProcess> StartAsync(string name, string[] dotnetArgs, int port)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in dotnetArgs)
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start the {name}");
        Running[process.Id] = process;
        var target = new TargetProcess(name, process, port);
        process.OutputDataReceived += (_, e) => target.Show(e.Data);
        process.ErrorDataReceived += (_, e) => target.Show(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await target.WaitReadyAsync();
            return target;
        }
        catch
        {
            target.Dispose();
            throw;
        }
    }

    /// <summary>Ready when it answers HTTP at all (any status); bounded, and a child that exits is an error at once.</summary>
    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the {Name} exited at start with code {_process.ExitCode} (its output is above)");
            }
            try
            {
                using var response = await http.GetAsync(HttpUri);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(200);
            }
        }
        throw new TimeoutException($"the {Name} did not answer on {HttpUri} within 60 s");
    }

    /// <summary>User plus system CPU time of the child so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            EnsureRunning();
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Resident memory of the child (VmRSS from /proc/PID/status).</summary>
    public long RssBytes
    {
        get
        {
            EnsureRunning();
            var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
    }

    private void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"the {Name} exited with code {_process.ExitCode} (its output is above)");
        }
    }

    /// <summary>
    /// Waits (at most 30 s) until the target uses under a tenth of a core, so one phase's tear-down (closed sessions,
    /// journal writes) is not billed to the next.
    /// </summary>
    public async Task SettleAsync()
    {
        for (var i = 0; i < 60; i++)
        {
            var before = CpuTime;
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            if (CpuTime - before < TimeSpan.FromMilliseconds(50))
            {
                return;
            }
        }
    }

    private void Show(string? line)
    {
        if (line is null) return;
        var count = Interlocked.Increment(ref _outputLines);
        if (count <= OutputLinesShown)
        {
            Console.Error.WriteLine($"  [{Name}] {line}");
        }
        else if (count == OutputLinesShown + 1)
        {
            Console.Error.WriteLine($"  [{Name}] (further output not shown)");
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            Kill(process);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    public void Dispose()
    {
        Kill(_process);
        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
    }
}
