namespace Vtuber.Actors.Memory;

/// <summary>
/// Whether the embedding provider of a character is failing, shared by its sessions, so an outage is logged once
/// (at its first failure) and its end once, however many turns run meanwhile.
/// </summary>
public sealed class EmbeddingHealth
{
    private int _failing;

    /// <summary>True for the first failure of an outage (the one to log).</summary>
    public bool Failed() => Interlocked.Exchange(ref _failing, 1) == 0;

    /// <summary>True for the first success after an outage.</summary>
    public bool Succeeded() => Interlocked.Exchange(ref _failing, 0) == 1;
}
