using Akka.Actor;
using Akka.Event;
using Vtuber.Actors.Characters;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Configuration;

/// <summary>
/// /user/config: this node's config in force. It watches conf.yaml and the character alternates folder, and after a
/// quiet period (editors write a file in several steps) reads and validates conf.yaml off the actor thread; a valid
/// text goes to the config entity (<see cref="ConfigJournalActor"/>) as a change from the file watcher, an invalid
/// one is logged (file, key path, value, expected form) and ignored, so the last good config stays in force. Every
/// version the entity journals comes back as <see cref="ConfigVersionPublished"/> (from the watcher of any node, PUT
/// or rollback): this actor rebuilds its engines from the YAML text and publishes <see cref="ConfigChanged"/> on the
/// EventStream. An edited alternate is validated the way switch-config would use it (merged onto the base
/// character) so its error shows in the log before anyone picks it; sessions read alternates only when they switch.
/// </summary>
public sealed class ConfigActor : ReceiveActor, IWithTimers
{
    private const string ReloadTimerKey = "reload";
    private readonly TimeSpan _debounce;
    private readonly IReadOnlyDictionary<string, string?>? _environment;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<FileSystemWatcher> _watchers = [];
    private VtuberConfig _config;
    private CharacterServices _services;
    private readonly IActorRef _journal;
    private bool _loading;
    private bool _changedWhileLoading;
    private bool _applying;
    // The newest version published while another was being built; older ones are skipped (each is a whole file).
    private ConfigVersionV1? _nextVersion;
    private int _versionInForce;

    public ConfigActor(CharacterServices services, TimeSpan debounce, IActorRef journal,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        _services = services;
        _journal = journal;
        _config = services.Config;
        _debounce = debounce;
        _environment = environment;

        Receive<GetCurrentConfig>(_ => Sender.Tell(new CurrentConfig(_config, _services)));
        Receive<FileChanged>(m =>
        {
            _log.Debug("Config: {0} changed, reloading after {1} ms", m.Path, _debounce.TotalMilliseconds);
            // Restarting the timer on every event is the debounce: one reload once the writes stop.
            Timers.StartSingleTimer(ReloadTimerKey, Reload.Instance, _debounce);
        });
        Receive<Reload>(_ => StartLoading());
        Receive<FileRead>(OnFileRead);
        Receive<LoadFailed>(m =>
        {
            WarnInvalid(ConfigRejected.From(m.Error));
            LoadingDone();
        });
        // The entity's answers to the watcher's changes.
        Receive<ConfigRejected>(WarnInvalid);
        Receive<ConfigNotChanged>(m => _log.Warning("Config: the edited conf.yaml was not journaled: {0}", m.Reason));
        Receive<ConfigUnchanged>(m => _log.Debug("Config: conf.yaml is version {0} already", m.Latest.Version));
        Receive<ConfigVersionAccepted>(m => _log.Debug("Config: the edited conf.yaml is version {0}", m.Version.Version));
        Receive<ConfigVersionPublished>(m =>
        {
            if (_applying)
            {
                _nextVersion = m.Version;
            }
            else
            {
                StartApplying(m.Version);
            }
        });
        Receive<Applied>(OnApplied);
        Receive<ApplyFailed>(m =>
        {
            _log.Warning("Config: version {0} cannot be applied on this node, the config in force stays: {1}",
                m.Version.Version, m.Reason);
            ApplyingDone();
        });
        Receive<Status.Failure>(m =>
        {
            _log.Warning("Config: reloading failed, the last valid config stays in force: {0}", m.Cause.Message);
            LoadingDone();
        });
        Receive<WatcherFailed>(m => _log.Warning("Config: watching {0} failed: {1}", m.Folder, m.Reason));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CharacterServices services, TimeSpan debounce, IActorRef journal,
        IReadOnlyDictionary<string, string?>? environment = null) =>
        Akka.Actor.Props.Create(() => new ConfigActor(services, debounce, journal, environment));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(ConfigVersionPublished));
        Watch(_config);
    }

    protected override void PostStop() => StopWatching();

    private void StartLoading()
    {
        if (_loading)
        {
            _changedWhileLoading = true; // one more pass once this one is done, so the newest files win
            return;
        }
        _loading = true;
        var path = _config.SourcePath;
        var environment = _environment;
        // Reading and validating files (model_dict.json, prompts, the alternates): not on the actor's thread.
        Task.Run<object>(() =>
        {
            try
            {
                var text = ConfigFile.ReadText(path);
                var config = ConfigLoader.LoadText(text, path, environment: environment);
                return new FileRead(text, InvalidAlternates(config));
            }
            catch (ConfigException e)
            {
                return new LoadFailed(e);
            }
        }).PipeTo(Self);
    }

    private void OnFileRead(FileRead read)
    {
        foreach (var e in read.InvalidAlternates)
        {
            _log.Warning("Config: character file {0} cannot be switched to: {1} = {2}: expected {3}", e.File,
                e.KeyPath, ConfigSecrets.Shown(e.KeyPath, e.Value) ?? "(missing)", e.Expected);
        }
        // The entity journals it unless it is the latest version already (an alternate edited, or conf.yaml written
        // by PUT/rollback): its answer comes back here.
        _journal.Tell(new ProposeConfig(read.Text, ConfigSources.FileWatcher));
        LoadingDone();
    }

    private void WarnInvalid(ConfigRejected e) =>
        _log.Warning("Config: ignoring invalid {0}: {1} = {2}: expected {3}. The last valid config stays in force.",
            e.File, e.KeyPath, e.Value ?? "(missing)", e.Expected);

    private void StartApplying(ConfigVersionV1 version)
    {
        if (version.Version <= _versionInForce)
        {
            return; // a late copy of a version this node has passed
        }
        _applying = true;
        var current = _services;
        var environment = _environment;
        // Building the services reads files and may start engines: not on the actor's thread.
        Task.Run<object>(() =>
        {
            try
            {
                var config = ConfigLoader.LoadText(version.Yaml, current.Config.SourcePath, environment: environment);
                return new Applied(version, current.Rebuild(config));
            }
            catch (ConfigException e)
            {
                // Checked when it was journaled, but files it names (model_dict.json, prompts) may have changed since.
                return new ApplyFailed(version, ConfigSecrets.Describe(e));
            }
        }).PipeTo(Self, failure: e => new ApplyFailed(version, e.Message)); // an engine that failed to start
    }

    private void OnApplied(Applied applied)
    {
        _versionInForce = applied.Version.Version;
        var next = applied.Services;
        if (!EffectiveConfig.Same(_config, next.Config))
        {
            var watchedFoldersChanged = next.Config.System.ConfigAltsDir != _config.System.ConfigAltsDir;
            _config = next.Config;
            _services = next;
            _log.Info("Config: version {0} ({1}) applied", applied.Version.Version, applied.Version.Source);
            _log.Debug("Config in force (secrets masked): {0}", EffectiveConfig.ToJson(_config).ToJsonString());
            Context.System.EventStream.Publish(new ConfigChanged(_config, _services));
            if (watchedFoldersChanged)
            {
                StopWatching();
                Watch(_config);
            }
        }
        ApplyingDone();
    }

    private void ApplyingDone()
    {
        _applying = false;
        if (_nextVersion is { } version)
        {
            _nextVersion = null;
            StartApplying(version);
        }
    }

    private void LoadingDone()
    {
        _loading = false;
        if (_changedWhileLoading)
        {
            _changedWhileLoading = false;
            StartLoading();
        }
    }

    private static List<ConfigException> InvalidAlternates(VtuberConfig config)
    {
        var invalid = new List<ConfigException>();
        foreach (var entry in CharacterCatalog.List(config).Skip(1)) // the first entry is conf.yaml itself
        {
            try
            {
                ConfigLoader.SwitchCharacter(config, entry.FileName);
            }
            catch (ConfigException e)
            {
                invalid.Add(e);
            }
        }
        return invalid;
    }

    private void Watch(VtuberConfig config)
    {
        var self = Self;
        AddWatcher(self, Path.GetDirectoryName(config.SourcePath)!, Path.GetFileName(config.SourcePath), false);
        if (Directory.Exists(config.System.ConfigAltsDir))
        {
            AddWatcher(self, config.System.ConfigAltsDir, "*.y*ml", true);
        }
        else
        {
            _log.Info("Config: character folder {0} does not exist, not watched", config.System.ConfigAltsDir);
        }
    }

    private void AddWatcher(IActorRef self, string folder, string filter, bool recursive)
    {
        var watcher = new FileSystemWatcher(folder, filter)
        {
            IncludeSubdirectories = recursive,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        // Watcher callbacks run on thread-pool threads: they only tell the actor.
        watcher.Changed += (_, e) => self.Tell(new FileChanged(e.FullPath));
        watcher.Created += (_, e) => self.Tell(new FileChanged(e.FullPath));
        watcher.Deleted += (_, e) => self.Tell(new FileChanged(e.FullPath));
        watcher.Renamed += (_, e) => self.Tell(new FileChanged(e.FullPath));
        watcher.Error += (_, e) => self.Tell(new WatcherFailed(folder, e.GetException().Message));
        watcher.EnableRaisingEvents = true;
        _watchers.Add(watcher);
    }

    private void StopWatching()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
        _watchers.Clear();
    }

    private sealed record FileChanged(string Path);

    private sealed record WatcherFailed(string Folder, string Reason);

    private sealed record Reload
    {
        public static readonly Reload Instance = new();
    }

    private sealed record FileRead(string Text, IReadOnlyList<ConfigException> InvalidAlternates);

    private sealed record Applied(ConfigVersionV1 Version, CharacterServices Services);

    private sealed record ApplyFailed(ConfigVersionV1 Version, string Reason);

    private sealed record LoadFailed(ConfigException Error);
}
