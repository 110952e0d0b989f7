using System.Reflection;
using Npgsql;
using Xunit.Sdk;

namespace Vtuber.Server.Tests.Support;

/// <summary>
/// The journal section of a test server's conf.yaml: the SQLite default, or a fresh PostgreSQL database of its own on
/// the server named by VTUBER_TEST_POSTGRES (dropped on dispose), so tests never see each other's rows.
/// </summary>
public sealed class JournalUnderTest : IAsyncDisposable
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";

    private readonly string? _server;
    private readonly string? _database;

    private JournalUnderTest(string? systemYaml, string? server = null, string? database = null)
    {
        SystemYaml = systemYaml;
        _server = server;
        _database = database;
    }

    /// <summary>Lines for ServerFolder.Create's extraSystemYaml; null keeps the default SQLite file.</summary>
    public string? SystemYaml { get; }

    public static async Task<JournalUnderTest> CreateAsync(string provider)
    {
        if (provider == Sqlite)
        {
            return new JournalUnderTest(null);
        }
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
        return new JournalUnderTest($"""
              journal:
                provider: 'postgresql'
                connection_string: '{connectionString}'
            """, server, database);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>Runs the theory on the default SQLite journal.</summary>
public sealed class SqliteJournalAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[JournalUnderTest.Sqlite]];
}

/// <summary>
/// Runs the theory on a PostgreSQL journal when VTUBER_TEST_POSTGRES names a server; otherwise the case is reported
/// as skipped (not executed) with the reason.
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
