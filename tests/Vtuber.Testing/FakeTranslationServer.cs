using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vtuber.Testing;

/// <summary>
/// The two translation services of translator_config on 127.0.0.1, real HTTP and JSON:
/// DeepLX's DeepL-compatible POST /v2/translate ({"text":[…],"target_lang"} → {"translations":[{"text"}]}) and
/// Tencent TMT's POST / with X-TC-* headers and a TC3-HMAC-SHA256 Authorization, checked against
/// <see cref="TencentSecretKey"/> by the signing function given at start (a bad signature is answered with
/// Tencent's AuthFailure.SignatureFailure error body).
/// </summary>
public sealed class FakeTranslationServer : IAsyncDisposable
{
    public const string TencentSecretId = "AKIDfake";
    public const string TencentSecretKey = "fake-secret-key";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _texts = new();
    private readonly Func<string, string, string, string, long, string> _sign;

    private FakeTranslationServer(WebApplication app, Func<string, string, string, string, long, string> sign)
    {
        _app = app;
        _sign = sign;
    }

    public Uri BaseUrl { get; private set; } = null!;
    public Uri DeepLxEndpoint => new(BaseUrl, "/v2/translate");

    /// <summary>What a translation returns; by default "(LANG) text".</summary>
    public Func<string, string, string> Translate { get; set; } = (text, target) => $"({target}) {text}";

    /// <summary>When set, every request is answered with this status and a JSON error.</summary>
    public int? FailWithStatus { get; set; }

    /// <summary>The texts asked for, in arrival order.</summary>
    public IReadOnlyList<string> Texts => _texts.ToArray();

    /// <param name="sign">The TC3 Authorization for (secretId, secretKey, host, payload, timestamp).</param>
    public static async Task<FakeTranslationServer> StartAsync(Func<string, string, string, string, long, string> sign)
    {
        var app = LoopbackServer.Create();
        var server = new FakeTranslationServer(app, sign);
        app.MapPost("/v2/translate", server.DeepLxAsync);
        app.MapPost("/", server.TencentAsync);
        server.BaseUrl = new Uri(await app.StartLoopbackAsync() + "/");
        return server;
    }

    private async Task DeepLxAsync(HttpContext context)
    {
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!;
        if (FailWithStatus is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { code = status, message = "fake failure" });
            return;
        }
        var target = (string)body["target_lang"]!;
        var translations = new JsonArray();
        foreach (var text in body["text"]!.AsArray().Select(t => (string)t!))
        {
            _texts.Enqueue(text);
            translations.Add(new JsonObject { ["detected_source_language"] = "EN", ["text"] = Translate(text, target) });
        }
        await context.Response.WriteAsync(new JsonObject { ["translations"] = translations }.ToJsonString());
    }

    private async Task TencentAsync(HttpContext context)
    {
        var payload = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        var headers = context.Request.Headers;
        context.Response.ContentType = "application/json";
        if (FailWithStatus is { } status)
        {
            context.Response.StatusCode = status;
            return;
        }
        var timestamp = long.Parse(headers["X-TC-Timestamp"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
        var expected = _sign(TencentSecretId, TencentSecretKey, context.Request.Host.Value!, payload, timestamp);
        if (headers["X-TC-Action"] != "TextTranslate" || headers["X-TC-Version"] != "2018-03-21" ||
            headers.Authorization != expected || headers.ContentType != "application/json; charset=utf-8")
        {
            await context.Response.WriteAsync(Error("AuthFailure.SignatureFailure", "The provided credentials could not be validated."));
            return;
        }
        var body = JsonNode.Parse(payload)!;
        var text = (string)body["SourceText"]!;
        _texts.Enqueue(text);
        await context.Response.WriteAsync(new JsonObject
        {
            ["Response"] = new JsonObject
            {
                ["TargetText"] = Translate(text, (string)body["Target"]!),
                ["Source"] = (string?)body["Source"],
                ["Target"] = (string?)body["Target"],
                ["RequestId"] = Guid.NewGuid().ToString(),
            },
        }.ToJsonString());
    }

    private static string Error(string code, string message) => new JsonObject
    {
        ["Response"] = new JsonObject
        {
            ["Error"] = new JsonObject { ["Code"] = code, ["Message"] = message },
            ["RequestId"] = Guid.NewGuid().ToString(),
        },
    }.ToJsonString();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
