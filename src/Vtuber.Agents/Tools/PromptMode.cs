using System.Text;
using System.Text.Json;

namespace Vtuber.Agents.Tools;

/// <summary>
/// OLV's prompt mode (olv-protocol 7.5) for a model that cannot take tools: the tools are listed in the system
/// prompt, the model writes a call as one JSON object <c>{"mcp_server", "tool", "arguments"}</c> in its reply, and
/// the result comes back as a user message. The template is tool_prompts.mcp_prompt when listed (its
/// <c>[&lt;insert_mcp_servers_with_tools&gt;]</c> gets the listing), else <see cref="DefaultTemplate"/>.
/// </summary>
public static class PromptMode
{
    public const string Placeholder = "[<insert_mcp_servers_with_tools>]";

    public const string DefaultTemplate = """


        ## Tools
        You can use these tools (MCP servers and their tools):
        [<insert_mcp_servers_with_tools>]

        To use one, reply with nothing but one JSON object:
        {"mcp_server": "<server name>", "tool": "<tool name>", "arguments": "<the tool's arguments as a JSON string>"}
        The result comes in the next message; then answer in your own words.
        """;

    /// <summary>The template with the listing of <paramref name="tools"/> in place of its placeholder.</summary>
    public static string Instructions(string template, IReadOnlyList<McpTool> tools) =>
        template.Replace(Placeholder, Listing(tools), StringComparison.Ordinal);

    /// <summary>OLV's plain-text listing: server, tools, parameters (with type and description), required.</summary>
    public static string Listing(IReadOnlyList<McpTool> tools)
    {
        var text = new StringBuilder();
        foreach (var server in tools.GroupBy(t => t.Server.Name))
        {
            text.Append("Server: ").Append(server.Key).Append('\n');
            foreach (var tool in server)
            {
                text.Append("  Tool: ").Append(tool.Name).Append('\n');
                if (!string.IsNullOrWhiteSpace(tool.Definition.Description))
                {
                    text.Append("    Description: ").Append(tool.Definition.Description).Append('\n');
                }
                var schema = tool.Definition.InputSchema;
                if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties) &&
                    properties.ValueKind == JsonValueKind.Object)
                {
                    text.Append("    Parameters:\n");
                    foreach (var parameter in properties.EnumerateObject())
                    {
                        text.Append("      - ").Append(parameter.Name);
                        if (parameter.Value.ValueKind == JsonValueKind.Object)
                        {
                            if (parameter.Value.TryGetProperty("type", out var type))
                            {
                                text.Append(" (").Append(type.ToString()).Append(')');
                            }
                            if (parameter.Value.TryGetProperty("description", out var description))
                            {
                                text.Append(": ").Append(description.ToString());
                            }
                        }
                        text.Append('\n');
                    }
                }
                if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("required", out var required) &&
                    required.ValueKind == JsonValueKind.Array && required.GetArrayLength() > 0)
                {
                    text.Append("    Required: ")
                        .Append(string.Join(", ", required.EnumerateArray().Select(r => r.ToString()))).Append('\n');
                }
            }
        }
        return text.ToString().TrimEnd('\n');
    }
}

/// <summary>
/// Watches a streamed reply for the first complete JSON object (strings and escapes respected): text outside it
/// passes through, the object itself is held back and returned once it parses. Text that only looked like the start
/// of one ("{" that never becomes an object) is given back as text. One per model call, not thread-safe.
/// </summary>
internal sealed class JsonCallDetector
{
    private readonly StringBuilder _held = new();
    private int _depth;
    private bool _inString;
    private bool _escaped;

    /// <summary>
    /// Adds a delta; returns the text to pass on. <paramref name="call"/> is set when an object completed (what
    /// follows it in the delta is dropped: the model's turn ends at its call, as in OLV).
    /// </summary>
    public string Push(string delta, out JsonElement? call)
    {
        call = null;
        var pass = new StringBuilder();
        foreach (var c in delta)
        {
            if (_depth == 0)
            {
                if (c == '{')
                {
                    _held.Append(c);
                    _depth = 1;
                }
                else
                {
                    pass.Append(c);
                }
                continue;
            }
            _held.Append(c);
            if (_inString)
            {
                if (_escaped) _escaped = false;
                else if (c == '\\') _escaped = true;
                else if (c == '"') _inString = false;
                continue;
            }
            if (c == '"') _inString = true;
            else if (c == '{') _depth++;
            else if (c == '}' && --_depth == 0)
            {
                var candidate = _held.ToString();
                _held.Clear();
                if (TryParseObject(candidate) is { } parsed)
                {
                    call = parsed;
                    return pass.ToString();
                }
                pass.Append(candidate);
            }
        }
        return pass.ToString();
    }

    /// <summary>End of the reply: an object that never closed is text after all.</summary>
    public string Flush()
    {
        var rest = _held.ToString();
        _held.Clear();
        _depth = 0;
        return rest;
    }

    private static JsonElement? TryParseObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("tool", out _)
                ? document.RootElement.Clone()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
