using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vtuber.Testing;

/// <summary>
/// A Gradio 5 web UI on 127.0.0.1 speaking Gradio's HTTP API: <c>GET /gradio_api/info</c> (named endpoints with
/// their parameters and defaults), <c>POST /gradio_api/upload</c> (multipart <c>files</c> → server paths),
/// <c>POST /gradio_api/call/{api}</c> → <c>{"event_id"}</c>, <c>GET /gradio_api/call/{api}/{event_id}</c> (server-sent
/// events: heartbeat, then complete with a FileData list, or error) and <c>GET /gradio_api/file={path}</c>. A call
/// whose data does not match the endpoint's parameters fails as Gradio does: an error event with data null.
/// </summary>
public sealed class FakeGradioServer : IAsyncDisposable
{
    private const string OutputFolder = "/tmp/gradio/0f3c9a";

    private readonly WebApplication _app;
    private readonly IReadOnlyDictionary<string, GradioEndpoint> _endpoints;
    private readonly byte[] _audio;
    private readonly Lock _gate = new();
    private readonly List<GradioCall> _calls = [];
    private readonly List<GradioUpload> _uploads = [];
    private readonly Dictionary<string, (string Api, JsonArray Data)> _pending = [];
    private int _infoRequests;

    private FakeGradioServer(WebApplication app, IReadOnlyDictionary<string, GradioEndpoint> endpoints, byte[] audio)
    {
        _app = app;
        _endpoints = endpoints;
        _audio = audio;
    }

    /// <summary>http://127.0.0.1:port/ (the engine's client_url / api_url).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The WAV every job answers with.</summary>
    public byte[] Audio => _audio;

    /// <summary>When set, every job fails with this message, as a web UI launched with show_error=True reports it.</summary>
    public string? FailWith { get; set; }

    /// <summary>Every call started, with its data as sent.</summary>
    public IReadOnlyList<GradioCall> Calls
    {
        get
        {
            lock (_gate) return [.. _calls];
        }
    }

    public IReadOnlyList<GradioUpload> Uploads
    {
        get
        {
            lock (_gate) return [.. _uploads];
        }
    }

    public int InfoRequests => Volatile.Read(ref _infoRequests);

    /// <summary>CosyVoice's webui.py: generate_audio's ten inputs (stream and speed with defaults); 22.05 kHz WAV out.</summary>
    public static Task<FakeGradioServer> StartCosyVoiceAsync() => StartAsync(new Dictionary<string, GradioEndpoint>
    {
        ["/generate_audio"] = new(
        [
            Required("tts_text"), Required("mode_checkbox_group"), Required("sft_dropdown"), Required("prompt_text"),
            Required("prompt_wav_upload"), Required("prompt_wav_record"), Required("instruct_text"),
            Required("seed"), new GradioParameter("stream", true, JsonValue.Create(false)),
            new GradioParameter("speed", true, JsonValue.Create(1.0)),
        ]),
    }, 22050);

    /// <summary>Spark-TTS's webui.py: /voice_clone and /voice_creation; 16 kHz WAV out.</summary>
    public static Task<FakeGradioServer> StartSparkAsync() => StartAsync(new Dictionary<string, GradioEndpoint>
    {
        ["/voice_clone"] = new([Required("text"), Required("prompt_text"), Required("prompt_wav_upload"), Required("prompt_wav_record")]),
        ["/voice_creation"] = new([Required("text"), Required("gender"), Required("pitch"), Required("speed")]),
    }, 16000);

    private static GradioParameter Required(string name) => new(name, false, null);

    private static async Task<FakeGradioServer> StartAsync(IReadOnlyDictionary<string, GradioEndpoint> endpoints, int rate)
    {
        var app = LoopbackServer.Create();
        var audio = TtsFakeAudio.Wav16(TtsFakeAudio.Resample(TtsFakeAudio.SpeechSamples(), 22050, rate), rate);
        var server = new FakeGradioServer(app, endpoints, audio);
        app.MapGet("/gradio_api/info", server.Info);
        app.MapPost("/gradio_api/upload", (Func<HttpContext, Task<IResult>>)server.UploadAsync);
        app.MapPost("/gradio_api/call/{api}", server.CallAsync);
        app.MapGet("/gradio_api/call/{api}/{eventId}", server.EventsAsync);
        // file={path} shares a path segment with its prefix, which route templates cannot split.
        app.MapGet("/gradio_api/{**rest}", server.FileAsync);
        server.BaseUrl = new Uri(await app.StartLoopbackAsync() + "/");
        return server;
    }

    private IResult Info()
    {
        Interlocked.Increment(ref _infoRequests);
        var named = new JsonObject();
        foreach (var (name, endpoint) in _endpoints)
            named[name] = new JsonObject
            {
                ["parameters"] = new JsonArray([.. endpoint.Parameters.Select(p => (JsonNode)new JsonObject
                {
                    ["label"] = p.Name, ["parameter_name"] = p.Name, ["parameter_has_default"] = p.HasDefault,
                    ["parameter_default"] = p.Default?.DeepClone(), ["component"] = "Textbox",
                    ["python_type"] = new JsonObject { ["type"] = "str", ["description"] = "" },
                })]),
                ["returns"] = new JsonArray(new JsonObject { ["label"] = "合成音频", ["component"] = "Audio" }),
                ["show_api"] = true,
            };
        return Results.Json(new JsonObject { ["named_endpoints"] = named, ["unnamed_endpoints"] = new JsonObject() });
    }

    private async Task<IResult> UploadAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType) return Results.UnprocessableEntity(new { detail = "files are required" });
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var paths = new List<string>();
        foreach (var file in form.Files.Where(f => f.Name == "files"))
        {
            using var copy = new MemoryStream();
            await file.CopyToAsync(copy, context.RequestAborted);
            var path = $"/tmp/gradio/{Guid.NewGuid():N}/{file.FileName}";
            lock (_gate) _uploads.Add(new GradioUpload(file.FileName, path, copy.ToArray()));
            paths.Add(path);
        }
        return paths.Count == 0 ? Results.UnprocessableEntity(new { detail = "files are required" }) : Results.Json(paths);
    }

    private async Task<IResult> CallAsync(HttpContext context, string api)
    {
        if (!_endpoints.ContainsKey("/" + api)) return Results.NotFound(new { detail = "Not Found" });
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return Results.UnprocessableEntity(new { detail = "body is not JSON" });
        }
        if (body?["data"] is not JsonArray data) return Results.UnprocessableEntity(new { detail = "data is required" });
        var eventId = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            _calls.Add(new GradioCall(api, JsonSerializer.SerializeToElement(data)));
            _pending[eventId] = (api, data);
        }
        return Results.Json(new { event_id = eventId });
    }

    private async Task EventsAsync(HttpContext context, string api, string eventId)
    {
        (string Api, JsonArray Data) job;
        lock (_gate)
        {
            if (!_pending.Remove(eventId, out job) || job.Api != api)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
        }
        context.Response.ContentType = "text/event-stream";
        await WriteEventAsync(context, "heartbeat", "null");
        if (FailWith is { } message)
            await WriteEventAsync(context, "error", JsonSerializer.Serialize(message));
        else if (!Matches(_endpoints["/" + api], job.Data))
            await WriteEventAsync(context, "error", "null");
        else
        {
            var path = $"{OutputFolder}/audio.wav";
            var output = new JsonArray(new JsonObject
            {
                ["path"] = path, ["url"] = $"{BaseUrl}gradio_api/file={path}", ["size"] = null,
                ["orig_name"] = "audio.wav", ["mime_type"] = null, ["is_stream"] = false,
                ["meta"] = new JsonObject { ["_type"] = "gradio.FileData" },
            });
            await WriteEventAsync(context, "generating", "null");
            await WriteEventAsync(context, "complete", output.ToJsonString());
        }
    }

    /// <summary>One value per parameter; file inputs are null or FileData naming a URL or an upload of this server.</summary>
    private bool Matches(GradioEndpoint endpoint, JsonArray data)
    {
        if (data.Count != endpoint.Parameters.Count) return false;
        for (var i = 0; i < data.Count; i++)
        {
            if (!endpoint.Parameters[i].Name.StartsWith("prompt_wav", StringComparison.Ordinal) || data[i] is null) continue;
            if (data[i] is not JsonObject file || file["meta"]?["_type"]?.GetValue<string>() != "gradio.FileData" ||
                file["path"]?.GetValue<string>() is not { } path)
                return false;
            lock (_gate)
                if (!path.StartsWith("http", StringComparison.Ordinal) && _uploads.All(u => u.ServerPath != path))
                    return false;
        }
        return true;
    }

    private async Task FileAsync(HttpContext context, string rest)
    {
        if (rest != $"file={OutputFolder}/audio.wav")
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        context.Response.ContentType = "audio/wav";
        for (var offset = 0; offset < _audio.Length; offset += 4096)
        {
            await context.Response.Body.WriteAsync(_audio.AsMemory(offset, Math.Min(4096, _audio.Length - offset)), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string name, string data)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {data}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record GradioParameter(string Name, bool HasDefault, JsonNode? Default);

public sealed record GradioEndpoint(IReadOnlyList<GradioParameter> Parameters);

/// <summary>One job as started: the endpoint (without its slash) and the data array.</summary>
public sealed record GradioCall(string Api, JsonElement Data);

public sealed record GradioUpload(string FileName, string ServerPath, byte[] Bytes);
