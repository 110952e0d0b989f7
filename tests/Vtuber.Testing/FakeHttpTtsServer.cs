using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vtuber.Testing;

/// <summary>
/// The plain-HTTP TTS services of OLV on 127.0.0.1, one per <c>Start…Async</c>, each on its real path and wire
/// format, checking what the real service checks (key header, required fields) and answering errors in the
/// service's own shape. Audio is real speech from <see cref="TestAssets"/>, written in small flushed chunks.
/// </summary>
public sealed class FakeHttpTtsServer : IAsyncDisposable
{
    public const string XTtsPath = "/tts_to_audio";
    public const string GptSovitsPath = "/tts";
    public const string SiliconFlowPath = "/v1/audio/speech";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<HttpTtsRequest> _requests = [];

    private FakeHttpTtsServer(WebApplication app) => _app = app;

    /// <summary>http://127.0.0.1:port/ (the engines' base_url; api_url engines add the path).</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The key the service accepts (Bearer, X-API-Key or Ocp-Apim-Subscription-Key, as the service uses).</summary>
    public string RequiredKey { get; set; } = "test-key";

    public int ChunkBytes { get; set; } = 1024;

    /// <summary>Every request the fake took, valid or not, in arrival order.</summary>
    public IReadOnlyList<HttpTtsRequest> Requests
    {
        get
        {
            lock (_gate)
                return [.. _requests];
        }
    }

    /// <summary>xtts-api-server: POST /tts_to_audio, JSON text/speaker_wav/language, a 24 kHz WAV back.</summary>
    public static Task<FakeHttpTtsServer> StartXTtsAsync() => StartAsync(app => app.MapPost(XTtsPath, HandleXTtsAsync));

    /// <summary>GPT-SoVITS api_v2: GET /tts with query parameters; streaming_mode sends a zero-length WAV header first.</summary>
    public static Task<FakeHttpTtsServer> StartGptSovitsAsync() =>
        StartAsync(app => app.MapGet(GptSovitsPath, HandleGptSovitsAsync));

    /// <summary>Fish Audio: POST /v1/tts, Bearer key, JSON (or the SDK's MessagePack, refused here as unreadable).</summary>
    public static Task<FakeHttpTtsServer> StartFishAudioAsync() =>
        StartAsync(app => app.MapPost("/v1/tts", HandleFishAsync));

    /// <summary>SiliconFlow: POST /v1/audio/speech, Bearer key, mp3 / wav / pcm (22050 Hz only here).</summary>
    public static Task<FakeHttpTtsServer> StartSiliconFlowAsync() =>
        StartAsync(app => app.MapPost(SiliconFlowPath, HandleSiliconFlowAsync));

    /// <summary>MiniMax: POST /v1/t2a_v2?GroupId=, Bearer key, SSE of hex MP3; failures are HTTP 200 with base_resp.</summary>
    public static Task<FakeHttpTtsServer> StartMinimaxAsync() =>
        StartAsync(app => app.MapPost("/v1/t2a_v2", HandleMinimaxAsync));

    /// <summary>Cartesia: POST /tts/bytes, X-API-Key and Cartesia-Version; wav (44.1 kHz pcm_f32le) or mp3.</summary>
    public static Task<FakeHttpTtsServer> StartCartesiaAsync() =>
        StartAsync(app => app.MapPost("/tts/bytes", HandleCartesiaAsync));

    /// <summary>Azure Speech: POST /cognitiveservices/v1, SSML, subscription key, riff-24khz-16bit-mono-pcm.</summary>
    public static Task<FakeHttpTtsServer> StartAzureAsync() =>
        StartAsync(app => app.MapPost("/cognitiveservices/v1", HandleAzureAsync));

    private static async Task<FakeHttpTtsServer> StartAsync(Action<FakeHttpTtsServer> map)
    {
        var app = LoopbackServer.Create();
        var server = new FakeHttpTtsServer(app);
        map(server);
        server.BaseUrl = new Uri(await app.StartLoopbackAsync() + "/");
        return server;
    }

    private void MapPost(string path, Func<FakeHttpTtsServer, HttpContext, HttpTtsRequest, Task> handle) =>
        _app.MapPost(path, context => RecordAndHandleAsync(context, handle));

    private void MapGet(string path, Func<FakeHttpTtsServer, HttpContext, HttpTtsRequest, Task> handle) =>
        _app.MapGet(path, context => RecordAndHandleAsync(context, handle));

    private async Task RecordAndHandleAsync(HttpContext context, Func<FakeHttpTtsServer, HttpContext, HttpTtsRequest, Task> handle)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var request = new HttpTtsRequest(context.Request.Method, context.Request.Path,
            context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()),
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body);
        lock (_gate)
            _requests.Add(request);
        await handle(this, context, request);
    }

    private static async Task HandleXTtsAsync(FakeHttpTtsServer server, HttpContext context, HttpTtsRequest request)
    {
        // FastAPI/pydantic: every field of the model is required, 422 with a detail list otherwise.
        if (request.JsonOrNull() is not { } json || RequiredStringMissing(json, "text", "speaker_wav", "language") is not null)
        {
            await WriteJsonAsync(context, HttpStatusCode.UnprocessableEntity,
                new { detail = new[] { new { loc = new[] { "body", "field" }, msg = "field required", type = "value_error.missing" } } });
            return;
        }
        await server.WriteAudioAsync(context, TtsFakeAudio.Wav16(TtsFakeAudio.Resample(TtsFakeAudio.SpeechSamples(), 22050, 24000), 24000), "audio/wav");
    }

    private static async Task HandleGptSovitsAsync(FakeHttpTtsServer server, HttpContext context, HttpTtsRequest request)
    {
        // api_v2's check_params: these are required, media_type must be one it can make; 400 {"message": ...}.
        foreach (var key in new[] { "text", "text_lang", "ref_audio_path", "prompt_lang" })
            if (!request.Query.TryGetValue(key, out var value) || value.Length == 0)
            {
                await WriteJsonAsync(context, HttpStatusCode.BadRequest, new { message = $"{key} is required" });
                return;
            }
        var mediaType = request.Query.GetValueOrDefault("media_type", "wav");
        if (mediaType is not ("wav" or "raw" or "ogg" or "aac"))
        {
            await WriteJsonAsync(context, HttpStatusCode.BadRequest, new { message = $"media_type: {mediaType} is not supported" });
            return;
        }
        var samples = TtsFakeAudio.SpeechSamples();
        var streaming = request.Query.GetValueOrDefault("streaming_mode", "false").ToLowerInvariant() is "true" or "1";
        var wav = streaming ? TtsFakeAudio.StreamedWav16(samples, 22050) : TtsFakeAudio.Wav16(samples, 22050);
        await server.WriteAudioAsync(context, wav, "audio/wav");
    }

    private static async Task HandleFishAsync(FakeHttpTtsServer server, HttpContext context, HttpTtsRequest request)
    {
        if (request.Headers.GetValueOrDefault("Authorization") != $"Bearer {server.RequiredKey}")
        {
            await WriteJsonAsync(context, HttpStatusCode.Unauthorized, new { status = 401, message = "Invalid api key" });
            return;
        }
        if (!request.Headers.GetValueOrDefault("Content-Type", "").StartsWith("application/json", StringComparison.Ordinal) ||
            request.JsonOrNull() is not { } json || RequiredStringMissing(json, "text") is not null)
        {
            await WriteJsonAsync(context, HttpStatusCode.UnprocessableEntity,
                new { status = 422, message = "text is required (application/json or application/msgpack)" });
            return;
        }
        var format = json.TryGetProperty("format", out var f) ? f.GetString() : "mp3";
        if (format != "mp3")
        {
            await WriteJsonAsync(context, HttpStatusCode.BadRequest, new { status = 400, message = $"this fake serves mp3, not {format}" });
            return;
        }
        await server.WriteAudioAsync(context, TestAssets.Read(TestAssets.SpeechMp3), "audio/mpeg");
    }

    private static async Task HandleSiliconFlowAsync(FakeHttpTtsServer server, HttpContext context, HttpTtsRequest request)
    {
        if (request.Headers.GetValueOrDefault("Authorization") != $"Bearer {server.RequiredKey}")
        {
            context.Response.StatusCode = (int)HttpStatusCode.Unauthorized;
            await context.Response.WriteAsync("\"Invalid token\"");
            return;
        }
        if (request.JsonOrNull() is not { } json || RequiredStringMissing(json, "model", "input", "voice") is not null)
        {
            await WriteJsonAsync(context, HttpStatusCode.BadRequest, new { code = 20015, message = "model, input and voice are required", data = (object?)null });
            return;
        }
        var format = json.TryGetProperty("response_format", out var f) ? f.GetString() : "mp3";
        var rate = json.TryGetProperty("sample_rate", out var r) ? r.GetInt32() : 44100;
        switch (format)
        {
            case "mp3":
                await server.WriteAudioAsync(context, TestAssets.Read(TestAssets.SpeechMp3), "audio/mpeg");
                break;
            case "wav":
                await server.WriteAudioAsync(context, TestAssets.Read(TestAssets.SpeechWav), "audio/wav");
                break;
            case "pcm" when rate == 22050:
                await server.WriteAudioAsync(context, FakeElevenLabsServer.SpeechPcm22050(), "audio/pcm");
                break;
            default:
                await WriteJsonAsync(context, HttpStatusCode.BadRequest, new { code = 20015, message = $"this fake serves mp3, wav, pcm at 22050 Hz; not {format} at {rate}", data = (object?)null });
                break;
        }
    }

    private static async Task HandleMinimaxAsync(FakeHttpTtsServer server, HttpContext context, HttpTtsRequest request)
    {
        // MiniMax answers its errors with HTTP 200 and a base_resp status.
        if (request.Headers.GetValueOrDefault("Authorization") != $"Bearer {server.RequiredKey}")
        {
            await WriteJsonAsync(context, HttpStatusCode.OK, new { base_resp = new { status_code = 1004, status_msg = "login fail: Please carry the API secret key in the 'Authorization' field of the request header" } });
            return;
        }
        if (!request.Query.TryGetValue("GroupId", out var group) || group.Length == 0 ||
            request.JsonOrNull() is not { } json || RequiredStringMissing(json, "model", "text") is not null ||
            !json.TryGetProperty("voice_setting", out var voice) || voice.ValueKind != JsonValueKind.Object)
        {
            await WriteJsonAsync(context, HttpStatusCode.OK, new { base_resp = new { status_code = 2013, status_msg = "invalid params: GroupId, model, text and voice_setting are required" } });
            return;
        }
        var mp3 = TestAssets.Read(TestAssets.SpeechMp3);
        context.Response.ContentType = "text/event-stream";
        for (var offset = 0; offset < mp3.Length; offset += server.ChunkBytes)
        {
            var chunk = mp3.AsSpan(offset, Math.Min(server.ChunkBytes, mp3.Length - offset));
            await WriteEventAsync(context, new { data = new { audio = Convert.ToHexStringLower(chunk), status = 1, ced = "" }, trace_id = "fake", base_resp = new { status_code = 0, status_msg = "" } });
        }
        // The closing event repeats the whole audio beside extra_info.
        await WriteEventAsync(context, new
        {
            data = new { audio = Convert.ToHexStringLower(mp3), status = 2, ced = "" },
            extra_info = new { audio_length = 1432, audio_sample_rate = 32000, audio_size = mp3.Length, bitrate = 128000, audio_format = "mp3", audio_channel = 1 },
            trace_id = "fake",
            base_resp = new { status_code = 0, status_msg = "success" },
        });
    }

    private static async Task HandleCartesiaAsync(FakeHttpTtsServer server, HttpContext context, HttpTtsRequest request)
    {
        if (request.Headers.GetValueOrDefault("X-API-Key") != server.RequiredKey)
        {
            await WriteJsonAsync(context, HttpStatusCode.Unauthorized, new { error = "Invalid API key" });
            return;
        }
        if (!request.Headers.TryGetValue("Cartesia-Version", out var version) || version.Length == 0)
        {
            await WriteJsonAsync(context, HttpStatusCode.BadRequest, new { error = "Cartesia-Version header is required" });
            return;
        }
        if (request.JsonOrNull() is not { } json || RequiredStringMissing(json, "model_id", "transcript") is not null ||
            !json.TryGetProperty("voice", out var voice) || voice.ValueKind != JsonValueKind.Object ||
            !json.TryGetProperty("output_format", out var output) || output.ValueKind != JsonValueKind.Object)
        {
            await WriteJsonAsync(context, HttpStatusCode.BadRequest, new { error = "model_id, transcript, voice and output_format are required" });
            return;
        }
        switch (output.TryGetProperty("container", out var c) ? c.GetString() : null)
        {
            case "wav" when output.TryGetProperty("encoding", out var e) && e.GetString() == "pcm_f32le":
                var rate = output.GetProperty("sample_rate").GetInt32();
                var samples = TtsFakeAudio.Resample(TtsFakeAudio.SpeechSamples(), 22050, rate);
                await server.WriteAudioAsync(context, TtsFakeAudio.WavFloat32(samples, rate), "audio/wav");
                break;
            case "mp3":
                await server.WriteAudioAsync(context, TestAssets.Read(TestAssets.SpeechMp3), "audio/mpeg");
                break;
            default:
                await WriteJsonAsync(context, HttpStatusCode.BadRequest, new { error = "this fake serves wav pcm_f32le and mp3" });
                break;
        }
    }

    private static async Task HandleAzureAsync(FakeHttpTtsServer server, HttpContext context, HttpTtsRequest request)
    {
        // Azure answers a wrong key with 401 and an empty body, bad SSML or format with 400.
        if (request.Headers.GetValueOrDefault("Ocp-Apim-Subscription-Key") != server.RequiredKey)
        {
            context.Response.StatusCode = (int)HttpStatusCode.Unauthorized;
            return;
        }
        if (request.Headers.GetValueOrDefault("X-Microsoft-OutputFormat") != "riff-24khz-16bit-mono-pcm" ||
            !request.Headers.GetValueOrDefault("Content-Type", "").StartsWith("application/ssml+xml", StringComparison.Ordinal) ||
            request.SsmlVoiceOrNull() is null)
        {
            context.Response.StatusCode = (int)HttpStatusCode.BadRequest;
            return;
        }
        var samples = TtsFakeAudio.Resample(TtsFakeAudio.SpeechSamples(), 22050, 24000);
        await server.WriteAudioAsync(context, TtsFakeAudio.Wav16(samples, 24000), "audio/x-wav");
    }

    private static string? RequiredStringMissing(JsonElement json, params string[] keys) =>
        json.ValueKind != JsonValueKind.Object
            ? keys[0]
            : keys.FirstOrDefault(k => !json.TryGetProperty(k, out var v) || v.ValueKind != JsonValueKind.String ||
                                       string.IsNullOrEmpty(v.GetString()));

    private async Task WriteAudioAsync(HttpContext context, byte[] audio, string contentType)
    {
        context.Response.ContentType = contentType;
        for (var offset = 0; offset < audio.Length; offset += ChunkBytes)
        {
            await context.Response.Body.WriteAsync(audio.AsMemory(offset, Math.Min(ChunkBytes, audio.Length - offset)), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private static async Task WriteEventAsync(HttpContext context, object payload)
    {
        await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(payload)}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static Task WriteJsonAsync(HttpContext context, HttpStatusCode status, object body)
    {
        context.Response.StatusCode = (int)status;
        return context.Response.WriteAsJsonAsync(body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request as the fake received it: method, path, query, headers (case-insensitive) and body text.</summary>
public sealed record HttpTtsRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query,
                                    IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement? JsonOrNull()
    {
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The voice name of the SSML body (speak/voice/@name), or null when the body is not such SSML.</summary>
    public string? SsmlVoiceOrNull()
    {
        try
        {
            var speak = XElement.Parse(Body);
            XNamespace ssml = "http://www.w3.org/2001/10/synthesis";
            return speak.Name == ssml + "speak" ? (string?)speak.Element(ssml + "voice")?.Attribute("name") : null;
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }
}

/// <summary>The fakes' audio: speech.wav's samples, resampled and written in the formats the services send.</summary>
public static class TtsFakeAudio
{
    public static short[] SpeechSamples()
    {
        var pcm = FakeElevenLabsServer.SpeechPcm22050();
        var samples = new short[pcm.Length / 2];
        Buffer.BlockCopy(pcm, 0, samples, 0, samples.Length * 2);
        return samples;
    }

    /// <summary>Linear interpolation: enough for a fake that must answer at the rate it was asked for.</summary>
    public static short[] Resample(short[] samples, int fromRate, int toRate)
    {
        var length = (int)((long)samples.Length * toRate / fromRate);
        var result = new short[length];
        for (var i = 0; i < length; i++)
        {
            var position = (double)i * fromRate / toRate;
            var left = (int)position;
            var right = Math.Min(left + 1, samples.Length - 1);
            result[i] = (short)Math.Round(samples[left] + (samples[right] - samples[left]) * (position - left));
        }
        return result;
    }

    public static byte[] Wav16(short[] samples, int rate) => Wav(1, 16, rate, samples.Length * 2, w =>
    {
        foreach (var s in samples) w.Write(s);
    });

    /// <summary>A WAV as GPT-SoVITS streams it: the header is written before the length is known (0), then the samples.</summary>
    public static byte[] StreamedWav16(short[] samples, int rate)
    {
        var wav = Wav16(samples, rate);
        BitConverter.TryWriteBytes(wav.AsSpan(4, 4), 36);
        BitConverter.TryWriteBytes(wav.AsSpan(40, 4), 0);
        return wav;
    }

    public static byte[] WavFloat32(short[] samples, int rate) => Wav(3, 32, rate, samples.Length * 4, w =>
    {
        foreach (var s in samples) w.Write(s / 32768f);
    });

    private static byte[] Wav(short formatTag, short bits, int rate, int dataBytes, Action<BinaryWriter> writeSamples)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream))
        {
            w.Write("RIFF"u8);
            w.Write(36 + dataBytes);
            w.Write("WAVEfmt "u8);
            w.Write(16);
            w.Write(formatTag);
            w.Write((short)1);
            w.Write(rate);
            w.Write(rate * bits / 8);
            w.Write((short)(bits / 8));
            w.Write(bits);
            w.Write("data"u8);
            w.Write(dataBytes);
            writeSamples(w);
        }
        return stream.ToArray();
    }
}
