using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Vtuber.Actors.Characters;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Configuration;

/// <summary>
/// /user/config-versions: the persistent config entity. Every accepted conf.yaml passes through here, one at a
/// time: validated off the actor thread as start-up would (<see cref="ConfigLoader.LoadText"/> and
/// <see cref="CharacterServices.Check"/>), written to conf.yaml when it came from the API, journaled as a
/// <see cref="ConfigVersionV1"/>, then handed to <see cref="IConfigBroadcast"/> so each node applies it.
/// <para>
/// The file is written before the event is journaled: conf.yaml is what a restart reads, so if the journal write
/// then fails the file watcher (or the next start-up) journals that text, and the journal catches up with the disk
/// instead of listing a version the disk never had.
/// </para>
/// <para>
/// Start-up rule: conf.yaml wins. After recovery the entity reads the file; when its SHA-256 differs from the latest
/// version's (or the journal is empty) it is journaled as a new version with source start-up; an unchanged file
/// journals nothing. The latest version is then broadcast only if its text is not the one this node was built from
/// (<c>builtFrom</c>, read when the actors were composed): an edit made in between must not leave the node running a
/// text the journal does not end with, while a plain start rebuilds nothing.
/// </para>
/// </summary>
public sealed class ConfigJournalActor : ReceivePersistentActor
{
    public const string PersistenceIdValue = "config-versions";

    /// <summary>
    /// Changes waiting behind the one in progress. Callers are few (the watcher debounces, PUT is rate-limited); past
    /// this bound a change is refused with <see cref="ConfigNotChanged"/> rather than queued without end.
    /// </summary>
    private const int MaxWaiting = 16;

    /// <summary>Readers that asked before the start-up version was journaled; past this bound they get the list as it is.</summary>
    private const int MaxEarlyReaders = 64;

    private readonly string _configPath;
    private readonly IReadOnlyDictionary<string, string?>? _environment;
    private readonly IConfigBroadcast _broadcast;
    private readonly string _builtFromSha;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ConfigVersionLog _versions = new();
    private readonly Queue<Change> _waiting = new();
    private readonly List<IActorRef> _earlyReaders = [];
    private Change? _current;
    private bool _startedUp;

    public ConfigJournalActor(string configPath, string builtFrom, IReadOnlyDictionary<string, string?>? environment,
        IConfigBroadcast broadcast)
    {
        _configPath = Path.GetFullPath(configPath);
        _builtFromSha = ConfigFile.Sha256(builtFrom);
        _environment = environment;
        _broadcast = broadcast;

        Recover<ConfigVersionV1>(version => _versions.Apply(version));
        Recover<RecoveryCompleted>(_ => Start(new Change(new ProposeConfig("", ConfigSources.StartUp), ActorRefs.Nobody, null)));

        Command<ProposeConfig>(m => Enqueue(new Change(m, Sender, null)));
        Command<RollbackConfig>(m =>
        {
            if (_versions.Find(m.Version) is { } old)
            {
                Enqueue(new Change(new ProposeConfig(old.Yaml, ConfigSources.Rollback), Sender, old.Version));
            }
            else
            {
                Sender.Tell(new UnknownConfigVersion(m.Version));
            }
        });
        Command<GetConfigVersions>(_ =>
        {
            if (_startedUp || _earlyReaders.Count >= MaxEarlyReaders)
            {
                Sender.Tell(new ConfigVersionList(_versions.Versions.ToArray()));
            }
            else
            {
                _earlyReaders.Add(Sender); // the list is complete once conf.yaml at start-up is in it
            }
        });
        Command<Checked>(OnChecked);
        Command<Status.Failure>(m =>
        {
            // A check that failed in an unexpected way (not a config error): this change is refused, the next goes on.
            _log.Warning("Config: checking a change failed: {0}", m.Cause.Message);
            _current?.ReplyTo.Tell(new ConfigNotChanged($"the change could not be checked: {m.Cause.Message}"));
            Next();
        });
    }

    public override string PersistenceId => PersistenceIdValue;

    /// <param name="builtFrom">The conf.yaml text the node's services in force were built from.</param>
    public static Props Props(string configPath, string builtFrom, IReadOnlyDictionary<string, string?>? environment,
        IConfigBroadcast broadcast) =>
        Akka.Actor.Props.Create(() => new ConfigJournalActor(configPath, builtFrom, environment, broadcast));

    private void Enqueue(Change change)
    {
        if (_current is null)
        {
            Start(change);
        }
        else if (_waiting.Count < MaxWaiting)
        {
            _waiting.Enqueue(change);
        }
        else
        {
            change.ReplyTo.Tell(new ConfigNotChanged($"{MaxWaiting} config changes are waiting already; try again"));
        }
    }

    private void Start(Change change)
    {
        _current = change;
        var proposal = change.Proposal;
        var path = _configPath;
        var environment = _environment;
        var latestSha = _versions.Latest?.Sha256;
        // Reading, validating and writing files: not on the actor's thread. The entity takes no other change meanwhile.
        Task.Run(() =>
        {
            try
            {
                var startUp = proposal.Source == ConfigSources.StartUp;
                // At start-up the server was just built from conf.yaml, so it is valid; only its text is needed.
                var yaml = startUp ? ConfigFile.ReadText(path) : proposal.Yaml;
                if (ConfigFile.Sha256(yaml) == latestSha)
                {
                    return new Checked(change, yaml, Outcome.Unchanged, null);
                }
                if (!startUp)
                {
                    CharacterServices.Check(ConfigLoader.LoadText(yaml, path, environment: environment));
                }
                if (proposal.Source is ConfigSources.Put or ConfigSources.Rollback)
                {
                    ConfigFile.Replace(path, yaml);
                }
                return new Checked(change, yaml, Outcome.Valid, null);
            }
            catch (ConfigException e)
            {
                return new Checked(change, proposal.Yaml, Outcome.Invalid, ConfigRejected.From(e));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new Checked(change, proposal.Yaml, Outcome.NotWritten, new ConfigRejected(path, "(file)", null,
                    "a writable file", $"{path} could not be written: {e.Message}"));
            }
        }).PipeTo(Self);
    }

    private void OnChecked(Checked result)
    {
        var change = result.Change;
        switch (result.Outcome)
        {
            case Outcome.Unchanged:
                if (change.Proposal.Source == ConfigSources.StartUp && _versions.Latest!.Sha256 != _builtFromSha)
                {
                    _broadcast.Publish(_versions.Latest); // the entity is back after a failure, or the file was edited
                }
                change.ReplyTo.Tell(new ConfigUnchanged(_versions.Latest!));
                Next();
                return;
            case Outcome.Invalid:
                if (change.Proposal.Source == ConfigSources.StartUp)
                {
                    _log.Warning("Config: conf.yaml could not be read to journal it at start-up: {0}", result.Error!.Message);
                }
                change.ReplyTo.Tell(result.Error!);
                Next();
                return;
            case Outcome.NotWritten:
                _log.Warning("Config: {0}", result.Error!.Message);
                change.ReplyTo.Tell(new ConfigNotChanged(result.Error.Message));
                Next();
                return;
        }
        var version = _versions.Next(result.Yaml, change.Proposal.Source, DateTimeOffset.UtcNow, change.RestoredFrom);
        Persist(version, persisted =>
        {
            _versions.Apply(persisted);
            _log.Info("Config: version {0} ({1}, sha256 {2}) journaled", persisted.Version, persisted.Source, persisted.Sha256);
            change.ReplyTo.Tell(new ConfigVersionAccepted(persisted));
            if (persisted.Source != ConfigSources.StartUp || persisted.Sha256 != _builtFromSha)
            {
                _broadcast.Publish(persisted);
            }
            Next();
        });
    }

    private void Next()
    {
        if (!_startedUp)
        {
            _startedUp = true; // the first change is always the start-up one
            foreach (var reader in _earlyReaders)
            {
                reader.Tell(new ConfigVersionList(_versions.Versions.ToArray()));
            }
            _earlyReaders.Clear();
        }
        _current = null;
        if (_waiting.TryDequeue(out var change))
        {
            Start(change);
        }
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // Akka stops this actor after a failed write; its supervisor starts a fresh one that recovers from the journal.
        // Whoever asked hears why now, and so do the ones waiting (the fresh entity never saw them).
        foreach (var change in _waiting.Prepend(_current).OfType<Change>())
        {
            change.ReplyTo.Tell(new ConfigNotChanged($"the config journal could not be written: {cause.Message}"));
        }
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // Not stored, the actor keeps running with its state unchanged.
        _current?.ReplyTo.Tell(new ConfigNotChanged($"the config journal refused the version: {cause.Message}"));
        base.OnPersistRejected(cause, @event, sequenceNr);
        Next();
    }

    private enum Outcome
    {
        Unchanged,
        Valid,
        Invalid,
        NotWritten,
    }

    private sealed record Change(ProposeConfig Proposal, IActorRef ReplyTo, int? RestoredFrom);

    private sealed record Checked(Change Change, string Yaml, Outcome Outcome, ConfigRejected? Error);
}
