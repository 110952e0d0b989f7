using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Vtuber.Domain.Config;

namespace Vtuber.Agents.Tools;

/// <summary>A tool call that could not reach its server (not running, or it went away during the call).</summary>
public sealed class McpServerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One configured MCP server, kept connected for the node: a stdio server is started as a child process, an HTTP
/// server is connected to. When the connection ends (the process died, the HTTP server went away) or cannot be
/// made, it is retried after 1 s, doubling to 60 s; a connection that stayed up a minute starts the backoff over.
/// Only the first failure is a warning, so a server that is simply absent is one line in the log, not one a minute.
/// </summary>
public sealed class McpServerConnection : IAsyncDisposable
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);
    // A first `uvx some-server` downloads the package: more than a tool call may take.
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ClosingGrace = TimeSpan.FromSeconds(1);

    private readonly McpServerConfig _config;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    // Replaced as a whole when the server (re)connects or goes away, read by any session: no lock needed.
    private volatile Connected? _current;

    private sealed record Connected(McpClient Client, IReadOnlyList<Tool> Tools);

    public McpServerConnection(McpServerConfig config, TimeSpan callTimeout, ILoggerFactory loggers)
    {
        _config = config;
        _loggers = loggers;
        _log = loggers.CreateLogger<McpServerConnection>();
        CallTimeout = callTimeout;
    }

    public string Name => _config.Name;
    public TimeSpan CallTimeout { get; }

    /// <summary>The tools of the running server; empty while it is not connected.</summary>
    public IReadOnlyList<Tool> Tools => _current?.Tools ?? [];

    /// <summary>Starts the supervision; completes when the first attempt connected or failed.</summary>
    public Task StartAsync()
    {
        _loop = Task.Run(() => SuperviseAsync(_stop.Token));
        return _firstAttempt.Task;
    }

    /// <summary>Runs one tool on the server. Cancelling stops the call (the SDK tells the server it was cancelled).</summary>
    /// <exception cref="McpServerUnavailableException">The server is not running or dropped the call.</exception>
    public async Task<CallToolResult> CallAsync(string tool, IReadOnlyDictionary<string, object?> arguments,
                                                CancellationToken cancellationToken)
    {
        var connected = _current ?? throw new McpServerUnavailableException($"MCP server '{Name}' is not running");
        try
        {
            return await connected.Client.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
        }
        // A JSON-RPC error is the server's answer; anything else may be the connection closing under the call: the SDK
        // cancels or fails pending calls (a cancellation nobody asked for), a moment before it reports the close.
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not McpProtocolException)
        {
            if (e is OperationCanceledException or ClientTransportClosedException ||
                await Task.WhenAny(connected.Client.Completion, Task.Delay(ClosingGrace, cancellationToken)) == connected.Client.Completion)
            {
                throw new McpServerUnavailableException($"MCP server '{Name}' stopped during the call", e);
            }
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting: the expected way out.
        }
        _stop.Dispose();
    }

    private async Task SuperviseAsync(CancellationToken stop)
    {
        var backoff = FirstBackoff;
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var client = await McpClient.CreateAsync(Transport(), new McpClientOptions
                {
                    ClientInfo = new Implementation { Name = "Vtuber.Akka", Version = "1.0" },
                    InitializationTimeout = ConnectTimeout,
                }, _loggers, stop);
                var tools = await client.ListToolsAsync(cancellationToken: stop);
                _current = new Connected(client, tools.Select(t => t.ProtocolTool).ToList());
                if (_log.IsEnabled(LogLevel.Information))
                {
                    var names = string.Join(", ", tools.Select(t => t.Name));
                    _log.LogInformation("MCP server '{Server}' connected: {Count} tool(s) {Tools}", Name, tools.Count, names);
                }
                _firstAttempt.TrySetResult();
                failures = 0;
                var connectedAt = DateTime.UtcNow;

                var ended = await client.Completion.WaitAsync(stop);
                _current = null;
                _log.LogWarning("MCP server '{Server}' stopped ({Reason}); restarting it", Name,
                    ended.Exception?.Message ?? "its connection closed");
                if (DateTime.UtcNow - connectedAt > StableAfter)
                {
                    backoff = FirstBackoff;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _current = null;
                if (failures++ == 0)
                {
                    _log.LogWarning("MCP server '{Server}' cannot start: {Reason}. Its tools are absent; retrying in the background",
                        Name, Describe(e));
                }
                else if (_log.IsEnabled(LogLevel.Debug))
                {
                    var reason = Describe(e);
                    _log.LogDebug("MCP server '{Server}' still cannot start: {Reason}", Name, reason);
                }
                _firstAttempt.TrySetResult();
            }
            _current = null;
            await Task.Delay(backoff, stop);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
        }
        _current = null;
        _firstAttempt.TrySetResult();
    }

    private IClientTransport Transport()
    {
        if (_config.Url is { } url)
        {
            return new HttpClientTransport(new HttpClientTransportOptions
            {
                Name = Name,
                Endpoint = url,
                TransportMode = HttpTransportMode.AutoDetect,
                AdditionalHeaders = _config.Headers.ToDictionary(),
                ConnectionTimeout = ConnectTimeout,
            }, _loggers);
        }
        return new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = Name,
            Command = _config.Command!,
            Arguments = _config.Args.ToList(),
            WorkingDirectory = _config.Cwd,
            EnvironmentVariables = _config.Env.ToDictionary(p => p.Key, p => (string?)p.Value),
            StandardErrorLines = StandardError,
        }, _loggers);
    }

    private void StandardError(string line)
    {
        if (_log.IsEnabled(LogLevel.Debug))
        {
            _log.LogDebug("MCP server '{Server}' stderr: {Line}", _config.Name, line);
        }
    }

    // The SDK wraps the cause ("Failed to connect transport." around "cannot start 'uvx'"): the message names each
    // layer, innermost last, without repeating punctuation.
    private static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (Exception? cause = e; cause is not null && parts.Count < 4; cause = cause.InnerException)
        {
            if (cause is AggregateException or TaskCanceledException && cause.InnerException is not null) continue;
            var message = cause.Message.TrimEnd('.', ' ');
            if (!parts.Contains(message)) parts.Add(message);
        }
        return string.Join(": ", parts);
    }
}
