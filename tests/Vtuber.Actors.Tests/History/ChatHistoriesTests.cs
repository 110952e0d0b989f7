using System.Data.Common;
using System.Text;
using Akka.Actor;
using Vtuber.Actors.History;
using Vtuber.Domain.History;

namespace Vtuber.Actors.Tests.History;

/// <summary>Every behaviour on SQLite, and on PostgreSQL when VTUBER_TEST_POSTGRES is set (.ci/run sets it).</summary>
public sealed class ChatHistoriesTests
{
    private const string Mao = "mao_pro_001";

    private static ChatRecord Human(string at, string text) => new(ChatRecord.Human, at, text, "Human");
    private static ChatRecord Ai(string at, string text) => new(ChatRecord.Ai, at, text, "Mao", "mao.png");
    private static ChatRecord Interrupted(string at) => new(ChatRecord.System, at, ChatRecord.InterruptedMarker);

    [Theory, SqliteJournal, PostgresJournal]
    public async Task Created_history_gets_an_olv_uid_and_loads_what_was_appended(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        await using var host = await HistoryHost.StartAsync(journal.Options);
        var requests = new HistoryRequests(host);

        var created = await requests.Send<HistoryCreated>(new CreateHistory(Mao));
        Assert.Equal(Mao, created.ConfUid);
        Assert.True(HistoryUid.IsValid(created.HistoryUid), created.HistoryUid);

        var empty = await requests.Send<HistoryLoaded>(new LoadHistory(Mao, created.HistoryUid));
        Assert.True(empty.Exists);
        Assert.Empty(empty.Records);

        var first = await requests.Send<RecordsAppended>(new AppendRecords(Mao, created.HistoryUid,
            [Human("2026-02-11T13:14:31", "hello")]));
        var second = await requests.Send<RecordsAppended>(new AppendRecords(Mao, created.HistoryUid,
            [Ai("2026-02-11T13:14:35", "Let me think."), Interrupted("2026-02-11T13:14:36")]));
        Assert.True(second.SequenceNr > first.SequenceNr);

        var loaded = await requests.Send<HistoryLoaded>(new LoadHistory(Mao, created.HistoryUid));
        Assert.True(loaded.Exists);
        Assert.Equal([Human("2026-02-11T13:14:31", "hello"), Ai("2026-02-11T13:14:35", "Let me think."),
            Interrupted("2026-02-11T13:14:36")], loaded.Records);
    }

    [Theory, SqliteJournal, PostgresJournal]
    public async Task List_is_newest_first_without_empty_histories_and_shows_the_last_record_including_system(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        await using var host = await HistoryHost.StartAsync(journal.Options);
        var requests = new HistoryRequests(host);
        var older = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
        var newer = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
        var empty = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
        var otherCharacter = (await requests.Send<HistoryCreated>(new CreateHistory("shizuku"))).HistoryUid;

        await requests.Send<RecordsAppended>(new AppendRecords(Mao, older, [Human("2026-02-10T09:00:01", "hi")]));
        await requests.Send<RecordsAppended>(new AppendRecords(Mao, newer, [Human("2026-02-11T10:00:00", "hello")]));
        await requests.Send<RecordsAppended>(new AppendRecords(Mao, older,
            [Ai("2026-02-12T08:00:00", "Bye!"), Interrupted("2026-02-12T08:00:01")]));
        await requests.Send<RecordsAppended>(new AppendRecords("shizuku", otherCharacter, [Human("2026-02-13T00:00:00", "yo")]));

        var list = await requests.Send<HistoryList>(new ListHistories(Mao));

        Assert.Equal(Mao, list.ConfUid);
        Assert.Equal([older, newer], list.Histories.Select(h => h.Uid));
        Assert.DoesNotContain(empty, list.Histories.Select(h => h.Uid));
        Assert.Equal(new HistorySummary(older, Interrupted("2026-02-12T08:00:01"), "2026-02-12T08:00:01"), list.Histories[0]);
        Assert.Equal(new HistorySummary(newer, Human("2026-02-11T10:00:00", "hello"), "2026-02-11T10:00:00"), list.Histories[1]);

        // Listing does not delete other sessions' empty histories (OLV does): the fresh one still takes writes.
        await requests.Send<RecordsAppended>(new AppendRecords(Mao, empty, [Human("2026-02-14T00:00:00", "still here")]));
        Assert.Equal([empty, older, newer], (await requests.Send<HistoryList>(new ListHistories(Mao))).Histories.Select(h => h.Uid));
    }

    [Theory, SqliteJournal, PostgresJournal]
    public async Task Deleted_history_leaves_the_list_cannot_be_loaded_or_written_and_its_events_are_purged(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        await using var host = await HistoryHost.StartAsync(journal.Options);
        var requests = new HistoryRequests(host);
        var kept = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
        var doomed = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
        await requests.Send<RecordsAppended>(new AppendRecords(Mao, kept, [Human("2026-02-10T09:00:00", "keep me")]));
        await requests.Send<RecordsAppended>(new AppendRecords(Mao, doomed, [Human("2026-02-11T09:00:00", "forget me")]));

        Assert.Equal(new HistoryDeleted(Mao, doomed, true), await requests.Send<HistoryDeleted>(new DeleteHistory(Mao, doomed)));

        Assert.Equal([kept], (await requests.Send<HistoryList>(new ListHistories(Mao))).Histories.Select(h => h.Uid));
        var loaded = await requests.Send<HistoryLoaded>(new LoadHistory(Mao, doomed));
        Assert.False(loaded.Exists);
        Assert.Empty(loaded.Records);
        Assert.False((await requests.Send<HistoryDeleted>(new DeleteHistory(Mao, doomed))).Success);
        await requests.Send<HistoryWriteFailed>(new AppendRecords(Mao, doomed, [Human("2026-02-11T09:00:01", "again")]));
        Assert.False((await requests.Send<HistoryDeleted>(new DeleteHistory(Mao, HistoryUid.New(DateTime.Now)))).Success);

        await requests.Kit.AwaitAssertAsync(() =>
            Assert.DoesNotContain("forget me", JournalText(journal, ChatHistoryActor.PersistenceIdFor(Mao, doomed))));
    }

    [Theory, SqliteJournal, PostgresJournal]
    public async Task Retried_append_that_was_stored_after_all_is_acknowledged_without_a_second_write(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        await using var host = await HistoryHost.StartAsync(journal.Options);
        var requests = new HistoryRequests(host);
        var uid = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
        ChatRecord[] turn = [Human("2026-02-11T09:00:00", "hi"), Ai("2026-02-11T09:00:01", "Hello.")];
        var stored = await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, turn));

        // The session saw a failure for this batch (e.g. a journal timeout that committed late) and sends it again.
        var retried = await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, turn) { Retry = true });
        // A retry of a batch that is not the tail is written as usual.
        var next = await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, [Human("2026-02-11T09:00:02", "again")]) { Retry = true });

        Assert.Equal(stored.SequenceNr, retried.SequenceNr);
        Assert.Equal(stored.SequenceNr + 1, next.SequenceNr);
        Assert.Equal([.. turn, Human("2026-02-11T09:00:02", "again")],
            (await requests.Send<HistoryLoaded>(new LoadHistory(Mao, uid))).Records);
    }

    [Theory, SqliteJournal, PostgresJournal]
    public async Task Append_to_a_history_that_was_never_created_fails(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        await using var host = await HistoryHost.StartAsync(journal.Options);
        var requests = new HistoryRequests(host);
        var unknown = HistoryUid.New(DateTime.Now);

        var failed = await requests.Send<HistoryWriteFailed>(new AppendRecords(Mao, unknown, [Human("2026-02-11T09:00:00", "hi")]));

        Assert.Equal(unknown, failed.HistoryUid);
        Assert.Contains("no such history", failed.Reason);
        Assert.False((await requests.Send<HistoryLoaded>(new LoadHistory(Mao, unknown))).Exists);
    }

    [Theory]
    [InlineData("../mao", "2026-02-11_13-14-30_9f8e7d6c5b4a39281706f5e4d3c2b1a0")]
    [InlineData("mao/pro", "2026-02-11_13-14-30_9f8e7d6c5b4a39281706f5e4d3c2b1a0")]
    [InlineData("mao\u0001", "2026-02-11_13-14-30_9f8e7d6c5b4a39281706f5e4d3c2b1a0")]
    [InlineData(Mao, "../../etc/passwd")]
    [InlineData(Mao, "2026-02-11_13-14-30_9f8e7d6c5b4a39281706f5e4d3c2b1a0\n")]
    [InlineData(Mao, "not-a-history")]
    public async Task Invalid_ids_get_failure_replies_and_the_facade_keeps_working(string confUid, string historyUid)
    {
        // Validation happens in the façade before any journal is touched: SQLite stands for both providers here.
        await using var journal = await JournalUnderTest.CreateAsync(JournalUnderTest.Sqlite);
        await using var host = await HistoryHost.StartAsync(journal.Options);
        var requests = new HistoryRequests(host);

        var failed = await requests.Send<HistoryWriteFailed>(new AppendRecords(confUid, historyUid, [Human("2026-02-11T09:00:00", "x")]));
        Assert.Contains("invalid", failed.Reason);
        Assert.False((await requests.Send<HistoryLoaded>(new LoadHistory(confUid, historyUid))).Exists);
        Assert.False((await requests.Send<HistoryDeleted>(new DeleteHistory(confUid, historyUid))).Success);
        if (confUid != Mao)
        {
            await requests.Send<HistoryWriteFailed>(new CreateHistory(confUid));
            Assert.Empty((await requests.Send<HistoryList>(new ListHistories(confUid))).Histories);
        }

        var created = await requests.Send<HistoryCreated>(new CreateHistory(Mao));
        await requests.Send<RecordsAppended>(new AppendRecords(Mao, created.HistoryUid, [Human("2026-02-11T09:00:00", "fine")]));
    }

    [Theory, SqliteJournal, PostgresJournal]
    public async Task Metadata_records_are_refused_and_nothing_of_the_request_is_stored(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        await using var host = await HistoryHost.StartAsync(journal.Options);
        var requests = new HistoryRequests(host);
        var uid = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;

        await requests.Send<HistoryWriteFailed>(new AppendRecords(Mao, uid,
            [Human("2026-02-11T09:00:00", "hi"), new ChatRecord(HistoryView.MetadataRole, "2026-02-11T09:00:00", "")]));

        Assert.Empty((await requests.Send<HistoryLoaded>(new LoadHistory(Mao, uid))).Records);
    }

    [Theory, SqliteJournal, PostgresJournal]
    public async Task Conversation_survives_a_restart_of_the_actor_system_on_the_same_journal(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        string uid;
        ChatRecord[] conversation = [Human("2026-02-11T13:14:31", "こんにちは"), Ai("2026-02-11T13:14:35", "Hi! \"quoted\""),
            Interrupted("2026-02-11T13:14:36")];
        await using (var first = await HistoryHost.StartAsync(journal.Options))
        {
            var requests = new HistoryRequests(first);
            uid = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
            await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, conversation[..1]));
            await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, conversation[1..]));
        }

        await using var second = await HistoryHost.StartAsync(journal.Options);
        var again = new HistoryRequests(second);

        Assert.Equal(conversation, (await again.Send<HistoryLoaded>(new LoadHistory(Mao, uid))).Records);
        var listed = Assert.Single((await again.Send<HistoryList>(new ListHistories(Mao))).Histories);
        Assert.Equal(new HistorySummary(uid, conversation[2], "2026-02-11T13:14:36"), listed);
    }

    [Theory, SqliteJournal, PostgresJournal]
    public async Task Long_history_recovers_from_its_newest_snapshot_and_replays_only_the_events_after_it(string provider)
    {
        // The interval comes from the journal options (system_config.journal.snapshot_interval), as in the server.
        await using var journal = await JournalUnderTest.CreateAsync(provider, snapshotInterval: 50);
        string uid;
        var records = Enumerable.Range(0, 130).Select(i => Human($"2026-02-11T13:{i / 60:00}:{i % 60:00}", $"message {i}")).ToArray();
        await using (var first = await HistoryHost.StartAsync(journal.Options))
        {
            var requests = new HistoryRequests(first);
            uid = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
            foreach (var record in records)
            {
                await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, [record]));
            }
            // Events 1..131: snapshots at 50 and 100, the older one is dropped.
            await requests.Kit.AwaitAssertAsync(() =>
                Assert.Equal([100L], SnapshotSequenceNrs(journal, ChatHistoryActor.PersistenceIdFor(Mao, uid))));
        }

        // Remove the events the snapshot covers: the first 99 records can now only come back through the snapshot.
        using (var connection = journal.Open())
        {
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM journal WHERE persistence_id = @id AND sequence_number <= 100";
            AddParameter(delete, "@id", ChatHistoryActor.PersistenceIdFor(Mao, uid));
            Assert.Equal(100, delete.ExecuteNonQuery());
        }

        await using var second = await HistoryHost.StartAsync(journal.Options);
        var again = new HistoryRequests(second);
        Assert.Equal(records, (await again.Send<HistoryLoaded>(new LoadHistory(Mao, uid))).Records);
        var next = await again.Send<RecordsAppended>(new AppendRecords(Mao, uid, [Human("2026-02-11T14:00:00", "after")]));
        Assert.Equal(132, next.SequenceNr);
    }

    [Theory, SqliteJournal, PostgresJournal]
    public async Task Journal_rows_hold_our_manifests_and_plain_json(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        await using var host = await HistoryHost.StartAsync(journal.Options);
        var requests = new HistoryRequests(host);
        var uid = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
        await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, [Ai("2026-02-11T13:14:35", "Hi!")]));
        var rows = JournalRows(journal, ChatHistoryActor.PersistenceIdFor(Mao, uid));
        Assert.Equal(["chat-history-created.v1", "chat-history-records-appended.v1"], rows.Select(r => r.Manifest));
        Assert.All(rows, r => Assert.Equal(ChatHistoryEventSerializer.Id, r.Identifier));
        Assert.Matches("""^\{"timestamp":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"\}$""", rows[0].Json);
        Assert.Equal("""{"records":[{"role":"ai","timestamp":"2026-02-11T13:14:35","content":"Hi!","name":"Mao","avatar":"mao.png"}]}""",
            rows[1].Json);

        // The index write trails the history's acknowledgement (and the listing does not wait for it): wait until it is there.
        var index = JournalRows(journal, ChatHistoryIndex.PersistenceIdFor(Mao));
        for (var deadline = DateTime.UtcNow.AddSeconds(10); index.Count < 2 && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(20);
            index = JournalRows(journal, ChatHistoryIndex.PersistenceIdFor(Mao));
        }
        Assert.Equal(["chat-history-index-created.v1", "chat-history-index-latest-message.v1"], index.Select(r => r.Manifest));
        Assert.All(index, r => Assert.DoesNotContain("$type", r.Json));
        Assert.All(index, r => Assert.Equal(ChatHistoryEventSerializer.Id, r.Identifier));
    }

    [Theory, SqliteJournal, PostgresJournal]
    public async Task Drain_replies_once_the_index_update_trailing_an_acknowledged_append_is_written(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        await using var host = await HistoryHost.StartAsync(journal.Options);
        var requests = new HistoryRequests(host);
        var uid = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
        await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, [Human("2026-02-11T09:00:00", "last words")]));

        await requests.Send<Akka.Done>(DrainHistories.Instance);

        var index = JournalRows(journal, ChatHistoryIndex.PersistenceIdFor(Mao));
        Assert.Equal("chat-history-index-latest-message.v1", index[^1].Manifest);
        Assert.Contains("last words", index[^1].Json);
    }

    [Theory, SqliteJournal, PostgresJournal]
    public async Task Idle_history_passivates_and_comes_back_from_the_journal(string provider)
    {
        await using var journal = await JournalUnderTest.CreateAsync(provider);
        await using var host = await HistoryHost.StartAsync(journal.Options, idleTimeout: TimeSpan.FromSeconds(3));
        var requests = new HistoryRequests(host);
        var uid = (await requests.Send<HistoryCreated>(new CreateHistory(Mao))).HistoryUid;
        await requests.Send<RecordsAppended>(new AppendRecords(Mao, uid, [Human("2026-02-11T09:00:00", "hi")]));
        var entity = await host.System.ActorSelection($"/user/histories/history_{Mao}_{uid}").ResolveOne(TimeSpan.FromSeconds(10));
        var watcher = requests.Kit.CreateTestProbe();
        watcher.Watch(entity);

        await watcher.ExpectTerminatedAsync(entity, TimeSpan.FromSeconds(30));

        Assert.Equal([Human("2026-02-11T09:00:00", "hi")], (await requests.Send<HistoryLoaded>(new LoadHistory(Mao, uid))).Records);
    }

    private sealed record JournalRow(string Manifest, int Identifier, string Json);

    private static List<JournalRow> JournalRows(JournalUnderTest journal, string persistenceId, bool includeDeleted = false)
    {
        using var connection = journal.Open();
        using var query = connection.CreateCommand();
        query.CommandText = """
            SELECT manifest, identifier, message FROM journal
            WHERE persistence_id = @id AND (deleted = false OR @all) ORDER BY sequence_number
            """;
        AddParameter(query, "@id", persistenceId);
        AddParameter(query, "@all", includeDeleted);
        using var reader = query.ExecuteReader();
        var rows = new List<JournalRow>();
        while (reader.Read())
        {
            rows.Add(new JournalRow(reader.GetString(0), reader.GetInt32(1), Encoding.UTF8.GetString((byte[])reader[2])));
        }
        return rows;
    }

    // Rows the journal only marked as deleted count too: the text must be gone from the database.
    private static string JournalText(JournalUnderTest journal, string persistenceId) =>
        string.Join("\n", JournalRows(journal, persistenceId, includeDeleted: true).Select(r => r.Json));

    private static List<long> SnapshotSequenceNrs(JournalUnderTest journal, string persistenceId)
    {
        using var connection = journal.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT sequence_number, manifest, serializer_id FROM snapshot WHERE persistence_id = @id ORDER BY sequence_number";
        AddParameter(query, "@id", persistenceId);
        using var reader = query.ExecuteReader();
        var sequenceNrs = new List<long>();
        while (reader.Read())
        {
            Assert.Equal("chat-history-snapshot.v1", reader.GetString(1));
            Assert.Equal(ChatHistoryEventSerializer.Id, reader.GetInt32(2));
            sequenceNrs.Add(reader.GetInt64(0));
        }
        return sequenceNrs;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
