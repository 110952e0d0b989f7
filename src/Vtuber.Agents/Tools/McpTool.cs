using ModelContextProtocol.Protocol;

namespace Vtuber.Agents.Tools;

/// <summary>A tool as its server listed it, with the connection that runs it.</summary>
public sealed record McpTool(Tool Definition, McpServerConnection Server)
{
    public string Name => Definition.Name;
}

/// <summary>
/// A character's tools: the servers its mcp_enabled_servers names, on the node's host. PromptTemplate is the
/// prompt-mode text (tool_prompts.mcp_prompt, or <see cref="PromptMode.DefaultTemplate"/>).
/// </summary>
public sealed record AgentTools(McpToolHost Host, IReadOnlyList<string> Servers, string PromptTemplate = PromptMode.DefaultTemplate)
{
    /// <summary>What the servers offer now (a server that is down or restarting offers nothing).</summary>
    public IReadOnlyList<McpTool> Current() => Host.ToolsOf(Servers);
}
