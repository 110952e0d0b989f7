using Vtuber.Domain.Config;
using Vtuber.Domain.Security;

namespace Vtuber.Server.Security;

/// <summary>
/// system_config.security on the request pipeline, in two steps around UseWebSockets:
/// <see cref="UseOriginCheckAndCors"/> refuses any request (WebSocket upgrade, CORS preflight, fetch, form post)
/// from a web page whose origin is not allowed, or that names the server by a host it is not known by, with 403
/// and no CORS headers, then gives the CORS headers to the listed origins; <see cref="UseAccessCheck"/> asks for the access token (or a local client) on sockets, /api, /metrics and /dashboard.
/// </summary>
public static class SecurityMiddleware
{
    private const string OriginsKey = "system_config.security.allowed_origins";

    public static void UseOriginCheckAndCors(this WebApplication app, SecurityOptions options, string serverHost)
    {
        var origins = new OriginPolicy(options.AllowedOrigins, serverHost);
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SecurityMiddleware));
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!origins.AllowsHost(request.Host.Value))
            {
                log.LogWarning("Refused {Method} {Path} for host {Host}: not a name of this server (DNS rebinding?)",
                    request.Method, request.Path, request.Host.Value);
                await RefuseAsync(context, StatusCodes.Status403Forbidden,
                    $"{request.Host.Host} is not a name of this server: add the origin of the page that uses it " +
                    $"(e.g. http://{request.Host.Value}) to {OriginsKey}");
                return;
            }
            var origin = request.Headers.Origin.ToString();
            var own = request.Host.HasValue ? $"{request.Scheme}://{request.Host.Value}" : null;
            if (!origins.Allows(origin, own))
            {
                log.LogWarning("Refused {Method} {Path} from origin {Origin}: not in {Key}", request.Method,
                    request.Path, origin, OriginsKey);
                await RefuseAsync(context, StatusCodes.Status403Forbidden,
                    $"origin {origin} is not allowed: add it to {OriginsKey}");
                return;
            }
            await next();
        });
        // Only origins that passed above get here. The server's own pages need no CORS headers (same origin);
        // the listed ones (the frontend in Electron or on a dev server) get OLV's permissive answer.
        app.UseCors(cors => cors.SetIsOriginAllowed(origins.IsListed).AllowAnyMethod().AllowAnyHeader().AllowCredentials());
    }

    /// <summary>After UseWebSockets, which tells upgrade requests apart.</summary>
    public static void UseAccessCheck(this WebApplication app, SecurityOptions options)
    {
        var access = new AccessPolicy(options);
        app.Use(async (context, next) =>
        {
            var decision = context.WebSockets.IsWebSocketRequest
                ? access.ForSocket(context.Request.Query.TryGetValue("token", out var token) ? token.ToString() : null)
                // /metrics is read by scrapers, which send a Bearer token like any other program.
                : context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/metrics")
                    ? access.ForApi(context.Connection.RemoteIpAddress, context.Request.Headers.Authorization.FirstOrDefault())
                    // The page only; its script and style are code with no data, public like the frontend's files
                    // (a page cannot pass its ?token= on to the files it loads).
                    : context.Request.Path.Value is "/dashboard" or "/dashboard/"
                        ? access.ForOperatorPage(context.Connection.RemoteIpAddress,
                            context.Request.Query.TryGetValue("token", out var pageToken) ? pageToken.ToString() : null)
                        : AccessDecision.Allowed;
            if (!decision.IsAllowed)
            {
                if (decision.Status == StatusCodes.Status401Unauthorized)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                }
                await RefuseAsync(context, decision.Status, decision.Reason!);
                return;
            }
            await next();
        });
    }

    private static Task RefuseAsync(HttpContext context, int status, string reason)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new ErrorResponse(reason));
    }

    private sealed record ErrorResponse(string Error);
}
