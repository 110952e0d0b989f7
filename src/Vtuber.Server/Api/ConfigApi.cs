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
/// of a candidate conf.yaml without applying it, the character files, and config changes through the config entity
/// (PUT, the journaled versions, rollback). Answers are JSON; bad input is a 4xx with {"error": "..."}.
/// </summary>
public static class ConfigApi
{
    /// <summary>A conf.yaml is a few KB; anything far larger is not one.</summary>
    public const int MaxCandidateBytes = 1024 * 1024;

    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Validations one client may ask for per minute: each reads files and builds a character.</summary>
    public const int ValidationsPerMinute = 10;

    /// <summary>
    /// Config changes (PUT and rollback together) one client may make per minute: each validates, rewrites conf.yaml,
    /// journals a version and rebuilds engines; an operator or a deploy script needs a few.
    /// </summary>
    public const int ChangesPerMinute = 10;

    private const string ValidatePolicy = "config-validate";
    private const string ChangePolicy = "config-change";

    // Validation, a write to conf.yaml, the journal write and the engines' check: far less in practice.
    private static readonly TimeSpan ChangeTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The rate limits of <c>POST /api/config/validate</c> and of the changes (<c>PUT /api/config</c>,
    /// <c>POST /api/config/rollback/{version}</c>): fixed one-minute windows per remote address.
    /// </summary>
    public static void AddConfigApi(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(ValidatePolicy, context => PerMinute(context, "validate", ValidationsPerMinute));
            limiter.AddPolicy(ChangePolicy, context => PerMinute(context, "change", ChangesPerMinute));
            limiter.OnRejected = async (rejected, ct) =>
            {
                var validation = rejected.HttpContext.Request.Path.StartsWithSegments("/api/config/validate");
                rejected.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await rejected.HttpContext.Response.WriteAsJsonAsync(new
                {
                    error = validation
                        ? $"At most {ValidationsPerMinute} validations per minute; try again in a minute."
                        : $"At most {ChangesPerMinute} config changes per minute; try again in a minute.",
                }, ct);
            };
        });

    private static RateLimitPartition<string> PerMinute(HttpContext context, string kind, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(
            kind + "|" + (context.Connection.RemoteIpAddress?.ToString() ?? ""),
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = permits,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0, // refused at once, never queued: a client over the limit waits for the window
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

        app.MapPut("/api/config", async (HttpRequest request, IRequiredActor<ConfigJournalActor> versions) =>
        {
            var text = await ReadCandidate(request);
            if (text is null)
            {
                return Error(StatusCodes.Status413PayloadTooLarge, $"The new conf.yaml is larger than {MaxCandidateBytes} bytes.");
            }
            if (string.IsNullOrWhiteSpace(text))
            {
                return Error(StatusCodes.Status400BadRequest, "The request body must be a conf.yaml file (YAML text); it is empty.");
            }
            return await Change(versions, new ProposeConfig(text, ConfigSources.Put));
        }).RequireRateLimiting(ChangePolicy);

        app.MapPost("/api/config/rollback/{version:int}", (int version, IRequiredActor<ConfigJournalActor> versions) =>
            Change(versions, new RollbackConfig(version))).RequireRateLimiting(ChangePolicy);

        app.MapGet("/api/config/versions", async (HttpRequest request, IRequiredActor<ConfigJournalActor> versions) =>
        {
            var include = request.Query["include"].ToString();
            if (include is not ("" or "yaml"))
            {
                return Error(StatusCodes.Status400BadRequest, $"include must be 'yaml' (or absent), not '{include}'.");
            }
            var list = await Versions(versions);
            return Json(new JsonArray(list.Select(v => (JsonNode)VersionJson(v, include == "yaml")).ToArray()));
        });

        app.MapGet("/api/config/versions/{version:int}", async (int version, IRequiredActor<ConfigJournalActor> versions) =>
            (await Versions(versions)).FirstOrDefault(v => v.Version == version) is { } found
                ? Json(VersionJson(found, withYaml: true))
                : Error(StatusCodes.Status404NotFound, $"There is no config version {version}."));
    }

    private static async Task<IResult> Change(IRequiredActor<ConfigJournalActor> versions, object change)
    {
        object answer;
        try
        {
            answer = await (await versions.GetAsync()).Ask<object>(change, ChangeTimeout);
        }
        catch (AskTimeoutException)
        {
            return Error(StatusCodes.Status503ServiceUnavailable,
                "The config entity did not answer in time (journal down?); conf.yaml may already hold the change, " +
                "the watcher journals it once the entity is back.");
        }
        return answer switch
        {
            ConfigVersionAccepted accepted => Json(VersionJson(accepted.Version, withYaml: false, changed: true)),
            ConfigUnchanged unchanged => Json(VersionJson(unchanged.Latest, withYaml: false, changed: false)),
            ConfigRejected rejected => Json(new JsonObject
            {
                ["valid"] = false,
                ["file"] = rejected.File,
                ["key_path"] = rejected.KeyPath,
                ["value"] = rejected.Value,
                ["expected"] = rejected.Expected,
                ["message"] = rejected.Message,
            }, StatusCodes.Status422UnprocessableEntity),
            UnknownConfigVersion unknown => Error(StatusCodes.Status404NotFound, $"There is no config version {unknown.Version}."),
            ConfigNotChanged notChanged => Error(StatusCodes.Status503ServiceUnavailable, notChanged.Reason),
            _ => throw new InvalidOperationException($"unexpected answer {answer.GetType().Name} from the config entity"),
        };
    }

    private static async Task<IReadOnlyList<ConfigVersionV1>> Versions(IRequiredActor<ConfigJournalActor> versions) =>
        (await (await versions.GetAsync()).Ask<ConfigVersionList>(GetConfigVersions.Instance, AskTimeout)).Versions;

    /// <summary>
    /// A version as the API shows it. The YAML has its secret values masked (the journal keeps them), so it is for
    /// reading and comparing; to bring an old version back use rollback, not a PUT of this text.
    /// </summary>
    private static JsonObject VersionJson(ConfigVersionV1 version, bool withYaml, bool? changed = null)
    {
        var json = new JsonObject
        {
            ["version"] = version.Version,
            ["time"] = version.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["source"] = version.Source,
            ["sha256"] = version.Sha256,
        };
        if (version.RestoredFrom is { } restored)
        {
            json["restored_from"] = restored;
        }
        if (changed is { } value)
        {
            json["changed"] = value;
        }
        if (withYaml)
        {
            json["yaml"] = ConfigFile.MaskSecrets(version.Yaml);
        }
        return json;
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
