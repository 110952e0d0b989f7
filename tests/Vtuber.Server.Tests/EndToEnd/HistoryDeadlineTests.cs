using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Vtuber.Actors.History;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>A history answer that never comes (its entity stopped mid-write): the session's history does not stall.</summary>
public sealed class HistoryDeadlineTests
{
    private const string TestJournalHocon = """
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test {
          class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """;

    // Long enough for a cold server's first history to start (about a second on a busy machine), short for a test.
    private const int HistoryTimeoutSeconds = 5;

    private static Task<RunningServer> StartAsync(FakeOpenAiServer llm, FakeSpeechServer tts) => RunningServer.StartAsync(
        ServerFolder.Create(llm.BaseUrl, tts.BaseUrl,
            extraSystemYaml: $"  journal:\n    history_timeout_seconds: {HistoryTimeoutSeconds}"), llm, tts,
        configureAkka: akka => akka.AddHocon(TestJournalHocon, HoconAddMode.Prepend));

    private static (ActorSystem System, ITestJournal Journal) Journal(RunningServer server)
    {
        var system = server.App.Services.GetRequiredService<ActorSystem>();
        return (system, TestJournal.FromRef(Persistence.Instance.Apply(system).JournalFor(null)));
    }

    private static async Task<string> CreateHistoryAsync(OlvClient client)
    {
        await client.SendAsync(new { type = "create-new-history" });
        return (string)(await client.ReceiveUntilAsync("new-history-created"))[^1]["history_uid"]!;
    }

    private static async Task StopHistoryAsync(ActorSystem system, string historyUid)
    {
        var history = system.ActorSelection($"/user/histories/history_mao_pro_001_{historyUid}");
        history.Tell(PoisonPill.Instance);
        await Eventually.TrueAsync(async () => (await history.Ask<ActorIdentity>(new Identify(null))).Subject is null,
            because: "the history is stopped");
    }

    [Fact]
    public async Task An_append_whose_answer_is_lost_is_retried_stored_once_and_the_writes_after_it_go_on()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var server = await StartAsync(llm, tts);
        var (system, journal) = Journal(server);
        await using var client = await server.ConnectPastGreetingAsync();
        var historyUid = await CreateHistoryAsync(client);
        llm.ReplyTo("hello", new FakeReply(["Hi."]));

        // The human record's write is held in the journal, and its history is stopped meanwhile: no answer ever comes.
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var persistenceId = ChatHistoryActor.PersistenceIdFor("mao_pro_001", historyUid); // not the index's writes
        await journal.OnWrite.FailIf(async write =>
        {
            if (write.PersistenceId == persistenceId && writing.TrySetResult())
            {
                await release.Task;
            }
            return false;
        });
        await client.SendAsync(new { type = "text-input", text = "hello" });
        await writing.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await StopHistoryAsync(system, historyUid); // with the append in flight
        await journal.OnWrite.Pass();
        release.SetResult(); // the write lands; the answer to it is lost with the stopped history

        await client.ReceiveUntilAsync("backend-synth-complete");
        await client.SendAsync(new { type = "frontend-playback-complete" });
        await client.ReceiveUntilAsync("control", "conversation-chain-end");

        string[] stored = [];
        await Eventually.TrueAsync(async () =>
        {
            await client.SendAsync(new { type = "fetch-and-set-history", history_uid = historyUid });
            var data = (await client.ReceiveUntilAsync("history-data"))[^1]["messages"]!.AsArray();
            stored = data.Select(m => $"{m!["role"]}:{m["content"]}").ToArray();
            return stored.Length >= 2;
        }, TimeSpan.FromSeconds(30), "the retried human record and the ai record after it");
        Assert.Equal(["human:hello", "ai:Hi."], stored);
        var error = Assert.Single(client.Received, f => OlvClient.Type(f) == "error");
        Assert.Equal($"Chat history {historyUid} could not be saved: no answer within {HistoryTimeoutSeconds} s; retrying", (string?)error["message"]);
    }

    [Fact]
    public async Task A_request_answered_after_its_timeout_is_dropped_and_the_next_request_gets_its_own_answer()
    {
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        await using var server = await StartAsync(llm, tts);
        var (system, journal) = Journal(server);
        await using var client = await server.ConnectPastGreetingAsync();
        var historyUid = await CreateHistoryAsync(client);
        await StopHistoryAsync(system, historyUid);
        // Loading it again means recovering it, which the journal now holds past the session's timeout.
        var recoveryHeld = TimeSpan.FromSeconds(HistoryTimeoutSeconds + 2);
        var persistenceId = ChatHistoryActor.PersistenceIdFor("mao_pro_001", historyUid);
        await journal.OnRecovery.FailIf(async replayed =>
        {
            if (replayed.PersistenceId == persistenceId)
            {
                await Task.Delay(recoveryHeld);
            }
            return false;
        });

        await client.SendAsync(new { type = "fetch-and-set-history", history_uid = historyUid });
        var timedOut = (await client.ReceiveUntilAsync("error"))[^1];
        Assert.Equal($"The chat history did not answer within {HistoryTimeoutSeconds} s; please retry", (string?)timedOut["message"]);
        await journal.OnRecovery.Pass();
        await client.SendAsync(new { type = "fetch-history-list" });
        Assert.Equal("history-list", OlvClient.Type(await client.ReceiveAsync()));

        // Asked after the session's load, so answered after it: by then the late answer has come and gone.
        var histories = server.App.Services.GetRequiredService<IRequiredActor<ChatHistories>>().ActorRef;
        var loaded = await histories.Ask<HistoryLoaded>(new LoadHistory("mao_pro_001", historyUid), TimeSpan.FromSeconds(30));
        Assert.True(loaded.Exists);
        Assert.DoesNotContain(await client.DrainAsync(), f => OlvClient.Type(f) == "history-data");
    }
}
