using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>system_config.limits on a real server: over a limit is one error frame naming the key, and the session lives.</summary>
public sealed class InputLimitTests
{
    private const string TestJournalHocon = """
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test {
          class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """;

    [Fact]
    public async Task Text_over_max_text_chars_gets_an_error_naming_the_key_and_the_next_turn_runs()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var server = await RunningServer.StartAsync(
            ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, extraSystemYaml: "  limits:\n    max_text_chars: 5"), llm, tts);
        await using var client = await server.ConnectPastGreetingAsync();

        await client.SendAsync(new { type = "text-input", text = "too long", images = Array.Empty<object>() });
        var error = await client.ReceiveAsync();

        Assert.Equal("error", OlvClient.Type(error));
        Assert.Contains("over the limit of 5 (system_config.limits.max_text_chars)", (string?)error["message"]);
        await TextTurnTests.RunTurnAsync(client, "hello");
    }

    [Fact]
    public async Task History_requests_beyond_max_history_requests_are_refused_naming_the_key_and_the_rest_answered()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var server = await RunningServer.StartAsync(
            ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, extraSystemYaml: "  limits:\n    max_history_requests: 2"), llm, tts,
            configureAkka: akka => akka.AddHocon(TestJournalHocon, HoconAddMode.Prepend));
        var journal = TestJournal.FromRef(Persistence.Instance.Apply(server.App.Services.GetRequiredService<ActorSystem>()).JournalFor(null));
        await using var client = await server.ConnectPastGreetingAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await journal.OnWrite.SetInterceptorAsync(new HoldWrites(release.Task));

        // The first create waits in the journal, the second waits behind it: two are waiting, the rest are refused.
        for (var i = 0; i < 4; i++)
        {
            await client.SendAsync(new { type = "create-new-history" });
        }
        var refusals = new[] { await client.ReceiveAsync(), await client.ReceiveAsync() };
        release.SetResult();
        var answers = new[] { await client.ReceiveAsync(), await client.ReceiveAsync() };

        Assert.All(refusals, r => Assert.Contains("Too many history requests waiting: 2 (system_config.limits.max_history_requests)",
            (string?)r["message"]));
        Assert.All(answers, a => Assert.Equal("new-history-created", OlvClient.Type(a)));
        Assert.Empty(await client.DrainAsync());
    }

    private sealed class HoldWrites(Task released) : IJournalInterceptor
    {
        public Task InterceptAsync(IPersistentRepresentation message) => released;
    }
}
