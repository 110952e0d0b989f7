using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Vtuber.Actors.Sessions;
using Vtuber.Domain.Config;
using Vtuber.Server.Hosting;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.Support;

/// <summary>
/// The real server (Kestrel on 127.0.0.1, random port) over a config written to a temp folder, with a fake
/// OpenAI-compatible LLM and a fake OpenAI-compatible TTS, both real HTTP servers on 127.0.0.1.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly bool _ownsFakes;

    private RunningServer(WebApplication app, Uri baseUri, ServerFolder folder, FakeOpenAiServer llm, FakeSpeechServer tts,
        bool ownsFakes)
    {
        _ownsFakes = ownsFakes;
        App = app;
        BaseUri = baseUri;
        Folder = folder;
        Llm = llm;
        Tts = tts;
    }

    public WebApplication App { get; }
    public Uri BaseUri { get; }
    public ServerFolder Folder { get; }
    public FakeOpenAiServer Llm { get; }
    public FakeSpeechServer Tts { get; }

    /// <summary>
    /// Starts a server; pass both fakes or neither (then the server owns and disposes its own). configureAkka runs
    /// last on the server's Akka builder (e.g. to put Akka.Persistence.TestKit's TestJournal under it).
    /// </summary>
    public static async Task<RunningServer> StartAsync(ServerFolder? folder = null, FakeOpenAiServer? llm = null,
        FakeSpeechServer? tts = null, Action<AkkaConfigurationBuilder>? configureAkka = null,
        Action<WebApplicationBuilder>? customize = null)
    {
        var ownsFakes = llm is null;
        llm ??= await FakeOpenAiServer.StartAsync();
        tts ??= await FakeSpeechServer.StartAsync();
        folder ??= ServerFolder.Create(llm.BaseUrl, tts.BaseUrl);
        var config = ConfigLoader.Load(folder.ConfigPath);
        var app = VtuberServer.Build(config, ["--urls", "http://127.0.0.1:0"], customize, configureAkka);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, new Uri(address), folder, llm, tts, ownsFakes);
    }

    public Task<OlvClient> ConnectAsync() => OlvClient.ConnectAsync(BaseUri);

    /// <summary>Connects and reads the five frames of the connect sequence.</summary>
    public async Task<OlvClient> ConnectPastGreetingAsync()
    {
        var client = await ConnectAsync();
        await client.ReceiveUntilAsync("control", "start-mic");
        return client;
    }

    public async Task<int> SessionCountAsync()
    {
        var sessions = App.Services.GetRequiredService<IRequiredActor<SessionsSupervisor>>().ActorRef;
        return (await sessions.Ask<SessionCount>(GetSessionCount.Instance, TimeSpan.FromSeconds(5))).Count;
    }

    /// <summary>Stops the server but keeps its folder (and journal) and the fakes, for restart tests.</summary>
    public async Task StopAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (ObjectDisposedException)
        {
            // already stopped by a restart test
        }
        if (_ownsFakes) // fakes passed in belong to the caller (shared between servers in one test)
        {
            await Llm.DisposeAsync();
            await Tts.DisposeAsync();
        }
    }
}
