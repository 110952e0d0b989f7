using Akka.Hosting;
using Vtuber.Actors.Characters;

namespace Vtuber.Actors.Configuration;

public static class ConfigHosting
{
    /// <summary>How long the files must be quiet before a reload: editors save in several writes.</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(300);

    /// <summary>
    /// The <see cref="ConfigActor"/> at /user/config (ActorRegistry key: ConfigActor), starting from the services
    /// the server was built with; it watches their conf.yaml and publishes <see cref="ConfigChanged"/>.
    /// </summary>
    public static AkkaConfigurationBuilder WithLiveConfig(this AkkaConfigurationBuilder b, CharacterServices services,
        TimeSpan? debounce = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        b.WithActors((system, registry) =>
            registry.Register<ConfigActor>(
                system.ActorOf(ConfigActor.Props(services, debounce ?? DefaultDebounce, environment), "config")));
}
