using System.Data.Common;
using System.Reflection;
using Microsoft.Data.Sqlite;
using Npgsql;
using Vtuber.Domain.Config;
using Xunit.Sdk;

namespace Vtuber.Actors.Tests.History;

/// <summary>
/// The journal a test runs on: a SQLite file in a temp folder, or a fresh PostgreSQL database of its own (created
/// on the server named by VTUBER_TEST_POSTGRES, dropped afterwards), so tests never see each other's rows.
/// </summary>
public abstract class JournalUnderTest : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";

    public abstract JournalOptions Options { get; }

    /// <summary>A connection to the journal's own database, for reading and editing rows behind the actors' back.</summary>
    public abstract DbConnection Open();

    public static async Task<JournalUnderTest> CreateAsync(string provider, int snapshotInterval = 200) => provider switch
    {
        Sqlite => new SqliteJournal(snapshotInterval),
        PostgreSql => await PostgresJournal.CreateAsync(snapshotInterval),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite or postgresql"),
    };

    public abstract ValueTask DisposeAsync();

    public override string ToString() => Options.Provider;

    private sealed class SqliteJournal : JournalUnderTest
    {
        private readonly string _root = Directory.CreateTempSubdirectory("vtuber-history-").FullName;

        public SqliteJournal(int snapshotInterval) =>
            // In a sub-folder WithChatHistories must create.
            Options = new JournalOptions { SqlitePath = Path.Combine(_root, "data", "vtuber.db"), SnapshotInterval = snapshotInterval };

        public override JournalOptions Options { get; }

        public override DbConnection Open()
        {
            var connection = new SqliteConnection($"Data Source={Options.SqlitePath}");
            connection.Open();
            return connection;
        }

        public override ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(_root, recursive: true);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class PostgresJournal(string server, string database, JournalOptions options) : JournalUnderTest
    {
        public override JournalOptions Options { get; } = options;

        public static async Task<PostgresJournal> CreateAsync(int snapshotInterval)
        {
            var server = PostgresJournalAttribute.ConnectionString
                         ?? throw new InvalidOperationException($"{PostgresJournalAttribute.Variable} is not set");
            var database = $"vtuber_test_{Guid.NewGuid():N}";
            await using (var connection = new NpgsqlConnection(server))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
                await create.ExecuteNonQueryAsync();
            }
            var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
            return new PostgresJournal(server, database, new JournalOptions
            {
                Provider = PostgreSql, ConnectionString = connectionString, SnapshotInterval = snapshotInterval,
            });
        }

        public override DbConnection Open()
        {
            var connection = new NpgsqlConnection(Options.ConnectionString);
            connection.Open();
            return connection;
        }

        public override async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>Runs the theory on a SQLite journal (always available).</summary>
public sealed class SqliteJournalAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[JournalUnderTest.Sqlite]];
}

/// <summary>
/// Runs the theory on a PostgreSQL journal when VTUBER_TEST_POSTGRES names a server; otherwise the case is reported
/// as skipped (not executed) with the reason, so a plain `dotnet test` stays green and says what it did not run.
/// </summary>
public sealed class PostgresJournalAttribute : DataAttribute
{
    public const string Variable = "VTUBER_TEST_POSTGRES";

    public PostgresJournalAttribute()
    {
        if (ConnectionString is null)
        {
            Skip = $"PostgreSQL journal not tested: set {Variable} to a connection string of a server where databases may be created (.ci/run starts one and does)";
        }
    }

    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[JournalUnderTest.PostgreSql]];
}
