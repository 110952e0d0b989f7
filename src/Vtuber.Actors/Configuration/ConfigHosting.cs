using Akka.Actor;
using Akka.Hosting;
using Akka.Pattern;
using Vtuber.Actors.Characters;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Configuration;

public static class ConfigHosting
{
    /// <summary>How long the files must be quiet before a reload: editors save in several writes.</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// The config entity (<see cref="ConfigJournalActor"/> under /user/config-versions, ActorRegistry key:
    /// ConfigJournalActor) on the journal Akka.Persistence already has (WithChatHistories sets it up), broadcasting
    /// on this node only (<see cref="LocalConfigBroadcast"/>), and the <see cref="ConfigActor"/> at /user/config
    /// (key: ConfigActor), starting from the services the server was built with; it watches their conf.yaml and
    /// publishes <see cref="ConfigChanged"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithLiveConfig(this AkkaConfigurationBuilder b, CharacterServices services,
        TimeSpan? debounce = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        b
            // Bound before the first version is written: the serializer of a journal row can never change later.
            .WithCustomSerializer("config-journal", [typeof(IConfigJournalEvent)], system => new ConfigJournalSerializer(system))
            .WithActors((system, registry) =>
            {
                // The text the services were built from, as close to that moment as the composition gets (before the
                // server listens): an edit after this is journaled and applied at start-up (see ConfigJournalActor).
                var builtFrom = ConfigFile.ReadText(services.Config.SourcePath);
                var entity = ConfigJournalActor.Props(services.Config.SourcePath, builtFrom, environment,
                    new LocalConfigBroadcast(system.EventStream));
                // A failed journal write stops the entity (Akka.Persistence's rule); it comes back after a pause and
                // recovers, while the config in force stays. Pauses grow to 30 s so a journal that is down is not hammered;
                // retried without end (-1): the journal coming back must bring config changes back.
                var versions = system.ActorOf(BackoffSupervisor.Props(Backoff.OnStop(entity, "entity",
                    TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2, maxNrOfRetries: -1)), "config-versions");
                registry.Register<ConfigJournalActor>(versions);
                registry.Register<ConfigActor>(system.ActorOf(
                    ConfigActor.Props(services, debounce ?? DefaultDebounce, versions, environment), "config"));
            });
}
