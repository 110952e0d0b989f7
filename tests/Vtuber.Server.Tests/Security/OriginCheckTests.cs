using System.Net;
using System.Text.Json.Nodes;
using Vtuber.Server.Tests.Support;

namespace Vtuber.Server.Tests.Security;

/// <summary>The default config: a page on another website can neither open the socket nor read /api.</summary>
public sealed class OriginCheckTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private const string Foreign = "https://evil.example";
    private const string DevServer = "http://localhost:5173"; // the frontend from `npm run dev`
    private const string Histories = "/api/histories?conf_uid=mao_pro_001";

    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.BaseUri };
    private Uri Server => fixture.Server.BaseUri;

    public void Dispose() => _http.Dispose();

    [Theory]
    [InlineData(Foreign)]
    [InlineData("http://localhost.evil.example:12393")]
    [InlineData("http://192.168.1.66:12393")]
    [InlineData("not an origin")]
    public async Task A_socket_from_another_website_is_refused_with_403(string origin)
    {
        var (status, frame) = await SocketAttempt.ConnectAsync(Server, origin);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Null(frame);
    }

    [Theory]
    [InlineData(null)] // not a browser: tools, tests, the bench
    [InlineData(DevServer)]
    [InlineData("http://127.0.0.1:12393")]
    [InlineData("http://[::1]:12393")]
    [InlineData("null")] // Electron file pages (Chromium 92+)
    [InlineData("file://")]
    [InlineData("app://.")]
    public async Task Sockets_from_this_machine_and_the_desktop_app_are_accepted(string? origin)
    {
        var (status, frame) = await SocketAttempt.ConnectAsync(Server, origin);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        Assert.Equal("group-update", frame);
    }

    [Fact]
    public async Task The_page_the_server_serves_itself_may_open_the_socket()
    {
        var (status, frame) = await SocketAttempt.ConnectAsync(Server, SocketAttempt.OwnOrigin(Server));

        Assert.Equal((HttpStatusCode.SwitchingProtocols, "group-update"), (status, frame));
    }

    [Fact]
    public async Task Cors_preflight_from_another_website_gets_403_and_no_cors_headers()
    {
        var response = await _http.SendAsync(Preflight(Foreign, Histories));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Another_website_cannot_read_the_histories_or_the_config()
    {
        foreach (var path in new[] { Histories, "/api/config", "/api/characters" })
        {
            var response = await _http.SendAsync(Get(path, Foreign));

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
            var error = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
            Assert.Contains("system_config.security.allowed_origins", error);
            Assert.DoesNotContain("mao_pro_001", error);
        }
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/config/validate") { Content = new StringContent("x: 1") };
        post.Headers.Add("Origin", Foreign);
        Assert.Equal(HttpStatusCode.Forbidden, (await _http.SendAsync(post)).StatusCode);
    }

    [Fact]
    public async Task An_allowed_origin_gets_the_cors_answer_with_credentials_as_before()
    {
        var preflight = await _http.SendAsync(Preflight(DevServer, Histories));

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(DevServer, preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", preflight.Headers.GetValues("Access-Control-Allow-Credentials").Single());

        var response = await _http.SendAsync(Get(Histories, DevServer));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DevServer, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("mao_pro_001", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["conf_uid"]);
    }

    [Fact]
    public async Task A_loopback_client_without_origin_or_token_reads_the_api()
    {
        var response = await _http.GetAsync(Histories);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_website_rebound_to_this_machine_cannot_read_the_api_or_open_the_socket()
    {
        // Its page is the same origin as the server to the browser: no Origin on a GET, its own name as Host.
        foreach (var path in new[] { Histories, "/client-ws", "/" })
        {
            using var rebound = Get(path);
            rebound.Headers.Host = $"rebound.evil.example:{Server.Port}";

            var response = await _http.SendAsync(rebound);

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("system_config.security.allowed_origins", await response.Content.ReadAsStringAsync());
        }
        using var local = Get(Histories);
        local.Headers.Host = $"localhost:{Server.Port}";
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(local)).StatusCode);
    }

    [Fact]
    public async Task Static_files_refuse_other_websites_and_keep_their_cors_for_allowed_ones()
    {
        const string model = "/live2d-models/mao_pro/runtime/mao_pro.model3.json";

        Assert.Equal(HttpStatusCode.Forbidden, (await _http.SendAsync(Get(model, Foreign))).StatusCode);
        var allowed = await _http.SendAsync(Get(model, "file://"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("file://", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    internal static HttpRequestMessage Preflight(string origin, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        return request;
    }

    internal static HttpRequestMessage Get(string path, string? origin = null, string? bearer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }
        return request;
    }
}

public sealed class OnlyOwnOriginFixture() : SecuredServerFixture("    allowed_origins: []");

/// <summary>allowed_origins: [] leaves only the pages the server serves itself.</summary>
public sealed class OwnOriginTests(OnlyOwnOriginFixture fixture) : IClassFixture<OnlyOwnOriginFixture>
{
    private Uri Server => fixture.Server.BaseUri;

    [Fact]
    public async Task With_an_empty_list_only_the_servers_own_origin_and_non_browsers_may_connect()
    {
        Assert.Equal(HttpStatusCode.SwitchingProtocols, (await SocketAttempt.ConnectAsync(Server, SocketAttempt.OwnOrigin(Server))).Status);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, (await SocketAttempt.ConnectAsync(Server, null)).Status);
        // The same server under another name is another origin (the Host header says 127.0.0.1).
        Assert.Equal(HttpStatusCode.Forbidden, (await SocketAttempt.ConnectAsync(Server, $"http://localhost:{Server.Port}")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SocketAttempt.ConnectAsync(Server, "null")).Status);
    }
}
