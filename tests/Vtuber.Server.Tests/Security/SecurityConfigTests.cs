using Vtuber.Testing;
using Vtuber.Domain.Config;

namespace Vtuber.Server.Tests.Security;

public sealed class SecurityConfigTests
{
    private const string Character = MinimalConfig.Character;

    private static readonly string ConfPath = Path.Combine(Path.GetTempPath(), "security-test", "conf.yaml");

    private static SecurityOptions Load(string security, params (string Name, string Value)[] environment) =>
        ConfigLoader.LoadText($"system_config:\n  security:\n{security}\n{Character}", ConfPath,
            environment: environment.ToDictionary(e => e.Name, e => (string?)e.Value)).System.Security;

    [Fact]
    public void Defaults_are_this_machine_and_the_desktop_app_without_a_token()
    {
        var security = Load("    {}");

        Assert.Equal(["http://localhost:*", "https://localhost:*", "http://127.0.0.1:*", "https://127.0.0.1:*",
            "http://[::1]:*", "https://[::1]:*", "null", "file://", "app://"], security.AllowedOrigins);
        Assert.Null(security.AccessToken);
    }

    [Fact]
    public void Allowed_origins_are_a_yaml_list_or_one_comma_separated_string()
    {
        Assert.Equal(["https://vtuber.example.com", "http://192.168.1.5:12393"],
            Load("    allowed_origins:\n      - 'https://vtuber.example.com'\n      - 'http://192.168.1.5:12393'").AllowedOrigins);
        Assert.Equal(["https://vtuber.example.com", "http://localhost:*"],
            Load("    allowed_origins: 'https://vtuber.example.com, http://localhost:*'").AllowedOrigins);
        Assert.Equal(["https://a.example", "app://"],
            Load("    {}", ("VTUBER__system_config__security__allowed_origins", "https://a.example,app://")).AllowedOrigins);
        Assert.Empty(Load("    allowed_origins: []").AllowedOrigins);
    }

    [Theory]
    [InlineData("    allowed_origins: ['http://localhost:*', 'https://*.example.com']", "https://*.example.com")]
    [InlineData("    allowed_origins: 'http://localhost:*, example.com'", "example.com")]
    [InlineData("    allowed_origins: ['http://localhost:*', 'https://vtuber.example.com/']", "https://vtuber.example.com/")]
    public void A_bad_origin_is_a_config_error_naming_its_index(string yaml, string bad)
    {
        var e = Assert.Throws<ConfigException>(() => Load(yaml));

        Assert.Equal("system_config.security.allowed_origins[1]", e.KeyPath);
        Assert.Equal(bad, e.Value);
        Assert.Contains("scheme://host:* for any port", e.Expected);
    }

    [Fact]
    public void Allowed_origins_must_be_strings()
    {
        var e = Assert.Throws<ConfigException>(() => Load("    allowed_origins:\n      - a: b"));

        Assert.Equal("system_config.security.allowed_origins[0]", e.KeyPath);
    }

    [Fact]
    public void The_access_token_is_read_from_the_file_or_the_environment_and_an_empty_one_means_none()
    {
        Assert.Equal("0123456789abcdef-_.~", Load("    access_token: '0123456789abcdef-_.~'").AccessToken);
        Assert.Equal("from-the-environment-42",
            Load("    {}", ("VTUBER__system_config__security__access_token", "from-the-environment-42")).AccessToken);
        Assert.Null(Load("    access_token: ''").AccessToken);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has spaces in the token value")]
    [InlineData("needs+escaping/in=a-url")]
    public void A_weak_or_url_unsafe_token_is_a_config_error_that_does_not_show_it(string token)
    {
        var e = Assert.Throws<ConfigException>(() => Load($"    access_token: '{token}'"));

        Assert.Equal("system_config.security.access_token", e.KeyPath);
        Assert.DoesNotContain(token, ConfigSecrets.Describe(e));
        Assert.Contains("at least 16 characters", ConfigSecrets.Describe(e));
    }
}
