using Vtuber.Domain.Config;
using Vtuber.Domain.Security;

namespace Vtuber.Server.Tests.Security;

public sealed class OriginPolicyTests
{
    private const string Own = "http://192.168.1.5:12393";
    private static readonly OriginPolicy Defaults = new(SecurityOptions.DefaultAllowedOrigins);

    [Theory]
    [InlineData("http://localhost:12393")]
    [InlineData("http://localhost:5173")]
    [InlineData("http://localhost")]
    [InlineData("https://LOCALHOST:8443")]
    [InlineData("http://127.0.0.1:12393")]
    [InlineData("https://127.0.0.1")]
    [InlineData("http://[::1]:3000")]
    [InlineData("null")]
    [InlineData("file://")]
    [InlineData("app://.")]
    [InlineData("app://-")]
    [InlineData(Own)]
    public void Defaults_allow_this_machine_the_desktop_app_and_the_servers_own_origin(string origin) =>
        Assert.True(Defaults.Allows(origin, Own));

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("http://127.0.0.1.nip.io:12393")]
    [InlineData("http://192.168.1.5:8080")] // the server's host on another port is another origin
    [InlineData("https://192.168.1.5:12393")] // and so is another scheme
    [InlineData("http://[::2]:3000")]
    [InlineData("chrome-extension://abcdef")]
    [InlineData("http://localhost:12393/path")] // not an origin: refused, not guessed at
    [InlineData("localhost:12393")]
    [InlineData("http://user@localhost:12393")]
    [InlineData("http://localhost:99999")]
    [InlineData("garbage")]
    public void Other_origins_and_malformed_values_are_refused(string origin) =>
        Assert.False(Defaults.Allows(origin, Own));

    [Fact]
    public void A_request_without_origin_is_not_from_a_web_page_and_is_allowed()
    {
        Assert.True(Defaults.Allows(null, Own));
        Assert.True(Defaults.Allows("", null));
    }

    [Fact]
    public void The_opaque_origin_is_allowed_only_when_listed_even_if_the_host_header_says_null()
    {
        var strict = new OriginPolicy(["https://vtuber.example.com"]);

        Assert.False(strict.Allows("null", "null"));
        Assert.False(strict.Allows("file://", Own));
        Assert.True(strict.Allows("https://vtuber.example.com", Own));
        Assert.True(strict.Allows("https://vtuber.example.com:443", Own));
        Assert.False(strict.Allows("http://vtuber.example.com", Own));
        Assert.False(strict.Allows("http://localhost:5173", Own));
        Assert.True(strict.Allows(Own, Own));
    }

    [Fact]
    public void Exact_ports_default_ports_and_any_port()
    {
        var policy = new OriginPolicy(["http://lan-box:12393", "https://vtuber.example.com", "http://[fd00::5]:*"]);

        Assert.True(policy.IsListed("http://LAN-BOX:12393"));
        Assert.False(policy.IsListed("http://lan-box:12394"));
        Assert.False(policy.IsListed("http://lan-box"));
        Assert.True(policy.IsListed("https://vtuber.example.com"));
        Assert.False(policy.IsListed("https://vtuber.example.com:8443"));
        Assert.True(policy.IsListed("http://[FD00::5]:80"));
        Assert.True(policy.IsListed("http://[fd00::5]"));
        Assert.False(policy.IsListed("http://[fd00::6]"));
    }

    [Theory]
    [InlineData("127.0.0.1:12393")]
    [InlineData("192.168.1.5:12393")]
    [InlineData("[::1]:12393")]
    [InlineData("localhost:12393")]
    [InlineData("LOCALHOST")]
    [InlineData("vtuber.localhost:8080")]
    [InlineData("mybox:12393")] // system_config.host
    [InlineData("vtuber.example.com")] // a host of allowed_origins, on any port or scheme
    [InlineData("vtuber.example.com:12393")]
    [InlineData(null)]
    public void The_server_answers_to_its_addresses_and_the_names_it_is_known_by(string? host) =>
        Assert.True(new OriginPolicy(["https://vtuber.example.com", "null", "file://"], "MyBox").AllowsHost(host));

    [Theory]
    [InlineData("rebound.evil.example:12393")] // DNS rebinding: the attacker's name resolving to this machine
    [InlineData("localhost.evil.example")]
    [InlineData("127.0.0.1.evil.example")]
    [InlineData("127.1:12393")] // browsers send IPv4 in dotted form only; anything else is a name
    [InlineData("null")]
    [InlineData("exa mple")]
    public void Other_host_names_are_refused(string host) =>
        Assert.False(new OriginPolicy(["https://vtuber.example.com", "null", "file://"], "mybox").AllowsHost(host));

    [Theory]
    [InlineData("https://vtuber.example.com")]
    [InlineData("http://192.168.1.5:12393")]
    [InlineData("http://localhost:*")]
    [InlineData("http://[::1]:*")]
    [InlineData("null")]
    [InlineData("file://")]
    [InlineData("app://")]
    [InlineData("chrome-extension://abcdef")]
    public void Accepted_pattern_forms(string pattern) => Assert.NotNull(OriginPattern.Parse(pattern));

    [Theory]
    [InlineData("*")]
    [InlineData("http://")] // every website over http
    [InlineData("https://*.example.com")]
    [InlineData("https://vtuber.example.com/")]
    [InlineData("vtuber.example.com")]
    [InlineData("http://localhost:0")]
    [InlineData("http://localhost:x")]
    [InlineData("http://[::1")]
    [InlineData("file:///home/me")]
    [InlineData("NULL")]
    [InlineData("")]
    public void Rejected_pattern_forms(string pattern) => Assert.Null(OriginPattern.Parse(pattern));
}
