using Akka.Persistence;
using Akka.Persistence.TestKit;
using Vtuber.Actors.History;
using Vtuber.Domain.History;

namespace Vtuber.Actors.Tests.History;

/// <summary>The production composition with Akka.Persistence.TestKit's TestJournal in place of the SQL journal.</summary>
public sealed class JournalFailureTests : IAsyncLifetime
{
    private const string Mao = "mao_pro_001";

    private const string TestJournalHocon = """
        akka.persistence.journal.plugin = "akka.persistence.journal.test"
        akka.persistence.journal.test {
          class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
          plugin-dispatcher = "akka.actor.default-dispatcher"
        }
        """;

    // Only the snapshot store is real here (the TestJournal keeps events in memory); SQLite is enough for it.
    private JournalUnderTest _journal = null!;

    private static ChatRecord Human(string at, string text) => new(ChatRecord.Human, at, text, "Human");

    public async Task InitializeAsync() => _journal = await JournalUnderTest.CreateAsync(JournalUnderTest.Sqlite);

    public async Task DisposeAsync() => await _journal.DisposeAsync();

    [Fact]
    public async Task Failed_write_is_reported_and_after_recovery_a_retry_succeeds_without_losing_acknowledged_records()
    {
        await using var host = await HistoryHost.StartAsync(_journal.Options, overrideHocon: TestJournalHocon);
        var requests = new HistoryRequests(host);
        var journal = TestJournal.FromRef(Persistence.Instance.Apply(host.System).JournalFor(null));
        var uid = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
        await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, [Human("2026-02-11T09:00:00", "acknowledged")]));

        await journal.OnWrite.Fail();
        var failed = await requests.Send<HistoryWriteFailed>(new AppendRecords(Mao, uid, [Human("2026-02-11T09:00:01", "lost")]));
        Assert.Equal(uid, failed.HistoryUid);
        Assert.Contains("journal write failed", failed.Reason);
        Assert.True(failed.Transient); // worth sending again: sessions retry it

        // Sent right away, while the failed entity is stopping: it must be answered by the next incarnation (which
        // still cannot write), not vanish as a dead letter.
        var alsoFailed = await requests.Send<HistoryWriteFailed>(new AppendRecords(Mao, uid, [Human("2026-02-11T09:00:01", "lost too")]));
        Assert.Contains("journal write failed", alsoFailed.Reason);

        await journal.OnWrite.Pass();
        await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, [Human("2026-02-11T09:00:02", "retried")]));

        var loaded = await requests.Send<HistoryLoaded>(new LoadHistory(Mao, uid));
        Assert.Equal([Human("2026-02-11T09:00:00", "acknowledged"), Human("2026-02-11T09:00:02", "retried")], loaded.Records);
        var listed = Assert.Single((await requests.Send<HistoryList>(new ListHistories(Mao))).Histories);
        Assert.Equal("retried", listed.LatestMessage.Content);
    }

    [Fact]
    public async Task Rejected_write_is_reported_and_the_history_keeps_working()
    {
        await using var host = await HistoryHost.StartAsync(_journal.Options, overrideHocon: TestJournalHocon);
        var requests = new HistoryRequests(host);
        var journal = TestJournal.FromRef(Persistence.Instance.Apply(host.System).JournalFor(null));
        var uid = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;

        await journal.OnWrite.Reject();
        var rejected = await requests.Send<HistoryWriteFailed>(new AppendRecords(Mao, uid, [Human("2026-02-11T09:00:01", "rejected")]));
        Assert.False(rejected.Transient); // the journal refused this event: sending it again would not help
        await journal.OnWrite.Pass();
        await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, [Human("2026-02-11T09:00:02", "accepted")]));

        Assert.Equal([Human("2026-02-11T09:00:02", "accepted")],
            (await requests.Send<HistoryLoaded>(new LoadHistory(Mao, uid))).Records);
    }

    [Fact]
    public async Task Failed_create_is_reported_as_a_write_failure()
    {
        await using var host = await HistoryHost.StartAsync(_journal.Options, overrideHocon: TestJournalHocon);
        var requests = new HistoryRequests(host);
        var journal = TestJournal.FromRef(Persistence.Instance.Apply(host.System).JournalFor(null));

        await journal.OnWrite.Fail();
        var failed = await requests.Send<HistoryWriteFailed>(new CreateHistory(Mao));
        await journal.OnWrite.Pass();

        Assert.True(HistoryUid.IsValid(failed.HistoryUid));
        Assert.False((await requests.Send<HistoryLoaded>(new LoadHistory(Mao, failed.HistoryUid))).Exists);
    }
}
