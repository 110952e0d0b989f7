using Akka;
using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using LinqToDB;
using Vtuber.Domain.Config;
using Vtuber.Domain.History;

namespace Vtuber.Actors.History;

public static class ChatHistoryHosting
{
    // Akka's default phase timeout; a journal that cannot write by then will not.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Chat histories on Akka.Persistence.Sql (a SQLite file by default, PostgreSQL for clusters), our JSON
    /// serializer for their events and snapshots, and the <see cref="ChatHistories"/> façade in the ActorRegistry.
    /// A history is snapshotted every snapshotInterval events (default: journal.snapshot_interval) and leaves memory
    /// after idleTimeout (default 2 min).
    /// </summary>
    public static AkkaConfigurationBuilder WithChatHistories(this AkkaConfigurationBuilder b, JournalOptions journal,
        int? snapshotInterval = null, TimeSpan? idleTimeout = null)
    {
        var (connectionString, providerName) = SqlTarget(journal);
        var interval = snapshotInterval ?? journal.SnapshotInterval;
        return b
            .WithSqlPersistence(connectionString: connectionString, providerName: providerName, autoInitialize: true)
            // Bound before the first event is written: the serializer of a journal row can never change later.
            .WithCustomSerializer("chat-history", [typeof(IChatHistoryEvent), typeof(IChatHistorySnapshot)],
                system => new ChatHistoryEventSerializer(system))
            .WithActors((system, registry) =>
            {
                var histories = system.ActorOf(ChatHistories.Props(interval, idleTimeout), "histories");
                registry.Register<ChatHistories>(histories);
                // Let queued writes (an index update trails every acknowledged append) finish before the journal goes.
                CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceStop, "drain-chat-histories",
                    () => histories.Ask<Done>(DrainHistories.Instance, DrainTimeout));
            });
    }

    /// <summary>
    /// SQLite's write-ahead log instead of its default rollback journal: a commit is one append and one fsync of the
    /// log instead of writing, syncing and deleting a journal file, and readers (history loads, recoveries) do not
    /// block the writer. Durability is unchanged (synchronous stays FULL: an acknowledged write survives a power
    /// loss). The mode is stored in the database file, so this is a no-op after the first start.
    /// </summary>
    private static void UseWriteAheadLog(string connectionString)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL;";
        pragma.ExecuteScalar(); // an in-memory database answers "memory" and stays as it is
    }

    /// <summary>
    /// The connection string and linq2db provider the journal uses (journal.provider_name when given), also what the
    /// readiness check opens and where long-term memories are kept.
    /// </summary>
    public static (string ConnectionString, string ProviderName) SqlTarget(JournalOptions journal)
    {
        var (connectionString, providerName) = DefaultSqlTarget(journal);
        return (connectionString, string.IsNullOrWhiteSpace(journal.ProviderName) ? providerName : journal.ProviderName);
    }

    private static (string ConnectionString, string ProviderName) DefaultSqlTarget(JournalOptions journal)
    {
        switch (journal.Provider)
        {
            case "sqlite" when !string.IsNullOrWhiteSpace(journal.ConnectionString):
                UseWriteAheadLog(journal.ConnectionString);
                return (journal.ConnectionString, ProviderName.SQLiteMS);
            case "sqlite":
                var path = Path.GetFullPath(journal.SqlitePath);
                // SQLite creates the file but not its folder.
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                UseWriteAheadLog($"Data Source={path}");
                return ($"Data Source={path}", ProviderName.SQLiteMS);
            case "postgresql" when !string.IsNullOrWhiteSpace(journal.ConnectionString):
                return (journal.ConnectionString, ProviderName.PostgreSQL15);
            case "postgresql":
                throw new ConfigException("conf.yaml", "system_config.journal.connection_string", null,
                    "a PostgreSQL connection string when journal.provider is postgresql");
            default:
                throw new ConfigException("conf.yaml", "system_config.journal.provider", journal.Provider, "sqlite or postgresql");
        }
    }
}
