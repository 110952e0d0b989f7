using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

public sealed class HistoryRestartTests
{
    [Theory, SqliteJournal, PostgresJournal]
    public async Task History_written_before_a_restart_is_read_back_through_the_protocol(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        await using var llm = await FakeOpenAiServer.StartAsync();
        await using var tts = await FakeSpeechServer.StartAsync();
        var folder = ServerFolder.Create(llm.BaseUrl, tts.BaseUrl, journal.SystemYaml);
        string historyUid;
        await using (var first = await RunningServer.StartAsync(folder, llm, tts))
        {
            await using var client = await first.ConnectPastGreetingAsync();
            await client.SendAsync(new { type = "create-new-history" });
            historyUid = (string)(await client.ReceiveAsync())["history_uid"]!;
            llm.ReplyTo("hello before restart", new FakeReply(["Remember me."]));
            await TextTurnTests.RunTurnAsync(client, "hello before restart");
            // The session answers a list only after its own writes are in the journal: from here on the reply
            // is acknowledged, and an acknowledged record must survive the restart.
            await client.SendAsync(new { type = "fetch-history-list" });
            var before = (await client.ReceiveUntilAsync("history-list"))[^1]["histories"]!.AsArray();
            Assert.Equal("Remember me.", (string?)before.Single()!["latest_message"]!["content"]);
            await first.StopAsync();
        }

        await using var second = await RunningServer.StartAsync(folder, llm, tts);
        await using var again = await second.ConnectPastGreetingAsync();

        await again.SendAsync(new { type = "fetch-history-list" });
        var list = (await again.ReceiveAsync())["histories"]!.AsArray();
        var entry = Assert.Single(list)!;
        Assert.Equal(historyUid, (string?)entry["uid"]);
        Assert.Equal("Remember me.", (string?)entry["latest_message"]!["content"]);

        await again.SendAsync(new { type = "fetch-and-set-history", history_uid = historyUid });
        var data = (await again.ReceiveAsync())["messages"]!.AsArray();
        Assert.Equal(["human:hello before restart", "ai:Remember me."], data.Select(m => $"{m!["role"]}:{m["content"]}"));

        // The agent memory was reloaded from the history: the next request carries the old conversation.
        llm.ReplyTo("do you remember?", new FakeReply(["Yes."]));
        var index = llm.Requests.Count;
        await TextTurnTests.RunTurnAsync(again, "do you remember?");
        var messages = (await llm.WaitForRequestAsync(index, TimeSpan.FromSeconds(10))).Body["messages"]!.AsArray();
        Assert.Equal(["user:hello before restart", "assistant:Remember me.", "user:do you remember?"],
            messages.Skip(1).Select(m => $"{m!["role"]}:{TextTurnTests.TextOf(m)}"));
    }

    [Fact]
    public async Task Deleting_a_history_removes_it_from_the_list()
    {
        await using var server = await RunningServer.StartAsync();
        await using var client = await server.ConnectPastGreetingAsync();
        await client.SendAsync(new { type = "create-new-history" });
        var doomed = (string)(await client.ReceiveAsync())["history_uid"]!;
        server.Llm.ReplyTo("to be deleted", new FakeReply(["Bye."]));
        await TextTurnTests.RunTurnAsync(client, "to be deleted");
        await client.SendAsync(new { type = "create-new-history" });
        await client.ReceiveUntilAsync("new-history-created");

        await client.SendAsync(new { type = "delete-history", history_uid = doomed });
        Assert.Equal($$"""{"type":"history-deleted","success":true,"history_uid":"{{doomed}}"}""", (await client.ReceiveUntilAsync("history-deleted"))[^1].ToJsonString());

        await client.SendAsync(new { type = "fetch-history-list" });
        Assert.Equal("""{"type":"history-list","histories":[]}""", (await client.ReceiveAsync()).ToJsonString());
        await client.SendAsync(new { type = "fetch-and-set-history", history_uid = doomed });
        Assert.Equal("error", OlvClient.Type(await client.ReceiveAsync()));
    }

    [Fact]
    public async Task Each_client_has_its_own_memory()
    {
        await using var server = await RunningServer.StartAsync();
        await using var alice = await server.ConnectPastGreetingAsync();
        await using var bob = await server.ConnectPastGreetingAsync();
        server.Llm.ReplyTo("I am Alice", new FakeReply(["Hi Alice."]));
        await TextTurnTests.RunTurnAsync(alice, "I am Alice");

        server.Llm.ReplyTo("I am Bob", new FakeReply(["Hi Bob."]));
        var index = server.Llm.Requests.Count;
        await TextTurnTests.RunTurnAsync(bob, "I am Bob");

        var messages = (await server.Llm.WaitForRequestAsync(index, TimeSpan.FromSeconds(10))).Body["messages"]!.AsArray();
        Assert.Equal(["user:I am Bob"], messages.Skip(1).Select(m => $"{m!["role"]}:{TextTurnTests.TextOf(m)}"));
    }
}
