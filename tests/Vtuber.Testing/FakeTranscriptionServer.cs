using System.Buffers.Binary;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vtuber.Testing;

/// <summary>One accepted /v1/audio/transcriptions call: the form fields, the uploaded file and the Authorization header.</summary>
public sealed record TranscriptionRequestRecord(
    IReadOnlyDictionary<string, string> Fields, string FileName, string FileContentType, byte[] File, string Authorization)
{
    /// <summary>The WAV header of the upload: (format tag, channels, sample rate, bits per sample).</summary>
    public (int FormatTag, int Channels, int SampleRate, int BitsPerSample) WavFormat =>
        (BinaryPrimitives.ReadInt16LittleEndian(File.AsSpan(20)), BinaryPrimitives.ReadInt16LittleEndian(File.AsSpan(22)),
         BinaryPrimitives.ReadInt32LittleEndian(File.AsSpan(24)), BinaryPrimitives.ReadInt16LittleEndian(File.AsSpan(34)));
}

/// <summary>
/// An OpenAI-compatible <c>POST /v1/audio/transcriptions</c> server on 127.0.0.1 (the API of OpenAI, Groq and
/// faster-whisper-server). Like the real API it requires multipart/form-data with a <c>file</c> and a <c>model</c>
/// (400 otherwise) and checks the bearer key when one is required; the upload must be a RIFF/WAVE file. It answers
/// <c>{"text": Transcript}</c>.
/// </summary>
public sealed class FakeTranscriptionServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<TranscriptionRequestRecord> _requests = [];
    private int _abortedRequests;

    private FakeTranscriptionServer(WebApplication app) => _app = app;

    /// <summary>The API base, ending in /v1.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public string? RequiredApiKey { get; set; }

    public string Transcript { get; set; } = "hello from the fake transcriber";

    /// <summary>When set, every accepted request is answered with this status and an OpenAI error body.</summary>
    public HttpStatusCode? FailWith { get; set; }

    /// <summary>Held before answering; a client that gives up aborts the wait (counted in <see cref="AbortedRequests"/>).</summary>
    public TimeSpan ResponseDelay { get; set; } = TimeSpan.Zero;

    /// <summary>When set, every upload is accepted and never answered, until the client goes away (counted as aborted).</summary>
    public bool Hangs { get; set; }

    /// <summary>Requests whose client went away while the server was still holding them.</summary>
    public int AbortedRequests => Volatile.Read(ref _abortedRequests);

    public IReadOnlyList<TranscriptionRequestRecord> Requests
    {
        get
        {
            lock (_gate)
                return [.. _requests];
        }
    }

    public static async Task<FakeTranscriptionServer> StartAsync()
    {
        var app = LoopbackServer.Create();
        var server = new FakeTranscriptionServer(app);
        app.MapPost("/v1/audio/transcriptions", server.HandleAsync);
        server.BaseUrl = new Uri(await app.StartLoopbackAsync() + "/v1");
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (RequiredApiKey is { } key && authorization != $"Bearer {key}")
        {
            await WriteErrorAsync(context, HttpStatusCode.Unauthorized, "Incorrect API key provided.");
            return;
        }
        if (!context.Request.HasFormContentType || !(context.Request.ContentType ?? "").StartsWith("multipart/form-data", StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, HttpStatusCode.BadRequest, "Content-Type must be multipart/form-data.");
            return;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var file = form.Files.GetFile("file");
        if (file is null || !form.TryGetValue("model", out var model) || string.IsNullOrEmpty(model))
        {
            await WriteErrorAsync(context, HttpStatusCode.BadRequest, "file and model are required.");
            return;
        }
        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes, context.RequestAborted);
        var upload = bytes.ToArray();
        if (upload.Length < 44 || !upload.AsSpan(0, 4).SequenceEqual("RIFF"u8) || !upload.AsSpan(8, 4).SequenceEqual("WAVE"u8))
        {
            await WriteErrorAsync(context, HttpStatusCode.BadRequest, "The audio file could not be decoded.");
            return;
        }

        lock (_gate)
            _requests.Add(new TranscriptionRequestRecord(
                form.ToDictionary(f => f.Key, f => f.Value.ToString()), file.FileName, file.ContentType, upload, authorization));

        if (Hangs || ResponseDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Hangs ? Timeout.InfiniteTimeSpan : ResponseDelay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _abortedRequests);
                return;
            }
        }
        if (FailWith is { } status)
        {
            await WriteErrorAsync(context, status, "The fake transcription server was told to fail.");
            return;
        }
        await context.Response.WriteAsJsonAsync(new { text = Transcript });
    }

    private static Task WriteErrorAsync(HttpContext context, HttpStatusCode status, string message)
    {
        context.Response.StatusCode = (int)status;
        return context.Response.WriteAsJsonAsync(new { error = new { message, type = "invalid_request_error", param = (string?)null, code = (string?)null } });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
