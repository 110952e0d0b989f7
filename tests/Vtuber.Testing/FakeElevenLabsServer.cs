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
/// ElevenLabs' streaming text-to-speech endpoint on 127.0.0.1: <c>POST /v1/text-to-speech/{voice_id}/stream
/// ?output_format=…</c> with the <c>xi-api-key</c> header and a JSON body (text, model_id, voice_settings). It
/// answers 401/422 with ElevenLabs' <c>detail</c> errors, and streams real audio in small flushed chunks: any mp3_*
/// format gets <see cref="TestAssets.SpeechMp3"/>, pcm_22050 the samples of <see cref="TestAssets.SpeechWav"/>
/// (headerless s16le), wav_22050 that WAV.
/// </summary>
public sealed class FakeElevenLabsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<ElevenLabsRequestRecord> _requests = [];

    private FakeElevenLabsServer(WebApplication app) => _app = app;

    /// <summary>http://127.0.0.1:port, for elevenlabs_tts.base_url.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public string RequiredApiKey { get; set; } = "xi-test-key";

    public int ChunkBytes { get; set; } = 1024;

    /// <summary>Optional pause before each chunk, to stand in for a network that delivers over time.</summary>
    public TimeSpan ChunkInterval { get; set; }

    public IReadOnlyList<ElevenLabsRequestRecord> Requests
    {
        get
        {
            lock (_gate)
                return [.. _requests];
        }
    }

    public static async Task<FakeElevenLabsServer> StartAsync()
    {
        var app = LoopbackServer.Create();
        var server = new FakeElevenLabsServer(app);
        app.MapPost("/v1/text-to-speech/{voiceId}/stream", server.HandleAsync);
        server.BaseUrl = new Uri(await app.StartLoopbackAsync() + "/");
        return server;
    }

    /// <summary>The data chunk of speech.wav: what pcm_22050 streams.</summary>
    public static byte[] SpeechPcm22050()
    {
        var wav = TestAssets.Read(TestAssets.SpeechWav);
        for (var offset = 12; offset + 8 <= wav.Length;)
        {
            var size = BitConverter.ToInt32(wav, offset + 4);
            if (wav.AsSpan(offset, 4).SequenceEqual("data"u8))
                return wav[(offset + 8)..Math.Min(wav.Length, offset + 8 + size)];
            offset += 8 + size + (size & 1);
        }
        throw new InvalidDataException("speech.wav has no data chunk");
    }

    private async Task HandleAsync(HttpContext context, string voiceId)
    {
        var apiKey = context.Request.Headers["xi-api-key"].ToString();
        if (apiKey != RequiredApiKey)
        {
            await WriteErrorAsync(context, HttpStatusCode.Unauthorized, "invalid_api_key", "Invalid API key");
            return;
        }
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            await WriteErrorAsync(context, HttpStatusCode.UnprocessableEntity, "invalid_json", e.Message);
            return;
        }
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("text", out var text) ||
            text.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(text.GetString()))
        {
            await WriteErrorAsync(context, HttpStatusCode.UnprocessableEntity, "missing_text", "text is required");
            return;
        }
        var outputFormat = context.Request.Query["output_format"].ToString();
        lock (_gate)
            _requests.Add(new ElevenLabsRequestRecord(voiceId, outputFormat, apiKey, body.GetRawText(),
                context.Request.Headers.ContentType.ToString()));

        var (audio, contentType) = outputFormat switch
        {
            _ when outputFormat.StartsWith("mp3_", StringComparison.Ordinal) => (TestAssets.Read(TestAssets.SpeechMp3), "audio/mpeg"),
            "pcm_22050" => (SpeechPcm22050(), "audio/pcm"),
            "wav_22050" => (TestAssets.Read(TestAssets.SpeechWav), "audio/wav"),
            _ => (null, null),
        };
        if (audio is null)
        {
            await WriteErrorAsync(context, HttpStatusCode.BadRequest, "invalid_output_format",
                $"output_format '{outputFormat}' is not served by this fake (mp3_*, pcm_22050, wav_22050)");
            return;
        }
        context.Response.ContentType = contentType;
        for (var offset = 0; offset < audio.Length; offset += ChunkBytes)
        {
            if (ChunkInterval > TimeSpan.Zero)
                await Task.Delay(ChunkInterval, context.RequestAborted);
            await context.Response.Body.WriteAsync(audio.AsMemory(offset, Math.Min(ChunkBytes, audio.Length - offset)),
                context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    private static Task WriteErrorAsync(HttpContext context, HttpStatusCode status, string code, string message)
    {
        context.Response.StatusCode = (int)status;
        return context.Response.WriteAsJsonAsync(new { detail = new { status = code, message } });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One accepted request: the voice id from the path, output_format, xi-api-key, the raw JSON body, Content-Type.</summary>
public sealed record ElevenLabsRequestRecord(string VoiceId, string OutputFormat, string ApiKey, string Body, string ContentType);
