using Vtuber.Agents.Tools;

namespace Vtuber.Server.Hosting;

/// <summary>
/// Ties the node's MCP servers to the host's lifetime: connected before the server takes sockets (each first
/// attempt awaited, so the first turn already has the tools), disconnected and their processes stopped at shutdown,
/// after the sessions (registered before Akka, so stopped after it).
/// </summary>
internal sealed class McpHosting(McpToolHost host, IReadOnlyCollection<string> enabled, ILoggerFactory loggers)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => host.StartAsync(enabled, loggers);

    public async Task StopAsync(CancellationToken cancellationToken) => await host.DisposeAsync();
}
