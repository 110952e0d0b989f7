using System.Net;

namespace Vtuber.Server.Tests.Security;

public sealed class ProxyTokenServerFixture() : SecuredServerFixture(
    $"    access_token: '{AccessTokenTests.Token}'\n    allowed_origins: ['https://vtuber.example.com']\n  enable_proxy: true");

/// <summary>/proxy-ws is a socket like /client-ws: the same origin list and the same token.</summary>
public sealed class ProxySecurityTests(ProxyTokenServerFixture fixture) : IClassFixture<ProxyTokenServerFixture>
{
    private const string Page = "https://vtuber.example.com";
    private Uri Server => fixture.Server.BaseUri;

    [Fact]
    public async Task The_proxy_socket_needs_the_token_and_an_allowed_origin()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await SocketAttempt.ConnectAsync(Server, Page, path: "/proxy-ws")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await SocketAttempt.ConnectAsync(Server, Page, "token=wrong", "/proxy-ws")).Status);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await SocketAttempt.ConnectAsync(Server, "https://evil.example", "token=" + AccessTokenTests.Token, "/proxy-ws")).Status);

        var (status, first) = await SocketAttempt.ConnectAsync(Server, Page, "token=" + AccessTokenTests.Token, "/proxy-ws");
        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        Assert.NotNull(first);
    }
}
