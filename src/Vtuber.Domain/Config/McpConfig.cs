using System.Text.Json;

namespace Vtuber.Domain.Config;

/// <summary>Ours (system_config.mcp): bounds of the tool loop of one turn.</summary>
public sealed record McpOptions
{
    /// <summary>Rounds of tool calls in one turn; after the last, the model is asked once more without tools.</summary>
    public int MaxToolRounds { get; init; } = 5;
    /// <summary>How long one tool call may run when its server's entry in mcp_servers.json has no timeout.</summary>
    public double ToolCallTimeoutSeconds { get; init; } = 30;
}

/// <summary>
/// One entry of mcp_servers.json. OLV's keys (command, args, env, cwd, timeout: a stdio server it starts) plus ours:
/// url (a server already running, reached over Streamable HTTP, falling back to SSE) and headers sent with it.
/// </summary>
public sealed record McpServerConfig
{
    public required string Name { get; init; }
    public string? Command { get; init; }
    public IReadOnlyList<string> Args { get; init; } = [];
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
    /// <summary>Absolute after loading (relative to the folder of mcp_servers.json); null: that folder.</summary>
    public string? Cwd { get; init; }
    /// <summary>Seconds one call of this server's tools may take; null: system_config.mcp.tool_call_timeout_seconds.</summary>
    public double? TimeoutSeconds { get; init; }
    public Uri? Url { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}

/// <summary>OLV's mcp_servers.json, beside conf.yaml: <c>{"mcp_servers": {name: {command, args, env, cwd, timeout}}}</c>.</summary>
public static class McpServersFile
{
    public const string FileName = "mcp_servers.json";

    /// <summary>
    /// The servers of the file beside <paramref name="configFile"/>; none when there is no such file. ${NAME}
    /// placeholders are replaced from the environment first, as in conf.yaml, so tokens need not be written in it.
    /// </summary>
    /// <exception cref="ConfigException">The file is not JSON of that shape; names the key path.</exception>
    public static IReadOnlyList<McpServerConfig> LoadBeside(string configFile,
                                                            IReadOnlyDictionary<string, string?>? environment = null)
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configFile))!, FileName);
        return File.Exists(path)
            ? Parse(ConfigText.SubstituteEnvironment(ConfigText.Read(path), environment), path)
            : [];
    }

    public static IReadOnlyList<McpServerConfig> Parse(string json, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
        }
        catch (JsonException e)
        {
            throw new ConfigException(file, "(document)", null,
                $"JSON (line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}: {e.Message.Split('.')[0]})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new ConfigException(file, "(document)", root.ValueKind.ToString(), "an object with mcp_servers");
            if (!root.TryGetProperty("mcp_servers", out var servers) || servers.ValueKind == JsonValueKind.Null)
                return [];
            if (servers.ValueKind != JsonValueKind.Object)
                throw new ConfigException(file, "mcp_servers", servers.ToString(), "an object of server name → settings");
            var folder = Path.GetDirectoryName(file)!;
            return servers.EnumerateObject().Select(server => ReadServer(server, file, folder)).ToList();
        }
    }

    private static McpServerConfig ReadServer(JsonProperty server, string file, string folder)
    {
        var path = $"mcp_servers.{server.Name}";
        var s = server.Value;
        if (s.ValueKind != JsonValueKind.Object)
            throw new ConfigException(file, path, s.ToString(), "an object with command (stdio) or url (HTTP)");
        var command = OptionalString(s, "command", file, path);
        var urlText = OptionalString(s, "url", file, path);
        Uri? url = null;
        if (urlText is not null &&
            (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https")))
            throw new ConfigException(file, path + ".url", urlText, "an http(s) URL of an MCP endpoint");
        if (string.IsNullOrWhiteSpace(command) == (url is null))
            throw new ConfigException(file, path, s.ToString(),
                "either command (a program started over stdio) or url (a running HTTP server), not both");

        double? timeout = null;
        if (s.TryGetProperty("timeout", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            if (t.ValueKind != JsonValueKind.Number || !t.TryGetDouble(out var seconds) || seconds <= 0)
                throw new ConfigException(file, path + ".timeout", t.ToString(), "a positive number of seconds");
            timeout = seconds;
        }
        var cwd = OptionalString(s, "cwd", file, path);
        return new McpServerConfig
        {
            Name = server.Name,
            Command = command,
            Args = StringList(s, "args", file, path),
            Env = StringMap(s, "env", file, path),
            Cwd = string.IsNullOrWhiteSpace(cwd) ? null : Path.GetFullPath(cwd, folder),
            TimeoutSeconds = timeout,
            Url = url,
            Headers = StringMap(s, "headers", file, path),
        };
    }

    private static string? OptionalString(JsonElement s, string key, string file, string path) =>
        !s.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw new ConfigException(file, $"{path}.{key}", v.ToString(), "a string");

    private static List<string> StringList(JsonElement s, string key, string file, string path)
    {
        if (!s.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return [];
        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
            throw new ConfigException(file, $"{path}.{key}", v.ToString(), "a list of strings");
        return v.EnumerateArray().Select(a => a.GetString()!).ToList();
    }

    // OLV passes env values to the process as given; numbers and booleans are accepted as their JSON text.
    private static Dictionary<string, string> StringMap(JsonElement s, string key, string file, string path)
    {
        if (!s.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return [];
        if (v.ValueKind != JsonValueKind.Object ||
            v.EnumerateObject().Any(p => p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array))
            throw new ConfigException(file, $"{path}.{key}", ShapeOnly(key, v), "an object of name → string");
        return v.EnumerateObject().ToDictionary(p => p.Name,
            p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());
    }

    // env and headers carry API keys: a malformed one is reported by shape only.
    private static string ShapeOnly(string key, JsonElement v) => $"({v.ValueKind.ToString().ToLowerInvariant()} {key})";
}

/// <summary>Reads system_config.mcp (ours).</summary>
internal static class McpOptionsReader
{
    public static McpOptions Read(YamlSection s)
    {
        var d = new McpOptions();
        return new McpOptions
        {
            MaxToolRounds = s.Int("max_tool_rounds", 1, 50, "an integer 1..50") ?? d.MaxToolRounds,
            ToolCallTimeoutSeconds = s.Number("tool_call_timeout_seconds", double.Epsilon, 3600,
                "a positive number of seconds up to 3600") ?? d.ToolCallTimeoutSeconds,
        };
    }
}
