using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Vtuber.Actors.Telemetry;
using Vtuber.Domain.Config;

namespace Vtuber.Server.Observability;

/// <summary>
/// Metrics, health and the dashboard on the host: the <c>Vtuber.Akka</c> meter exported for Prometheus at /metrics
/// and by OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set (the exporter reads the standard OTEL_* variables itself),
/// the health checks, and the dashboard's in-process recorder.
/// </summary>
public static class ObservabilityHosting
{
    public const string MetricsPath = "/metrics";

    public static void AddObservability(this WebApplicationBuilder builder, VtuberConfig config)
    {
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("vtuber-akka"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(VtuberMetrics.MeterName).AddPrometheusExporter();
                if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")))
                {
                    metrics.AddOtlpExporter();
                }
            });
        builder.Services.AddHealthChecks()
            .AddCheck("journal", new JournalHealthCheck(config.System.Journal), tags: [HealthEndpoints.ReadyTag]);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<MetricsRecorder>();
        builder.Services.AddHostedService(services => services.GetRequiredService<MetricsRecorder>());
    }

    /// <summary>After the access check: /metrics and /dashboard are behind it, /health/* is public (probes).</summary>
    public static void MapObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        app.MapHealthEndpoints();
        app.MapDashboard();
    }
}
