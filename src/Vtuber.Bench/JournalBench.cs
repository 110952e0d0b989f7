using System.Data.Common;
using System.Diagnostics;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;
using Vtuber.Actors.History;
using Vtuber.Domain.Config;
using Vtuber.Domain.History;

namespace Vtuber.Bench;

/// <summary>
/// The chat-history journal, composed as the server composes it (AddAkka + WithChatHistories), per provider:
/// - append latency: sequential AppendRecords of one message through the ChatHistories façade, each awaited until
///   acknowledged (= in the journal); baseline: a raw INSERT of the same serialized event bytes with the ADO.NET
///   driver (Microsoft.Data.Sqlite / Npgsql) on one open connection, autocommit, into the same database;
/// - recovery of a 10,000-message history (one event per message, as a session writes them): time from a cold
///   entity to its LoadHistory reply, with the newest snapshot (every snapshot_interval = 200 events) and without
///   any snapshot (snapshot rows deleted); baseline: a raw SELECT of the same journal rows in order.
/// Every recovery runs in a fresh actor system whose journal reads are warmed up on another history first, so the
/// number is the history's replay, not linq2db's start-up.
/// </summary>
public static class JournalBench
{
    private const string ConfUid = "bench";
    private const int SnapshotInterval = 200;
    private const int RecoveryRounds = 5;

    public static async Task RunAsync(int appends, int historyMessages, string? postgres)
    {
        var root = Directory.CreateTempSubdirectory("vtuber-journal-bench-").FullName;
        try
        {
            Console.WriteLine($"journal bench: {appends} sequential acknowledged appends (after {Warmup(appends)} warm-up); " +
                              $"recovery of a {historyMessages}-message history, median of {RecoveryRounds} cold starts");
            await RunProviderAsync("sqlite", new JournalOptions { SqlitePath = Path.Combine(root, "journal.db") },
                () => new SqliteConnection($"Data Source={Path.Combine(root, "journal.db")}"), appends, historyMessages);
            if (postgres is null)
            {
                Console.WriteLine("postgresql: skipped (set VTUBER_TEST_POSTGRES or pass --postgres CONNECTION_STRING)");
                return;
            }
            var database = await CreatePostgresDatabaseAsync(postgres);
            try
            {
                var connectionString = new NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
                await RunProviderAsync("postgresql", new JournalOptions { Provider = "postgresql", ConnectionString = connectionString },
                    () => new NpgsqlConnection(connectionString), appends, historyMessages);
            }
            finally
            {
                NpgsqlConnection.ClearAllPools();
                await ExecuteAsync(postgres, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static int Warmup(int appends) => Math.Max(20, appends / 10);

    private static async Task RunProviderAsync(string provider, JournalOptions journal, Func<DbConnection> connect,
        int appends, int historyMessages)
    {
        journal = journal with { SnapshotInterval = SnapshotInterval };
        string bigHistory;
        List<double> appendLatencies;
        byte[] payload;
        await using (var host = await JournalHost.StartAsync(journal))
        {
            var small = await host.CreateAsync();
            appendLatencies = [];
            for (var i = 0; i < Warmup(appends) + appends; i++)
            {
                var clock = Stopwatch.StartNew();
                await host.AppendAsync(small, Message(i));
                if (i >= Warmup(appends))
                {
                    appendLatencies.Add(clock.Elapsed.TotalMilliseconds);
                }
            }
            payload = host.Serialize(new RecordsAppendedV1([Message(0)]));

            // The long history: pipelined 100 at a time (the entity still writes one event at a time, in order).
            bigHistory = await host.CreateAsync();
            var writing = Stopwatch.StartNew();
            foreach (var window in Enumerable.Range(0, historyMessages).Chunk(100))
            {
                await Task.WhenAll(window.Select(i => host.AppendAsync(bigHistory, Message(i))));
            }
            Console.WriteLine($"{provider}: wrote the {historyMessages}-message history in {writing.Elapsed.TotalSeconds:F1} s");
        }

        var baselineInsert = await RawInsertsAsync(connect, payload, Warmup(appends) + appends).ConfigureAwait(false);
        var bigId = ChatHistoryActor.PersistenceIdFor(ConfUid, bigHistory);
        var withSnapshot = await RecoverAsync(journal, bigHistory, historyMessages);
        await using (var connection = connect())
        {
            await connection.OpenAsync();
            await ExecuteAsync(connection, "DELETE FROM snapshot WHERE persistence_id = @id", bigId);
        }
        var withoutSnapshot = await RecoverAsync(journal, bigHistory, historyMessages);
        var rawRead = new List<double>();
        for (var i = 0; i < RecoveryRounds; i++)
        {
            rawRead.Add(await RawReadAsync(connect, bigId, historyMessages + 1));
        }

        var measured = appendLatencies;
        var baseline = baselineInsert.Skip(Warmup(appends)).ToList();
        Console.WriteLine($"{provider}: append through the façade, acknowledged   p50 {Percentile(measured, 0.5):F2} ms   p99 {Percentile(measured, 0.99):F2} ms");
        Console.WriteLine($"{provider}:   baseline raw INSERT of the same bytes     p50 {Percentile(baseline, 0.5):F2} ms   p99 {Percentile(baseline, 0.99):F2} ms");
        Console.WriteLine($"{provider}: recovery of {historyMessages} messages, snapshot every {SnapshotInterval}   median {Percentile(withSnapshot, 0.5):F0} ms  ({string.Join(", ", withSnapshot.Select(t => t.ToString("F0")))})");
        Console.WriteLine($"{provider}: recovery of {historyMessages} messages, no snapshot          median {Percentile(withoutSnapshot, 0.5):F0} ms  ({string.Join(", ", withoutSnapshot.Select(t => t.ToString("F0")))})");
        Console.WriteLine($"{provider}:   baseline raw SELECT of its {historyMessages + 1} journal rows  median {Percentile(rawRead, 0.5):F0} ms");
    }

    private static ChatRecord Message(int i) => new(i % 2 == 0 ? ChatRecord.Human : ChatRecord.Ai,
        ChatTimestamp.Format(new DateTime(2026, 1, 1).AddSeconds(i)),
        $"Message {i}: a sentence of ordinary chat length, about as long as what people type or hear back.",
        i % 2 == 0 ? "Human" : "Mao");

    private static async Task<List<double>> RecoverAsync(JournalOptions journal, string historyUid, int expected)
    {
        var times = new List<double>();
        for (var round = 0; round < RecoveryRounds; round++)
        {
            await using var host = await JournalHost.StartAsync(journal);
            // Recovering a history that never existed warms the snapshot and journal reads (connections, linq2db).
            await host.LoadAsync(HistoryUid.New(DateTime.Now));
            var clock = Stopwatch.StartNew();
            var loaded = await host.LoadAsync(historyUid);
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (loaded.Records.Count != expected)
            {
                throw new InvalidOperationException($"recovered {loaded.Records.Count} records, expected {expected}");
            }
        }
        return times;
    }

    private static async Task<List<double>> RawInsertsAsync(Func<DbConnection> connect, byte[] payload, int count)
    {
        await using var connection = connect();
        await connection.OpenAsync();
        var binary = connection is NpgsqlConnection ? "bytea" : "BLOB";
        await ExecuteAsync(connection, $"CREATE TABLE bench_baseline (persistence_id TEXT NOT NULL, sequence_number BIGINT NOT NULL, " +
                                       $"message {binary} NOT NULL, PRIMARY KEY (persistence_id, sequence_number))");
        var times = new List<double>();
        for (var i = 0; i < count; i++)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO bench_baseline (persistence_id, sequence_number, message) VALUES (@id, @seq, @message)";
            AddParameter(insert, "@id", "baseline");
            AddParameter(insert, "@seq", (long)i);
            AddParameter(insert, "@message", payload);
            var clock = Stopwatch.StartNew();
            await insert.ExecuteNonQueryAsync();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    private static async Task<double> RawReadAsync(Func<DbConnection> connect, string persistenceId, int expectedRows)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = connect();
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT sequence_number, manifest, message FROM journal WHERE persistence_id = @id ORDER BY sequence_number";
        AddParameter(query, "@id", persistenceId);
        await using var reader = await query.ExecuteReaderAsync();
        var rows = 0;
        long bytes = 0;
        while (await reader.ReadAsync())
        {
            bytes += ((byte[])reader[2]).Length;
            rows++;
        }
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (rows != expectedRows || bytes == 0)
        {
            throw new InvalidOperationException($"read {rows} journal rows, expected {expectedRows}");
        }
        return elapsed;
    }

    private static async Task<string> CreatePostgresDatabaseAsync(string server)
    {
        var database = $"vtuber_bench_{Guid.NewGuid():N}";
        await ExecuteAsync(server, $"CREATE DATABASE {database}");
        return database;
    }

    private static async Task ExecuteAsync(string postgresServer, string sql)
    {
        await using var connection = new NpgsqlConnection(postgresServer);
        await connection.OpenAsync();
        await ExecuteAsync(connection, sql);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, string? id = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (id is not null)
        {
            AddParameter(command, "@id", id);
        }
        await command.ExecuteNonQueryAsync();
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    /// <summary>An actor system with the chat histories, built the way the server builds it.</summary>
    private sealed class JournalHost : IAsyncDisposable
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
        private readonly IHost _host;
        private readonly ActorSystem _system;
        private readonly IActorRef _histories;

        private JournalHost(IHost host, ActorSystem system, IActorRef histories)
        {
            _host = host;
            _system = system;
            _histories = histories;
        }

        public static async Task<JournalHost> StartAsync(JournalOptions journal)
        {
            var host = new HostBuilder()
                .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
                .ConfigureServices(services => services.AddAkka("journal-bench", (b, _) => b
                    .ConfigureLoggers(loggers => loggers.LogLevel = Akka.Event.LogLevel.WarningLevel)
                    .WithChatHistories(journal)))
                .Build();
            await host.StartAsync();
            var system = host.Services.GetRequiredService<ActorSystem>();
            return new JournalHost(host, system, await ActorRegistry.For(system).GetAsync<ChatHistories>());
        }

        public async Task<string> CreateAsync() =>
            (await _histories.Ask<HistoryCreated>(new CreateHistory(ConfUid), Timeout)).HistoryUid;

        public Task<RecordsAppended> AppendAsync(string historyUid, ChatRecord record) =>
            _histories.Ask<RecordsAppended>(new AppendRecords(ConfUid, historyUid, [record]), Timeout);

        public Task<HistoryLoaded> LoadAsync(string historyUid) =>
            _histories.Ask<HistoryLoaded>(new LoadHistory(ConfUid, historyUid), Timeout);

        public byte[] Serialize(object persisted) => _system.Serialization.FindSerializerFor(persisted).ToBinary(persisted);

        public async ValueTask DisposeAsync()
        {
            await _host.StopAsync();
            _host.Dispose();
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
        }
    }
}
