using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using Microsoft.Extensions.DependencyInjection;
using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

/// <summary>The real server with Akka.Persistence.TestKit's TestJournal under it, failing writes on demand.</summary>
public sealed class JournalOutageTests
{
    private const string TestJournalHocon = """
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test {
          class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """;

    [Fact]
    public async Task Session_reports_one_error_keeps_talking_and_stores_every_record_in_order_once_the_journal_is_back()
    {
        await using var server = await RunningServer.StartAsync(
            configureAkka: akka => akka.AddHocon(TestJournalHocon, HoconAddMode.Prepend));
        var system = server.App.Services.GetRequiredService<ActorSystem>();
        var journal = TestJournal.FromRef(Persistence.Instance.Apply(system).JournalFor(null));
        await using var client = await server.ConnectPastGreetingAsync();
        await client.SendAsync(new { type = "create-new-history" });
        var historyUid = (string)(await client.ReceiveUntilAsync("new-history-created"))[^1]["history_uid"]!;
        server.Llm.ReplyTo("before", new FakeReply(["Stored."]));
        server.Llm.ReplyTo("during one", new FakeReply(["Queued one."]));
        server.Llm.ReplyTo("during two", new FakeReply(["Queued two."]));
        server.Llm.ReplyTo("after", new FakeReply(["Back."]));
        await TextTurnTests.RunTurnAsync(client, "before");

        await journal.OnWrite.Fail();
        var sentBeforeOutage = client.Received.Count;
        await TextTurnTests.RunTurnAsync(client, "during one");
        await TextTurnTests.RunTurnAsync(client, "during two");
        await client.DrainAsync();
        var outageErrors = client.Received.Skip(sentBeforeOutage).Where(f => OlvClient.Type(f) == "error").ToList();
        var error = Assert.Single(outageErrors);
        Assert.Contains(historyUid, (string?)error["message"]);
        Assert.Contains("journal write failed", (string?)error["message"]);

        await journal.OnWrite.Pass();
        await TextTurnTests.RunTurnAsync(client, "after");

        // Retries back off up to a few seconds here; poll the history through the protocol until all of it is in.
        string[] expected = ["human:before", "ai:Stored.", "human:during one", "ai:Queued one.", "human:during two",
            "ai:Queued two.", "human:after", "ai:Back."];
        string[] stored = [];
        await Eventually.TrueAsync(async () =>
        {
            await client.SendAsync(new { type = "fetch-and-set-history", history_uid = historyUid });
            var data = (await client.ReceiveUntilAsync("history-data"))[^1]["messages"]!.AsArray();
            stored = data.Select(m => $"{m!["role"]}:{m["content"]}").ToArray();
            return stored.Length >= expected.Length;
        }, TimeSpan.FromSeconds(60), "every record retried into the journal");
        Assert.Equal(expected, stored);
        Assert.Single(client.Received.Skip(sentBeforeOutage), f => OlvClient.Type(f) == "error");
    }
}
