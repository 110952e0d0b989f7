namespace Vtuber.Domain.Config;

/// <summary>
/// Marks what the config journal stores and what may cross nodes with a config change; bound to the config-journal
/// serializer (plain JSON with a versioned manifest), never to Akka's default one.
/// </summary>
public interface IConfigJournalEvent;

/// <summary>
/// One accepted conf.yaml: the journaled event of the config entity and what is broadcast to apply it. It holds only
/// data (the full YAML text, never engines), so every node can rebuild its own engines from it and a journal row
/// stays readable after the code changed.
/// </summary>
/// <param name="Version">1, 2, 3... in the order the versions were accepted.</param>
/// <param name="Source">Who made it: one of <see cref="ConfigSources"/>.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the UTF-8 bytes of <paramref name="Yaml"/>.</param>
/// <param name="RestoredFrom">For a rollback, the version whose text it restored.</param>
public sealed record ConfigVersionV1(int Version, DateTimeOffset At, string Source, string Sha256, string Yaml,
    int? RestoredFrom = null) : IConfigJournalEvent;

/// <summary>Where an accepted config version came from.</summary>
public static class ConfigSources
{
    /// <summary>conf.yaml was edited on disk and the watcher picked it up.</summary>
    public const string FileWatcher = "file-watcher";

    /// <summary>PUT /api/config.</summary>
    public const string Put = "put";

    /// <summary>POST /api/config/rollback/{version}.</summary>
    public const string Rollback = "rollback";

    /// <summary>
    /// The server (or the config entity, back after a journal failure) found a conf.yaml that differs from the
    /// journal's latest version: the file wins.
    /// </summary>
    public const string StartUp = "start-up";
}
