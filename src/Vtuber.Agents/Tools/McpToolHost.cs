using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vtuber.Domain.Config;

namespace Vtuber.Agents.Tools;

/// <summary>
/// The node's MCP servers (olv-protocol 7.5): one supervised connection per server of mcp_servers.json that a
/// character enables, shared by every session (OLV starts them per session; one per node is enough because a call
/// carries no session state, and it keeps N tabs from starting N copies of each server).
/// </summary>
public sealed class McpToolHost : IAsyncDisposable
{
    private readonly IReadOnlyList<McpServerConfig> _servers;
    private readonly McpOptions _options;
    private readonly List<McpServerConnection> _connections = [];

    public McpToolHost(IReadOnlyList<McpServerConfig> servers, McpOptions options)
    {
        _servers = servers;
        _options = options;
    }

    /// <summary>No servers: what a config without use_mcpp gets.</summary>
    public static McpToolHost None { get; } = new([], new McpOptions());

    public int MaxToolRounds => _options.MaxToolRounds;

    /// <summary>
    /// Connects the servers in <paramref name="enabled"/> at once and waits for each first attempt (a server that
    /// cannot start is a warning and goes on retrying in the background). Names not in mcp_servers.json are warned about.
    /// </summary>
    public async Task StartAsync(IReadOnlyCollection<string> enabled, ILoggerFactory? loggers = null)
    {
        loggers ??= NullLoggerFactory.Instance;
        var log = loggers.CreateLogger<McpToolHost>();
        foreach (var missing in enabled.Where(name => _servers.All(s => s.Name != name)))
        {
            log.LogWarning("mcp_enabled_servers names '{Server}', which {File} does not define: its tools are absent",
                missing, McpServersFile.FileName);
        }
        foreach (var server in _servers.Where(s => enabled.Contains(s.Name)))
        {
            var timeout = TimeSpan.FromSeconds(server.TimeoutSeconds ?? _options.ToolCallTimeoutSeconds);
            _connections.Add(new McpServerConnection(server, timeout, loggers));
        }
        await Task.WhenAll(_connections.Select(c => c.StartAsync()));
    }

    /// <summary>
    /// The tools the named servers offer right now, in server order. A tool name already offered by an earlier
    /// server is left out (the model calls tools by name alone, as in OLV).
    /// </summary>
    public IReadOnlyList<McpTool> ToolsOf(IReadOnlyList<string> servers)
    {
        var tools = new List<McpTool>();
        foreach (var name in servers)
        {
            if (_connections.FirstOrDefault(c => c.Name == name) is not { } connection)
            {
                continue;
            }
            foreach (var tool in connection.Tools)
            {
                if (tools.All(t => t.Name != tool.Name))
                {
                    tools.Add(new McpTool(tool, connection));
                }
            }
        }
        return tools;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
        _connections.Clear();
    }
}
