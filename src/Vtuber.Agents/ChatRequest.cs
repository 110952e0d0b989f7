using Microsoft.Extensions.AI;
using Vtuber.Agents.Tools;

namespace Vtuber.Agents;

/// <summary>
/// Everything one LLM call needs, built by <see cref="ChatAgent.BeginTurn"/> from a memory snapshot. The turn stream
/// runs it on another thread, so it never reads the agent's (changing) memory.
/// </summary>
public sealed record ChatRequest(IReadOnlyList<ChatMessage> Messages, ChatOptions Options)
{
    /// <summary>The MCP tools offered this turn (what the servers offered when it began); empty without use_mcpp.</summary>
    public IReadOnlyList<McpTool> Tools { get; init; } = [];
}
