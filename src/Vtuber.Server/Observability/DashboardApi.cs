using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Vtuber.Actors.Configuration;
using Vtuber.Domain.Config;

namespace Vtuber.Server.Observability;

/// <summary>
/// The operator dashboard: its page at /dashboard/ (three files compiled into the server, no CDN, no build step) and
/// the JSON it polls, /api/metrics/summary: the last 15 minutes from <see cref="MetricsRecorder"/>, the readiness
/// checks (journal, cluster when clustered), the config in force and the cluster members when there is a cluster.
/// Both sit behind the access check (<see cref="Security.SecurityMiddleware"/>).
/// </summary>
public static class DashboardApi
{
    public const string SummaryPath = "/api/metrics/summary";
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    private static readonly Dictionary<string, string> Files = new()
    {
        ["index.html"] = "text/html; charset=utf-8",
        ["dashboard.js"] = "text/javascript; charset=utf-8",
        ["dashboard.css"] = "text/css; charset=utf-8",
    };

    public static void MapDashboard(this WebApplication app)
    {
        // One route: routing does not tell /dashboard from /dashboard/, but the page's relative URLs need the slash
        // (the token query, if any, goes along with the redirect).
        app.MapGet("/dashboard/{file?}", (HttpRequest request, string? file) =>
            file is not null ? (Files.ContainsKey(file) ? File(file) : Results.NotFound())
            : request.Path.Value!.EndsWith('/') ? File("index.html")
            : Results.Redirect("/dashboard/" + request.QueryString));

        app.MapGet(SummaryPath, async (MetricsRecorder recorder, HealthCheckService health,
            IRequiredActor<ConfigActor> configActor, IServiceProvider services, CancellationToken ct) =>
        {
            var timeline = recorder.Summarize();
            var readiness = await health.CheckReadinessAsync(ct);
            var current = await configActor.ActorRef.Ask<CurrentConfig>(GetCurrentConfig.Instance, AskTimeout, ct);
            var cluster = services.GetService<IClusterView>();
            return Results.Json(new
            {
                generatedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                windowSeconds = (int)MetricsRecorder.Window.TotalSeconds,
                timeline.BucketSeconds,
                timeline.SessionsActive,
                timeline.TurnsByOutcome,
                timeline.ErrorsByKind,
                timeline.Stages,
                timeline.Points,
                droppedMeasurements = recorder.Dropped,
                readiness = new
                {
                    status = readiness.Status.ToString(),
                    checks = readiness.Entries.ToDictionary(e => e.Key,
                        e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
                },
                journal = JournalHealthCheck.Describe(current.Config.System.Journal),
                config = new
                {
                    file = current.Config.SourcePath,
                    confVersion = current.Config.System.ConfVersion,
                    fingerprint = Fingerprint(current.Config),
                    character = current.Services.Character.CharacterName,
                    llm = $"{current.Services.Llm.Key} ({current.Services.Llm.Model})",
                    tts = current.Services.Tts.Name,
                    asr = current.Services.Recognizer.Name,
                },
                cluster = cluster?.Members,
            }, statusCode: StatusCodes.Status200OK);
        });
    }

    /// <summary>
    /// The config in force, as a short hash of its effective values (secrets included, so a changed key shows as a
    /// new version; a truncated SHA-256 reveals nothing of them). Changes exactly when a hot reload applied something.
    /// </summary>
    public static string Fingerprint(VtuberConfig config) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            EffectiveConfig.ToJson(config, maskSecrets: false)?.ToJsonString() ?? "")))[..12];

    private static IResult File(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("dashboard/" + name)
            ?? throw new InvalidOperationException($"dashboard/{name} is not compiled into the server");
        using var reader = new StreamReader(stream);
        return Results.Text(reader.ReadToEnd(), Files[name]);
    }
}
