using Vtuber.Testing;
using Vtuber.Domain.Config;

namespace Vtuber.Domain.Tests.Config;

public sealed class McpConfigTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Olvs_own_mcp_servers_json_loads_as_two_stdio_servers()
    {
        var olv = File.ReadAllText(Path.Combine(Vtuber.Testing.RepositoryRoot.Path, "config", "mcp_servers.json"));
        var conf = _folder.Write("conf.yaml", "");
        _folder.Write("mcp_servers.json", olv);

        var servers = McpServersFile.LoadBeside(conf);

        Assert.Equal(["time", "ddg-search"], servers.Select(s => s.Name));
        Assert.Equal("uvx", servers[0].Command);
        Assert.Equal(["mcp-server-time", "--local-timezone=Asia/Shanghai"], servers[0].Args);
        Assert.All(servers, s => Assert.Null(s.Url));
    }

    [Fact]
    public void Every_key_is_read_cwd_is_relative_to_the_file_and_url_servers_are_http()
    {
        var servers = McpServersFile.Parse("""
            {
              // comments and trailing commas, as people write config files
              "mcp_servers": {
                "local": { "command": "node", "args": ["server.js"], "env": { "API_KEY": "k", "DEBUG": 1 },
                           "cwd": "tools/local", "timeout": 12.5 },
                "remote": { "url": "http://127.0.0.1:8931/mcp", "headers": { "Authorization": "Bearer t" } },
              }
            }
            """, "/srv/olv/mcp_servers.json");

        var local = servers[0];
        Assert.Equal(("node", "/srv/olv/tools/local", 12.5), (local.Command, local.Cwd, local.TimeoutSeconds));
        Assert.Equal(new Dictionary<string, string> { ["API_KEY"] = "k", ["DEBUG"] = "1" }, local.Env);
        Assert.Equal(new Uri("http://127.0.0.1:8931/mcp"), servers[1].Url);
        Assert.Equal("Bearer t", servers[1].Headers["Authorization"]);
    }

    [Fact]
    public void Environment_placeholders_are_replaced_as_in_conf_yaml()
    {
        var conf = _folder.Write("conf.yaml", "");
        _folder.Write("mcp_servers.json", """{"mcp_servers": {"r": {"url": "http://127.0.0.1:1/mcp", "headers": {"Authorization": "Bearer ${MCP_TOKEN}"}}}}""");

        var server = Assert.Single(McpServersFile.LoadBeside(conf, new Dictionary<string, string?> { ["MCP_TOKEN"] = "t0k" }));

        Assert.Equal("Bearer t0k", server.Headers["Authorization"]);
    }

    [Fact]
    public void No_file_means_no_servers()
    {
        Assert.Empty(McpServersFile.LoadBeside(_folder.Write("conf.yaml", "")));
    }

    [Theory]
    [InlineData("""{"mcp_servers": {"a": {}}}""", "mcp_servers.a")]
    [InlineData("""{"mcp_servers": {"a": {"command": "x", "url": "http://h/mcp"}}}""", "mcp_servers.a")]
    [InlineData("""{"mcp_servers": {"a": {"url": "ftp://h/mcp"}}}""", "mcp_servers.a.url")]
    [InlineData("""{"mcp_servers": {"a": {"command": "x", "timeout": 0}}}""", "mcp_servers.a.timeout")]
    [InlineData("""{"mcp_servers": {"a": {"command": "x", "args": "y"}}}""", "mcp_servers.a.args")]
    [InlineData("""{"mcp_servers": {"a": {"command": "x", "env": ["API_KEY=secret"]}}}""", "mcp_servers.a.env")]
    [InlineData("""{"mcp_servers": [] }""", "mcp_servers")]
    [InlineData("""{"mcp_servers": {""", "(document)")]
    public void A_bad_entry_is_a_config_error_naming_the_file_and_key_path(string json, string keyPath)
    {
        var error = Assert.Throws<ConfigException>(() => McpServersFile.Parse(json, "/srv/olv/mcp_servers.json"));

        Assert.Equal(("/srv/olv/mcp_servers.json", keyPath), (error.File, error.KeyPath));
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void System_config_mcp_bounds_the_tool_loop_with_defaults_and_ranges()
    {
        const string Character = MinimalConfig.Character;
        var defaults = ConfigLoader.Load(_folder.Write("conf.yaml", Character)).System.Mcp;
        var set = ConfigLoader.Load(_folder.Write("set.yaml",
            "system_config:\n  mcp:\n    max_tool_rounds: 2\n    tool_call_timeout_seconds: 5\n" + Character)).System.Mcp;
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(_folder.Write("bad.yaml",
            "system_config:\n  mcp:\n    max_tool_rounds: 0\n" + Character)));

        Assert.Equal((5, 30.0), (defaults.MaxToolRounds, defaults.ToolCallTimeoutSeconds));
        Assert.Equal((2, 5.0), (set.MaxToolRounds, set.ToolCallTimeoutSeconds));
        Assert.Equal("system_config.mcp.max_tool_rounds", error.KeyPath);
    }
}
