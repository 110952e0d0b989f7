namespace Vtuber.Domain.Config;

/// <summary>
/// agent_settings.letta_agent as OLV: the Letta server at http://host:port and the id of the agent there. With
/// conversation_agent_choice letta_agent, the memory and the LLM are the Letta server's; its own
/// faster_first_response and segment_method cut the reply into sentences.
/// </summary>
public sealed record LettaAgentConfig
{
    public string Host { get; init; } = "localhost";
    public int Port { get; init; } = 8283;
    /// <summary>Required by OLV (no default); checked only when letta_agent is chosen.</summary>
    public string Id { get; init; } = "";
    public bool FasterFirstResponse { get; init; } = true;
    public string SegmentMethod { get; init; } = "pysbd";
}
