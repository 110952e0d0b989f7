using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Vtuber.Testing;

/// <summary>An MCP server over Streamable HTTP on 127.0.0.1 (the SDK's ASP.NET Core server) with <see cref="FakeMcpTools"/>.</summary>
public sealed class FakeMcpHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeMcpHttpServer(WebApplication app, FakeMcpTools tools)
    {
        _app = app;
        Tools = tools;
    }

    public FakeMcpTools Tools { get; }
    /// <summary>The MCP endpoint, http://127.0.0.1:port/mcp.</summary>
    public Uri Url { get; private set; } = null!;

    public static async Task<FakeMcpHttpServer> StartAsync()
    {
        var tools = new FakeMcpTools();
        var app = LoopbackServer.Create(services => services.AddMcpServer().WithHttpTransport().WithTools(tools.All()));
        app.MapMcp("/mcp");
        var server = new FakeMcpHttpServer(app, tools);
        server.Url = new Uri(await app.StartLoopbackAsync() + "/mcp");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
