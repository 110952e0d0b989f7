using Akka.Actor;
using Akka.Event;
using Vtuber.Actors.Characters;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Configuration;

/// <summary>
/// /user/config: holds the config in force, watches conf.yaml and the character alternates folder, and after a
/// quiet period (editors write a file in several steps) re-loads and validates off the actor thread. A valid
/// conf.yaml is published as <see cref="ConfigChanged"/> on the EventStream; an invalid one is logged (file, key
/// path, value, expected form) and ignored, so the last good config stays in force. An edited alternate is
/// validated the way switch-config would use it (merged onto the base character) so its error shows in the log
/// before anyone picks it; sessions read alternates only when they switch.
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
    private bool _loading;
    private bool _changedWhileLoading;

    public ConfigActor(CharacterServices services, TimeSpan debounce,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        _services = services;
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
        Receive<Loaded>(OnLoaded);
        Receive<LoadFailed>(m =>
        {
            _log.Warning("Config: ignoring invalid {0}: {1} = {2}: expected {3}. The last valid config stays in force.",
                m.Error.File, m.Error.KeyPath, ConfigSecrets.Shown(m.Error.KeyPath, m.Error.Value) ?? "(missing)",
                m.Error.Expected);
            LoadingDone();
        });
        Receive<Status.Failure>(m =>
        {
            _log.Warning("Config: reloading failed, the last valid config stays in force: {0}", m.Cause.Message);
            LoadingDone();
        });
        Receive<WatcherFailed>(m => _log.Warning("Config: watching {0} failed: {1}", m.Folder, m.Reason));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CharacterServices services, TimeSpan debounce,
        IReadOnlyDictionary<string, string?>? environment = null) =>
        Akka.Actor.Props.Create(() => new ConfigActor(services, debounce, environment));

    protected override void PreStart() => Watch(_config);

    protected override void PostStop() => StopWatching();

    private void StartLoading()
    {
        if (_loading)
        {
            _changedWhileLoading = true; // one more pass once this one is done, so the newest files win
            return;
        }
        _loading = true;
        var current = _services;
        var environment = _environment;
        // Building the services reads files (model_dict.json, prompts): not on the actor's thread.
        Task.Run<object>(() =>
        {
            try
            {
                var config = ConfigLoader.Load(current.Config.SourcePath, environment: environment);
                var services = current.Rebuild(config);
                return new Loaded(services, InvalidAlternates(config));
            }
            catch (ConfigException e)
            {
                return new LoadFailed(e);
            }
        }).PipeTo(Self);
    }

    private void OnLoaded(Loaded loaded)
    {
        foreach (var e in loaded.InvalidAlternates)
        {
            _log.Warning("Config: character file {0} cannot be switched to: {1} = {2}: expected {3}", e.File,
                e.KeyPath, ConfigSecrets.Shown(e.KeyPath, e.Value) ?? "(missing)", e.Expected);
        }
        var next = loaded.Services;
        if (!EffectiveConfig.Same(_config, next.Config))
        {
            var watchedFoldersChanged = next.Config.System.ConfigAltsDir != _config.System.ConfigAltsDir;
            _config = next.Config;
            _services = next;
            _log.Info("Config: {0} reloaded and applied", _config.SourcePath);
            _log.Debug("Config in force (secrets masked): {0}", EffectiveConfig.ToJson(_config).ToJsonString());
            Context.System.EventStream.Publish(new ConfigChanged(_config, _services));
            if (watchedFoldersChanged)
            {
                StopWatching();
                Watch(_config);
            }
        }
        LoadingDone();
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

    private sealed record Loaded(CharacterServices Services, IReadOnlyList<ConfigException> InvalidAlternates);

    private sealed record LoadFailed(ConfigException Error);
}
