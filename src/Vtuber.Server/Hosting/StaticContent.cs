using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Vtuber.Domain.Config;

namespace Vtuber.Server.Hosting;

/// <summary>
/// OLV's static mounts (olv-protocol.md 1.3): /live2d-models, /bg, /avatars (images only), /cache and the frontend
/// at /. Every file carries permissive CORS headers and unknown types (.moc3, .onnx, ...) are served, as OLV does.
/// </summary>
public static class StaticContent
{
    private static readonly HashSet<string> AvatarExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".gif", ".svg",
    };

    public static void UseOlvStaticContent(this WebApplication app, SystemConfig system)
    {
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".wasm"] = "application/wasm";
        types.Mappings[".js"] = "application/javascript";
        types.Mappings[".mjs"] = "application/javascript";
        types.Mappings[".json"] = "application/json";
        types.Mappings[".onnx"] = "application/octet-stream";
        types.Mappings[".moc3"] = "application/octet-stream";

        // /avatars serves images only; anything else is refused like OLV does.
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/avatars", out var rest) &&
                rest.HasValue && !AvatarExtensions.Contains(Path.GetExtension(rest.Value)))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("Forbidden file type");
                return;
            }
            await next();
        });

        Mount(app, "/live2d-models", system.Live2dModelsDir, types);
        Mount(app, "/bg", system.BackgroundsDir, types);
        Mount(app, "/avatars", system.AvatarsDir, types);
        Directory.CreateDirectory(system.CacheDir);
        Mount(app, "/cache", system.CacheDir, types);

        // Our own client is always at /app/; at / too when no official frontend is installed (that one keeps / when present).
        var webClient = WebClientDir;
        var hasWebClient = File.Exists(Path.Combine(webClient, "index.html"));
        if (hasWebClient)
        {
            // Its pages load vendor/ and app.js relative to themselves, so /app must end with a slash.
            // (Routing would match /app/ too, so this is a middleware that looks at the exact path.)
            app.Use(async (context, next) =>
            {
                if (context.Request.Path.Value == "/app")
                {
                    context.Response.Redirect("/app/" + context.Request.QueryString);
                    return;
                }
                await next();
            });
            MountWithIndex(app, "/app", webClient, types);
        }

        if (File.Exists(Path.Combine(system.FrontendDir, "index.html")))
        {
            MountWithIndex(app, "", system.FrontendDir, types);
        }
        else if (hasWebClient)
        {
            MountWithIndex(app, "", webClient, types);
        }
        else
        {
            app.MapGet("/", () => Results.Content(MissingFrontendPage(system.FrontendDir), "text/html; charset=utf-8"));
        }
    }

    /// <summary>
    /// The built web client (webclient/dist, copied beside the binaries by the server's MSBuild step).
    /// </summary>
    public static string WebClientDir => Path.Combine(AppContext.BaseDirectory, "webclient");

    private static void MountWithIndex(WebApplication app, string requestPath, string directory, IContentTypeProvider types)
    {
        app.UseDefaultFiles(new DefaultFilesOptions
        {
            RequestPath = requestPath,
            FileProvider = new PhysicalFileProvider(directory),
        });
        Mount(app, requestPath, directory, types);
    }

    private static void Mount(WebApplication app, string requestPath, string directory, IContentTypeProvider types)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = requestPath,
            FileProvider = new PhysicalFileProvider(directory),
            ContentTypeProvider = types,
            ServeUnknownFileTypes = true,
            DefaultContentType = "application/octet-stream",
            OnPrepareResponse = file =>
            {
                var headers = file.Context.Response.Headers;
                headers.AccessControlAllowOrigin = "*";
                headers.AccessControlAllowMethods = "GET, OPTIONS";
                headers.AccessControlAllowHeaders = "*";
            },
        });
    }

    private static string MissingFrontendPage(string frontendDir) => $$"""
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Vtuber.Akka</title></head>
        <body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">
        <h1>Vtuber.Akka is running</h1>
        <p>No frontend is installed. Put the official Open-LLM-VTuber web build (the <code>build</code> branch of
        Open-LLM-VTuber-Web: <code>index.html</code>, <code>assets/</code>, <code>libs/</code>) into
        <code>{{System.Net.WebUtility.HtmlEncode(frontendDir)}}</code> (or set <code>system_config.frontend_dir</code>)
        and reload this page.</p>
        <p>The WebSocket endpoint is <code>/client-ws</code>.</p>
        </body></html>
        """;
}
