namespace Vtuber.Agents.Tools;

/// <summary>The phases of one tool call as OLV names them in tool_call_status.</summary>
public static class ToolCallPhase
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Error = "error";
}

/// <summary>
/// One step of a tool call, already in OLV's wording (olv-protocol 2.14): Content is "Input: &lt;json&gt;" while
/// running, the tool's first text (plus "\n[Tool returned N image(s)]") when completed, "Error: &lt;text&gt;" on error.
/// </summary>
public sealed record ToolCallUpdate(string ToolId, string ToolName, string Status, string Content);
