using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Vtuber.Testing;

// stdout is the protocol channel: nothing else may be written to it.
var tools = new McpServerPrimitiveCollection<McpServerTool>();
foreach (var tool in new FakeMcpTools().All())
{
    tools.Add(tool);
}
await using var server = McpServer.Create(new StdioServerTransport("fake-mcp"), new McpServerOptions
{
    ServerInfo = new Implementation { Name = "fake-mcp", Version = "1.0" },
    ToolCollection = tools,
});
await server.RunAsync();
