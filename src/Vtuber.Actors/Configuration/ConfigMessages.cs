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

/// <summary>A journaled config version to put in force on this node (see <see cref="IConfigBroadcast"/>).</summary>
public sealed record ConfigVersionPublished(ConfigVersionV1 Version);

/// <summary>
/// Ask the config entity to make a conf.yaml text the next version: validated as start-up would, written to
/// conf.yaml when the source is an API (PUT), journaled, then broadcast. Answered with <see cref="ConfigVersionAccepted"/>,
/// <see cref="ConfigUnchanged"/>, <see cref="ConfigRejected"/> or <see cref="ConfigNotChanged"/>.
/// </summary>
public sealed record ProposeConfig(string Yaml, string Source);

/// <summary>Ask the config entity to apply an old version's text as a new version; also answered with <see cref="UnknownConfigVersion"/>.</summary>
public sealed record RollbackConfig(int Version);

public sealed record ConfigVersionAccepted(ConfigVersionV1 Version);

/// <summary>The text is the latest version's already: nothing written or journaled.</summary>
public sealed record ConfigUnchanged(ConfigVersionV1 Latest);

/// <summary>The text is not a valid conf.yaml: nothing written or journaled. Plain data (no exception) so it can cross nodes.</summary>
public sealed record ConfigRejected(string File, string KeyPath, string? Value, string Expected, string Message)
{
    /// <summary>The error with a secret value masked.</summary>
    public static ConfigRejected From(ConfigException e) =>
        new(e.File, e.KeyPath, ConfigSecrets.Shown(e.KeyPath, e.Value), e.Expected, ConfigSecrets.Describe(e));
}

/// <summary>A valid text that could not be made a version (conf.yaml not writable, journal down, entity busy).</summary>
public sealed record ConfigNotChanged(string Reason);

public sealed record UnknownConfigVersion(int Version);

/// <summary>Ask the config entity for its versions (oldest first); answered with <see cref="ConfigVersionList"/>.</summary>
public sealed record GetConfigVersions
{
    public static readonly GetConfigVersions Instance = new();
}

public sealed record ConfigVersionList(IReadOnlyList<ConfigVersionV1> Versions);
