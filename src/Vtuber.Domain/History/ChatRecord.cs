namespace Vtuber.Domain.History;

/// <summary>
/// One record of a chat history, in OLV's shape: role is "human", "ai", "system" (or "metadata" in OLV files).
/// Timestamp is local time, ISO format, seconds precision, no offset (e.g. 2026-02-11T13:14:30), as OLV writes it.
/// Name/Avatar are null when OLV would not write them.
/// </summary>
public sealed record ChatRecord(string Role, string Timestamp, string Content, string? Name = null, string? Avatar = null)
{
    public const string Human = "human";
    public const string Ai = "ai";
    public const string System = "system";
    public const string InterruptedMarker = "[Interrupted by user]";
}
