using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.Security;

/// <summary>
/// One WebSocket handshake as a browser page would make it (an Origin header) against /client-ws (or another socket path): the HTTP status
/// of a refused upgrade, or the type of the first frame of an accepted one.
/// </summary>
internal static class SocketAttempt
{
    public static async Task<(HttpStatusCode Status, string? FirstFrame)> ConnectAsync(Uri server, string? origin,
        string query = "", string path = "/client-ws")
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        var endpoint = new UriBuilder(new Uri(server, path)) { Scheme = "ws", Query = query }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token);
        }
        catch (WebSocketException)
        {
            return (socket.HttpStatusCode, null);
        }
        var buffer = new byte[64 * 1024];
        var frame = await socket.ReceiveAsync(buffer, timeout.Token);
        var type = (string?)JsonNode.Parse(buffer.AsSpan(0, frame.Count))!["type"];
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        return (socket.HttpStatusCode, type);
    }

    /// <summary>The origin a page served by this server has: what a browser sends from the frontend at /.</summary>
    public static string OwnOrigin(Uri server) => server.GetLeftPart(UriPartial.Authority);
}

/// <summary>A server over a config with extra system_config.security lines, and its fakes.</summary>
public abstract class SecuredServerFixture(string securityYaml) : IAsyncLifetime
{
    private FakeOpenAiServer _llm = null!;
    private FakeSpeechServer _tts = null!;

    public RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _llm = await FakeOpenAiServer.StartAsync();
        _tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(_llm.BaseUrl, _tts.BaseUrl, extraSystemYaml: "  security:\n" + securityYaml);
        Server = await RunningServer.StartAsync(folder, _llm, _tts);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await _llm.DisposeAsync();
        await _tts.DisposeAsync();
    }
}
