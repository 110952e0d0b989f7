namespace Vtuber.Domain.Config;

/// <summary>system_config.group (ours): group chat settings.</summary>
public sealed record GroupOptions
{
    /// <summary>
    /// How many times each member speaks in one group conversation before it ends by itself; 0 (the default) is OLV's
    /// behaviour: the members take turns until someone interrupts.
    /// </summary>
    public int MaxRounds { get; init; }
}

internal static class GroupOptionsReader
{
    public static GroupOptions Read(YamlSection s) => new()
    {
        MaxRounds = s.Int("max_rounds", 0, 1000, "an integer 0..1000 (0: no bound)") ?? new GroupOptions().MaxRounds,
    };
}
