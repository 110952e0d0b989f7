using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Vtuber.Server.Observability;

/// <summary>
/// /health/live: the process serves HTTP (no checks; a restart is the only cure for a failure here).
/// /health/ready: every check tagged <see cref="ReadyTag"/> passes: the journal answers, and on a cluster the node has
/// joined (a check the cluster composition adds with this tag). 200 when healthy, 503 otherwise, with a JSON body.
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";

    public static void MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteAsync,
        });
    }

    /// <summary>The readiness checks, for the dashboard.</summary>
    public static Task<HealthReport> CheckReadinessAsync(this HealthCheckService health, CancellationToken ct) =>
        health.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), ct);

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        }));
    }
}
