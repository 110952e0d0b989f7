using System.Net;
using System.Text.Json.Nodes;

namespace Vtuber.Server.Tests.Security;

public sealed class TokenServerFixture() : SecuredServerFixture(
    $"    access_token: '{AccessTokenTests.Token}'\n    allowed_origins: ['https://vtuber.example.com']");

/// <summary>access_token set: the socket needs ?token=, /api needs the Bearer token; the origin check still applies.</summary>
public sealed class AccessTokenTests(TokenServerFixture fixture) : IClassFixture<TokenServerFixture>, IDisposable
{
    public const string Token = "tok-5f1c0a9e3b7d42c8a6e1f0b2d4c6e8a0";
    private const string Page = "https://vtuber.example.com";

    private readonly HttpClient _http = new() { BaseAddress = fixture.Server.BaseUri };
    private Uri Server => fixture.Server.BaseUri;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task The_socket_is_refused_without_the_token_or_with_a_wrong_one()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SocketAttempt.ConnectAsync(Server, Page)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SocketAttempt.ConnectAsync(Server, null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SocketAttempt.ConnectAsync(Server, Page, "token=wrong")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SocketAttempt.ConnectAsync(Server, Page, "token=" + Token[..^1])).Status);
    }

    [Fact]
    public async Task The_socket_with_the_token_is_accepted_from_the_listed_origin_or_a_non_browser()
    {
        Assert.Equal((HttpStatusCode.SwitchingProtocols, "group-update"),
            await SocketAttempt.ConnectAsync(Server, Page, "token=" + Token));
        Assert.Equal((HttpStatusCode.SwitchingProtocols, "group-update"),
            await SocketAttempt.ConnectAsync(Server, null, "token=" + Token));
    }

    [Fact]
    public async Task The_token_does_not_open_the_socket_to_an_origin_that_is_not_listed()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await SocketAttempt.ConnectAsync(Server, "https://evil.example", "token=" + Token)).Status);
        // The defaults were replaced by the list: this machine's dev server is not in it.
        Assert.Equal(HttpStatusCode.Forbidden, (await SocketAttempt.ConnectAsync(Server, "http://localhost:5173", "token=" + Token)).Status);
    }

    [Fact]
    public async Task The_api_needs_the_bearer_token_even_from_this_machine()
    {
        foreach (var bearer in new string?[] { null, "wrong", Token + "x" })
        {
            var response = await _http.SendAsync(OriginCheckTests.Get("/api/histories?conf_uid=mao_pro_001", bearer: bearer));

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
        }

        var allowed = await _http.SendAsync(OriginCheckTests.Get("/api/histories?conf_uid=mao_pro_001", Page, Token));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(Page, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task The_host_of_a_listed_origin_is_a_name_of_the_server()
    {
        // A reverse proxy that passes the public name on as Host.
        using var proxied = OriginCheckTests.Get("/api/characters", Page, Token);
        proxied.Headers.Host = "vtuber.example.com";

        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(proxied)).StatusCode);
    }

    [Fact]
    public async Task A_preflight_from_the_listed_origin_is_answered_without_the_token()
    {
        // Browsers send no Authorization on a preflight: it must pass for the real request to carry the token.
        var preflight = await _http.SendAsync(OriginCheckTests.Preflight(Page, "/api/config"));

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(Page, preflight.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task The_config_api_masks_the_token()
    {
        var response = await _http.SendAsync(OriginCheckTests.Get("/api/config", bearer: Token));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(Token, body);
        var security = JsonNode.Parse(body)!["system"]!["security"]!;
        Assert.Equal("***", (string?)security["access_token"]);
        Assert.Equal(Page, (string?)security["allowed_origins"]![0]);
    }

    [Fact]
    public async Task The_frontend_files_need_no_token()
    {
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync("/avatars/mao.png")).StatusCode);
    }

    [Fact]
    public async Task Config_changes_need_the_bearer_token()
    {
        var path = fixture.Server.Folder.ConfigPath;
        var text = await File.ReadAllTextAsync(path);
        var changed = text.Replace("You are Mao", "You are Momo", StringComparison.Ordinal);
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/config") { Content = new StringContent(changed) };
        using var rollback = new HttpRequestMessage(HttpMethod.Post, "/api/config/rollback/1");

        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(put)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(rollback)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(OriginCheckTests.Get("/api/config/versions"))).StatusCode);
        Assert.Equal(text, await File.ReadAllTextAsync(path));
        var versions = await _http.SendAsync(OriginCheckTests.Get("/api/config/versions", bearer: Token));
        Assert.Equal(HttpStatusCode.OK, versions.StatusCode);
        Assert.Single(JsonNode.Parse(await versions.Content.ReadAsStringAsync())!.AsArray());
    }
}
