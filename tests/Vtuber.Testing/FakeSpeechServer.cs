using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vtuber.Testing;

/// <summary>
/// An OpenAI-compatible <c>POST /v1/audio/speech</c> server on 127.0.0.1 (what Kokoro-FastAPI speaks). It validates
/// the JSON body like the real API (400 with an OpenAI error object), records every accepted request, and answers
/// with real audio: <see cref="TestAssets.SpeechWav"/> for "wav", <see cref="TestAssets.SpeechMp3"/> for "mp3".
/// </summary>
public sealed class FakeSpeechServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<SpeechRequestRecord> _requests = [];
    private int _abortedRequests;

    private FakeSpeechServer(WebApplication app) => _app = app;

    /// <summary>The API base, ending in /v1, as OLV's openai_tts base_url.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>When set, requests must carry <c>Authorization: Bearer {key}</c> or get 401.</summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>When set, every request (after being recorded) is answered with this status and an error body.</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>When set, a request whose input text matches is answered with the returned status (null: answer normally).</summary>
    public Func<string, HttpStatusCode?>? FailForInput { get; set; }

    /// <summary>Held before answering; a client that gives up aborts the wait (counted in <see cref="AbortedRequests"/>).</summary>
    public TimeSpan ResponseDelay { get; set; } = TimeSpan.Zero;

    /// <summary>When set, "wav" requests are answered with these bytes instead of <see cref="TestAssets.SpeechWav"/>.</summary>
    public byte[]? WavBody { get; set; }

    /// <summary>
    /// When it returns true for the input text, the request is accepted and never answered: no status, no headers,
    /// until the client goes away (counted in <see cref="AbortedRequests"/>).
    /// </summary>
    public Func<string, bool>? HangForInput { get; set; }

    public IReadOnlyList<SpeechRequestRecord> Requests
    {
        get
        {
            lock (_gate)
                return [.. _requests];
        }
    }

    /// <summary>Requests whose client went away while the server was still holding them.</summary>
    public int AbortedRequests => Volatile.Read(ref _abortedRequests);

    public static async Task<FakeSpeechServer> StartAsync()
    {
        var app = LoopbackServer.Create();
        var server = new FakeSpeechServer(app);
        app.MapPost("/v1/audio/speech", server.HandleSpeechAsync);
        server.BaseUrl = new Uri(await app.StartLoopbackAsync() + "/v1");
        return server;
    }

    private async Task HandleSpeechAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (RequiredApiKey is { } key && authorization != $"Bearer {key}")
        {
            await WriteErrorAsync(context, HttpStatusCode.Unauthorized, "Incorrect API key provided.", "invalid_request_error");
            return;
        }

        if (!context.Request.HasJsonContentType())
        {
            await WriteErrorAsync(context, HttpStatusCode.BadRequest, "Content-Type must be application/json.", "invalid_request_error");
            return;
        }

        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(context, HttpStatusCode.BadRequest, $"Invalid JSON body: {e.Message}", "invalid_request_error");
            return;
        }

        var model = RequiredString(body, "model");
        var voice = RequiredString(body, "voice");
        var input = RequiredString(body, "input");
        // The real API defaults response_format to mp3 when it is absent.
        var responseFormat = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("response_format", out var format)
            ? format.GetString() ?? "mp3"
            : "mp3";
        if (model is null || voice is null || input is null)
        {
            await WriteErrorAsync(context, HttpStatusCode.BadRequest,
                "model, voice and input are required non-empty strings.", "invalid_request_error");
            return;
        }

        lock (_gate)
            _requests.Add(new SpeechRequestRecord(model, voice, input, responseFormat, authorization));

        var hang = HangForInput?.Invoke(input) == true;
        if (hang || ResponseDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(hang ? Timeout.InfiniteTimeSpan : ResponseDelay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _abortedRequests);
                return;
            }
        }

        if ((FailWith ?? FailForInput?.Invoke(input)) is { } status)
        {
            await WriteErrorAsync(context, status, "The fake speech server was told to fail.", "server_error");
            return;
        }

        var (audio, contentType) = responseFormat switch
        {
            "wav" => (WavBody ?? TestAssets.Read(TestAssets.SpeechWav), "audio/wav"),
            "mp3" => (TestAssets.Read(TestAssets.SpeechMp3), "audio/mpeg"),
            _ => (null, null),
        };
        if (audio is null)
        {
            await WriteErrorAsync(context, HttpStatusCode.BadRequest,
                $"response_format '{responseFormat}' is not supported by this server (wav, mp3).", "invalid_request_error");
            return;
        }

        context.Response.ContentType = contentType;
        await context.Response.Body.WriteAsync(audio, context.RequestAborted);
    }

    private static string? RequiredString(JsonElement body, string name) =>
        body.ValueKind == JsonValueKind.Object
        && body.TryGetProperty(name, out var value)
        && value.ValueKind == JsonValueKind.String
        && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static Task WriteErrorAsync(HttpContext context, HttpStatusCode status, string message, string type)
    {
        context.Response.StatusCode = (int)status;
        return context.Response.WriteAsJsonAsync(new { error = new { message, type, param = (string?)null, code = (string?)null } });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One accepted /v1/audio/speech call: the JSON fields and the raw Authorization header.</summary>
public sealed record SpeechRequestRecord(string Model, string Voice, string Input, string ResponseFormat, string Authorization);
