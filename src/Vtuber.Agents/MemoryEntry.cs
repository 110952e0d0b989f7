namespace Vtuber.Agents;

/// <summary>One message of the agent's memory. Role is "user", "assistant" or "system"; only text is kept.</summary>
public sealed record MemoryEntry(string Role, string Content)
{
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string System = "system";
}
