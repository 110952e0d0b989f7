using System.Data.Common;
using Vtuber.Actors.History;
using Vtuber.Domain.History;

namespace Vtuber.Actors.Tests.History;

/// <summary>The agent's rolling summary journaled beside its history (StoreSummary), on SQLite and PostgreSQL.</summary>
public sealed class HistorySummaryTests
{
    private const string Mao = "mao_pro_001";

    private static ChatRecord[] Turns(int n) => Enumerable.Range(0, n).SelectMany(i => new[]
    {
        new ChatRecord(ChatRecord.Human, $"2026-02-11T13:00:{i:00}", $"question {i}", "Human"),
        new ChatRecord(ChatRecord.Ai, $"2026-02-11T13:00:{i:00}", $"answer {i}", "Mao"),
    }).ToArray();

    [Theory, SqliteJournal, PostgresJournal]
    public async Task A_summary_is_loaded_with_its_history_after_a_restart_and_the_records_stay_whole(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        string uid;
        await using (var first = await HistoryHost.StartAsync(journal.Options))
        {
            var requests = new HistoryRequests(first);
            uid = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
            await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, Turns(3)));

            Assert.Equal(new SummaryStored(Mao, uid, 2), await requests.Send<SummaryStored>(new StoreSummary(Mao, uid, 2, "We met.")));
            Assert.Equal(new SummaryStored(Mao, uid, 4), await requests.Send<SummaryStored>(new StoreSummary(Mao, uid, 4, "We met twice.")));
            var live = await requests.Send<HistoryLoaded>(new LoadHistory(Mao, uid));
            Assert.Equal((4, "We met twice."), (live.Summary!.CoversRecords, live.Summary.Text));
        }

        await using var second = await HistoryHost.StartAsync(journal.Options);
        var again = new HistoryRequests(second);
        var loaded = await again.Send<HistoryLoaded>(new LoadHistory(Mao, uid));
        Assert.Equal((4, "We met twice."), (loaded.Summary!.CoversRecords, loaded.Summary.Text));
        Assert.Equal(Turns(3), loaded.Records);
        // Readers outside the actors (HTTP API, OLV export) still see every record.
        var stored = await new ChatHistoryReader(second.System).ReadAsync(Mao, uid);
        Assert.Equal(Turns(3), stored!.Records);
    }

    [Theory, SqliteJournal, PostgresJournal]
    public async Task A_summary_that_does_not_fit_the_history_is_refused(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        await using var host = await HistoryHost.StartAsync(journal.Options);
        var requests = new HistoryRequests(host);
        var uid = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
        await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, Turns(2)));
        await requests.Send<SummaryStored>(new StoreSummary(Mao, uid, 2, "We met."));

        Assert.Equal("a summary must cover 1..4 records, not 5",
            (await requests.Send<HistoryWriteFailed>(new StoreSummary(Mao, uid, 5, "too far"))).Reason);
        Assert.Equal("the history already has a summary of its first 2 records",
            (await requests.Send<HistoryWriteFailed>(new StoreSummary(Mao, uid, 2, "late"))).Reason);
        Assert.Equal("the summary is empty", (await requests.Send<HistoryWriteFailed>(new StoreSummary(Mao, uid, 3, " "))).Reason);
        Assert.Equal("no such history", (await requests.Send<HistoryWriteFailed>(
            new StoreSummary(Mao, HistoryUid.New(DateTime.Now), 1, "nobody"))).Reason);
        Assert.StartsWith("invalid history uid", (await requests.Send<HistoryWriteFailed>(
            new StoreSummary(Mao, "../x", 1, "bad id"))).Reason);
        Assert.Equal("We met.", (await requests.Send<HistoryLoaded>(new LoadHistory(Mao, uid))).Summary!.Text);

        await requests.Send<HistoryDeleted>(new DeleteHistory(Mao, uid));
        Assert.Null((await requests.Send<HistoryLoaded>(new LoadHistory(Mao, uid))).Summary);
    }

    [Theory, SqliteJournal, PostgresJournal]
    public async Task A_summary_survives_recovery_from_a_snapshot(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider, snapshotInterval: 4);
        string uid;
        await using (var first = await HistoryHost.StartAsync(journal.Options))
        {
            var requests = new HistoryRequests(first);
            uid = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid; // event 1
            await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, Turns(1))); // 2
            await requests.Send<SummaryStored>(new StoreSummary(Mao, uid, 1, "We met.")); // 3
            await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, Turns(2)[2..])); // 4: snapshot
            await requests.Kit.AwaitAssertAsync(() => Assert.Equal(1, SnapshotCount(journal, ChatHistoryActor.PersistenceIdFor(Mao, uid))));
        }
        // Only the snapshot can bring the summary back now.
        using (var connection = journal.Open())
        {
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM journal WHERE persistence_id = @id AND sequence_number <= 4";
            AddParameter(delete, "@id", ChatHistoryActor.PersistenceIdFor(Mao, uid));
            Assert.Equal(4, delete.ExecuteNonQuery());
        }

        await using var second = await HistoryHost.StartAsync(journal.Options);
        var loaded = await new HistoryRequests(second).Send<HistoryLoaded>(new LoadHistory(Mao, uid));
        Assert.Equal("We met.", loaded.Summary!.Text);
        Assert.Equal(Turns(2), loaded.Records);
    }

    private static long SnapshotCount(JournalUnderTest journal, string persistenceId)
    {
        using var connection = journal.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT COUNT(*) FROM snapshot WHERE persistence_id = @id AND manifest = 'chat-history-summarized-snapshot.v1'";
        AddParameter(query, "@id", persistenceId);
        return Convert.ToInt64(query.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
