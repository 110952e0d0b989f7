using Microsoft.Extensions.AI;

namespace Vtuber.Agents;

/// <summary>
/// Everything one LLM call needs, built by <see cref="ChatAgent.BeginTurn"/> from a memory snapshot. The turn stream
/// runs it on another thread, so it never reads the agent's (changing) memory.
/// </summary>
public sealed record ChatRequest(IReadOnlyList<ChatMessage> Messages, ChatOptions Options);
