using System.Net;
using Vtuber.Domain.Config;
using Vtuber.Server.Security;

namespace Vtuber.Server.Tests.Security;

public sealed class AccessPolicyTests
{
    private const string Token = "0123456789abcdef0123456789abcdef";
    private static readonly AccessPolicy Open = new(new SecurityOptions());
    private static readonly AccessPolicy Guarded = new(new SecurityOptions { AccessToken = Token });

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.4.5.6")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public void Without_a_token_the_api_answers_loopback_clients(string address) =>
        Assert.True(Open.ForApi(IPAddress.Parse(address), authorization: null).IsAllowed);

    [Theory]
    [InlineData("192.168.1.20")]
    [InlineData("10.0.0.2")]
    [InlineData("::ffff:192.168.1.20")]
    [InlineData("fe80::1")]
    [InlineData("0.0.0.0")]
    public void Without_a_token_the_api_refuses_other_machines_and_says_to_set_one(string address)
    {
        var decision = Open.ForApi(IPAddress.Parse(address), authorization: "Bearer anything");

        Assert.Equal(403, decision.Status);
        Assert.Contains("system_config.security.access_token", decision.Reason);
    }

    [Fact]
    public void Without_a_token_sockets_need_none()
    {
        Assert.True(Open.ForSocket(null).IsAllowed);
        Assert.True(Open.ForSocket("whatever").IsAllowed);
    }

    [Fact]
    public void With_a_token_the_api_needs_the_bearer_token_from_anywhere_loopback_included()
    {
        var loopback = IPAddress.Loopback;
        var lan = IPAddress.Parse("192.168.1.20");

        Assert.Equal(401, Guarded.ForApi(loopback, null).Status);
        Assert.Equal(401, Guarded.ForApi(lan, "Basic " + Token).Status);
        Assert.Equal(401, Guarded.ForApi(lan, "Bearer " + Token[..^1]).Status);
        Assert.Equal(401, Guarded.ForApi(lan, "Bearer " + Token + "0").Status);
        Assert.Equal(401, Guarded.ForApi(lan, "Bearer").Status);
        Assert.True(Guarded.ForApi(lan, "Bearer " + Token).IsAllowed);
        Assert.True(Guarded.ForApi(loopback, "bearer " + Token).IsAllowed);
    }

    [Fact]
    public void With_a_token_sockets_need_it_exactly()
    {
        Assert.Equal(401, Guarded.ForSocket(null).Status);
        Assert.Equal(401, Guarded.ForSocket("").Status);
        Assert.Equal(401, Guarded.ForSocket(Token.ToUpperInvariant()).Status);
        Assert.True(Guarded.ForSocket(Token).IsAllowed);
    }
}
