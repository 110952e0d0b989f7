namespace Vtuber.Agents;

/// <summary>
/// How an interrupt is written into memory (OLV interrupt_method): the "[Interrupted by user]" marker goes in as a
/// system message, or as a user message for providers that reject system messages after the first one.
/// </summary>
public enum InterruptMethod
{
    System,
    User,
}
