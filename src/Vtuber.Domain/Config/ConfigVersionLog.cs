namespace Vtuber.Domain.Config;

/// <summary>
/// The accepted conf.yaml versions, oldest first: the state of the config entity, and the rule of when a text is a
/// new version (its SHA-256 differs from the latest one's, so a change seen twice, by an API write and then by the
/// file watcher, is journaled once).
/// </summary>
public sealed class ConfigVersionLog
{
    private readonly List<ConfigVersionV1> _versions = [];

    public IReadOnlyList<ConfigVersionV1> Versions => _versions;

    public ConfigVersionV1? Latest => _versions.Count == 0 ? null : _versions[^1];

    public ConfigVersionV1? Find(int version) => _versions.Find(v => v.Version == version);

    /// <summary>Whether <paramref name="yaml"/> is the text of the latest version already.</summary>
    public bool IsLatest(string yaml) => Latest?.Sha256 == ConfigFile.Sha256(yaml);

    /// <summary>The event that would make <paramref name="yaml"/> the next version (not yet applied).</summary>
    public ConfigVersionV1 Next(string yaml, string source, DateTimeOffset at, int? restoredFrom = null) =>
        new((Latest?.Version ?? 0) + 1, at, source, ConfigFile.Sha256(yaml), yaml, restoredFrom);

    /// <summary>Applies a journaled event (after it was persisted, and on recovery).</summary>
    public void Apply(ConfigVersionV1 version)
    {
        if (Latest is { } latest && version.Version <= latest.Version)
        {
            throw new InvalidOperationException($"config version {version.Version} after {latest.Version}");
        }
        _versions.Add(version);
    }
}
