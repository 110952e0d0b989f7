using Vtuber.Actors.Characters;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Configuration;

/// <summary>
/// Published on the actor system's EventStream when conf.yaml changed and the new file is valid: the new config
/// and the services built from it (engines whose config did not change are the same instances as before).
/// </summary>
public sealed record ConfigChanged(VtuberConfig Config, CharacterServices Services);

/// <summary>Ask the config actor for the config in force; answered with <see cref="CurrentConfig"/>.</summary>
public sealed record GetCurrentConfig
{
    public static readonly GetCurrentConfig Instance = new();
}

public sealed record CurrentConfig(VtuberConfig Config, CharacterServices Services);
