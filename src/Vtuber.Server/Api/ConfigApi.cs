using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Hosting;
using Vtuber.Actors.Configuration;
using Vtuber.Domain.Config;

namespace Vtuber.Server.Api;

/// <summary>
/// The operators' config API (README "Live configuration"): the effective config with secrets masked, validation
/// of a candidate conf.yaml without applying it, and the character files. Answers are JSON; bad input is a 4xx with
/// {"error": "..."}.
/// </summary>
public static class ConfigApi
{
    /// <summary>A conf.yaml is a few KB; anything far larger is not one.</summary>
    public const int MaxCandidateBytes = 1024 * 1024;

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Validations one client may ask for per minute: each reads files and builds a character.</summary>
    public const int ValidationsPerMinute = 10;

    private const string ValidatePolicy = "config-validate";

    /// <summary>The rate limit of <c>POST /api/config/validate</c>: fixed one-minute windows per remote address.</summary>
    public static void AddConfigApi(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(ValidatePolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = ValidationsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0, // refused at once, never queued: a client over the limit waits for the window
                }));
            limiter.OnRejected = async (rejected, ct) =>
            {
                rejected.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await rejected.HttpContext.Response.WriteAsJsonAsync(new
                {
                    error = $"At most {ValidationsPerMinute} validations per minute; try again in a minute.",
                }, ct);
            };
        });

    public static void MapConfigApi(this WebApplication app)
    {
        app.MapGet("/api/config", async (IRequiredActor<ConfigActor> config) =>
            Json(EffectiveConfig.ToJson((await Current(config)).Config)));

        app.MapGet("/api/characters", async (IRequiredActor<ConfigActor> config) =>
            Json(new JsonArray(CharacterCatalog.List((await Current(config)).Config)
                .Select(c => (JsonNode)new JsonObject { ["filename"] = c.FileName, ["name"] = c.Name }).ToArray())));

        app.MapPost("/api/config/validate", async (HttpRequest request, IRequiredActor<ConfigActor> config) =>
        {
            var text = await ReadCandidate(request);
            if (text is null)
            {
                return Error(StatusCodes.Status413PayloadTooLarge, $"The candidate is larger than {MaxCandidateBytes} bytes.");
            }
            if (string.IsNullOrWhiteSpace(text))
            {
                return Error(StatusCodes.Status400BadRequest, "The request body must be a conf.yaml file (YAML text); it is empty.");
            }
            var current = await Current(config);
            try
            {
                // Read as if it replaced the live conf.yaml (relative paths, environment overrides) and checked by
                // the rules a reload applies, without building engines: no model loads, programs or LLM calls.
                Vtuber.Actors.Characters.CharacterServices.Check(ConfigLoader.LoadText(text, current.Config.SourcePath));
                return Json(new JsonObject { ["valid"] = true });
            }
            catch (ConfigException e)
            {
                return Json(new JsonObject
                {
                    ["valid"] = false,
                    ["file"] = e.File,
                    ["key_path"] = e.KeyPath,
                    ["value"] = ConfigSecrets.Shown(e.KeyPath, e.Value),
                    ["expected"] = e.Expected,
                    ["message"] = ConfigSecrets.Describe(e),
                }, StatusCodes.Status422UnprocessableEntity);
            }
        }).RequireRateLimiting(ValidatePolicy);
    }

    private static async Task<CurrentConfig> Current(IRequiredActor<ConfigActor> config) =>
        await (await config.GetAsync()).Ask<CurrentConfig>(GetCurrentConfig.Instance, AskTimeout);

    /// <summary>The body as UTF-8 text, or null when it exceeds <see cref="MaxCandidateBytes"/>.</summary>
    private static async Task<string?> ReadCandidate(HttpRequest request)
    {
        if (request.ContentLength > MaxCandidateBytes)
        {
            return null;
        }
        using var body = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            if (body.Length + read > MaxCandidateBytes)
            {
                return null;
            }
            body.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(body.GetBuffer(), 0, (int)body.Length);
    }

    private static IResult Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static IResult Error(int status, string message) => Json(new JsonObject { ["error"] = message }, status);
}
