using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vtuber.Testing;

/// <summary>A request the fake Azure transcriber received: the key, the locales and the uploaded WAV.</summary>
public sealed record AzureTranscriptionRecord(string Key, IReadOnlyList<string> Locales, byte[] Wav);

/// <summary>
/// Azure Speech's fast transcription endpoint on 127.0.0.1: POST /speechtotext/transcriptions:transcribe with
/// api-version, multipart audio + definition JSON, Ocp-Apim-Subscription-Key; answers Azure's result shape
/// (duration, combinedPhrases, phrases) or Azure's 401 error body for a wrong key.
/// </summary>
public sealed class FakeAzureSpeechServer : IAsyncDisposable
{
    public const string Key = "azure-fake-key";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<AzureTranscriptionRecord> _requests = new();

    private FakeAzureSpeechServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;
    public string Transcript { get; set; } = "hello from azure";
    public IReadOnlyList<AzureTranscriptionRecord> Requests => _requests.ToArray();

    public static async Task<FakeAzureSpeechServer> StartAsync()
    {
        var app = LoopbackServer.Create();
        var server = new FakeAzureSpeechServer(app);
        app.MapPost("/speechtotext/transcriptions:transcribe", server.TranscribeAsync);
        server.BaseUrl = new Uri(await app.StartLoopbackAsync());
        return server;
    }

    private async Task TranscribeAsync(HttpContext context)
    {
        var key = context.Request.Headers["Ocp-Apim-Subscription-Key"].ToString();
        if (key != Key)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { error = new { code = "401", message = "Access denied due to invalid subscription key." } });
            return;
        }
        if (context.Request.Query["api-version"] != "2024-11-15" || !context.Request.HasFormContentType)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new { error = new { code = "InvalidRequest", message = "api-version and a multipart body are required" } });
            return;
        }
        var form = await context.Request.ReadFormAsync();
        var audio = form.Files["audio"];
        var definition = JsonNode.Parse(form["definition"].ToString() is { Length: > 0 } d ? d : "{}")!;
        using var wav = new MemoryStream();
        if (audio is not null) await audio.CopyToAsync(wav);
        _requests.Enqueue(new AzureTranscriptionRecord(key,
            definition["locales"]?.AsArray().Select(l => (string)l!).ToList() ?? [], wav.ToArray()));
        var phrases = Transcript.Length == 0 ? new JsonArray() : new JsonArray(new JsonObject { ["text"] = Transcript });
        await context.Response.WriteAsync(new JsonObject
        {
            ["duration"] = 1000,
            ["combinedPhrases"] = phrases,
            ["phrases"] = Transcript.Length == 0 ? new JsonArray()
                : new JsonArray(new JsonObject { ["text"] = Transcript, ["locale"] = "en-US", ["confidence"] = 0.9 }),
        }.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
