using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Vtuber.Actors.History;
using Vtuber.Domain.Config;

namespace Vtuber.Server.Observability;

/// <summary>
/// Readiness: the journal (system_config.journal) answers a query. Opens its own connection with the journal's
/// connection string, so it tells "the database is down" apart from anything the actors are doing; bounded by
/// <see cref="Timeout"/> so a probe of a blackholed host never hangs the health endpoint.
/// </summary>
public sealed class JournalHealthCheck(JournalOptions journal) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var described = Describe(journal);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        try
        {
            var (connectionString, _) = ChatHistoryHosting.SqlTarget(journal);
            await using DbConnection connection = journal.Provider == "postgresql"
                ? new NpgsqlConnection(connectionString)
                : new SqliteConnection(connectionString);
            await connection.OpenAsync(bounded.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(bounded.Token);
            return HealthCheckResult.Healthy(described);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{described}: no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or ArgumentException
                                      or System.Net.Sockets.SocketException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"{described}: {e.Message}");
        }
    }

    /// <summary>The journal in one phrase (the banner and the dashboard): provider and where, without secrets.</summary>
    public static string Describe(JournalOptions journal)
    {
        if (journal.Provider == "sqlite")
        {
            return string.IsNullOrWhiteSpace(journal.ConnectionString)
                ? $"sqlite {Path.GetFullPath(journal.SqlitePath)}"
                : "sqlite (connection_string)";
        }
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(journal.ConnectionString);
            return $"postgresql {builder.Host}:{builder.Port}/{builder.Database}";
        }
        catch (ArgumentException)
        {
            return "postgresql (unreadable connection_string)";
        }
    }
}
