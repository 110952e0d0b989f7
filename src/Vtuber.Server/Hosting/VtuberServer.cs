using Akka.Actor;
using Akka.Hosting;
using Vtuber.Actors.Characters;
using Vtuber.Actors.Configuration;
using Vtuber.Actors.History;
using Vtuber.Actors.Memory;
using Vtuber.Actors.Proxy;
using Vtuber.Actors.Sessions;
using Vtuber.Actors.Voice;
using Vtuber.Agents.Tools;
using Vtuber.Domain.Config;
using Vtuber.Server.Http;
using Vtuber.Server.Live;
using Vtuber.Server.Api;
using Vtuber.Server.Observability;
using Vtuber.Server.Security;
using Vtuber.Server.WebSockets;

namespace Vtuber.Server.Hosting;

/// <summary>Composition of the whole server from one validated config; used by Program, tests and the bench.</summary>
public static class VtuberServer
{
    /// <summary>
    /// Builds the app. Throws ConfigException when the config names something unusable. configureAkka runs last on
    /// the Akka builder (tests put Akka.Persistence.TestKit's failing journal under the real server with it).
    /// </summary>
    public static WebApplication Build(VtuberConfig config, string[] args, Action<WebApplicationBuilder>? customize = null,
        Action<AkkaConfigurationBuilder>? configureAkka = null)
    {
        // Content root = the binaries (appsettings.json), not the folder the server was started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // ASPNETCORE_URLS / --urls win (deployments, tests on port 0); otherwise system_config.host:port as OLV.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls($"http://{config.System.Host}:{config.System.Port}");
        }

        // One pooled HTTP client for every upstream (LLM, TTS, ASR). Each call has its own deadline through its
        // cancellation token (tts/asr_timeout_seconds, the LLM's first-token and idle timeouts); the client's own
        // bound is only a safety net for a call that has none, later than any deadline a config may set.
        var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = WaitBounds.HttpSafetyNet,
        };
        var mcp = new McpToolHost(McpServersFile.LoadBeside(config.SourcePath), config.System.Mcp);
        var character = CharacterServices.Build(config, http, mcp);
        // The servers conf.yaml's character enables; an alternate character can use those.
        var agentSettings = config.Character.Agent.BasicMemoryAgent;
        IReadOnlyCollection<string> enabledMcpServers = agentSettings.UseMcpp ? agentSettings.McpEnabledServers : [];
        builder.Services.AddHostedService(services =>
            new McpHosting(mcp, enabledMcpServers, services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(http);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(character);
        builder.Services.AddCors();
        builder.Services.AddConfigApi();
        // The bridges run beside the server: each connects (and reconnects) on its own, never holding up start-up.
        if (config.Live.Bilibili.Enabled) builder.Services.AddHostedService<BilibiliBridge>();
        if (config.Live.Twitch.Enabled) builder.Services.AddHostedService<TwitchBridge>();
        builder.AddObservability(config);

        // The turn gate of the shared /proxy-ws session, followed by every proxy client's socket writer.
        var proxyGate = new TurnGate();
        builder.Services.AddAkka("vtuber", (akka, _) =>
        {
            akka.AddHoconFile(Path.Combine(AppContext.BaseDirectory, "hocon", "streams.conf"), HoconAddMode.Prepend)
                .ConfigureLoggers(loggers =>
                {
                    loggers.ClearLoggers();
                    loggers.AddLoggerFactory();
                })
                .WithChatHistories(config.System.Journal)
                .WithLongTermMemory(config.System.Journal, config.Character.LongTermMemory.MaxMemories)
                .WithLiveConfig(character)
                .WithServerVad(config.Character.Vad)
                .WithActors((system, registry, _) =>
                {
                    var histories = registry.Get<ChatHistories>();
                    var sessions = SessionsRoot.Start(system, character, histories, config.System.Turn,
                        registry.Get<LongTermMemoryActor>());
                    registry.Register<SessionsSupervisor>(sessions);
                    SessionsSupervisor.StopSessionsBeforeHistoriesDrain(system, sessions);
                    if (config.System.EnableProxy)
                    {
                        // Started after the sessions, which it asks for its shared session.
                        registry.Register<ProxyHub>(system.ActorOf(
                            Props.Create(() => new ProxyHub(sessions, config.System.Proxy, proxyGate)), "proxy"));
                    }
                });
            configureAkka?.Invoke(akka);
        });
        customize?.Invoke(builder);

        var app = builder.Build();
        // An OLV conf.yaml may select an ASR engine whose model is not here (its template names sherpa-onnx files
        // that OLV downloads itself): text chat starts anyway, and the operator learns why voice input is off.
        if (character.Recognizer is Vtuber.Speech.Asr.UnavailableRecognizer unavailable)
            app.Logger.LogWarning("{File}: character_config.asr_config.asr_model '{Engine}': {Reason}",
                config.SourcePath, unavailable.Name, unavailable.Reason);
        // After the sessions are gone: ollama_llm unloads its model here (unload_at_exit).
        app.Lifetime.ApplicationStopped.Register(character.ChatClient.Dispose);
        // Unlike OLV (every origin, with credentials), only allowed origins, and a token when one is configured.
        app.UseOriginCheckAndCors(config.System.Security, config.System.Host);
        app.UseWebSockets();
        app.UseAccessCheck(config.System.Security);
        app.MapClientSocket(config.System.WebSocket, config.System.Limits);
        if (config.System.EnableProxy)
        {
            app.MapProxySocket(config.System.WebSocket, config.System.Limits, proxyGate);
        }
        app.MapChatHistoryApi();
        app.MapMemoryApi();
        app.UseRateLimiter();
        app.MapConfigApi();
        app.MapObservability();
        StartupBanner.PrintWhenStarted(app, character, http, Console.Out);
        app.UseOlvStaticContent(config.System);
        return app;
    }
}
