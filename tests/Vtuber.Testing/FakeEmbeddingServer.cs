using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vtuber.Testing;

/// <summary>
/// An OpenAI embeddings server on 127.0.0.1 (real Kestrel): POST /v1/embeddings with "input" a string or a list of
/// strings. Vectors are deterministic bags of words: each lower-cased word adds 1 to the dimension its stable hash
/// picks, so texts sharing words are similar and texts sharing none are orthogonal (unless their words collide).
/// FailWithStatus makes it answer an OpenAI-style error (an outage); Dimensions changes the vectors' length.
/// The vectors come as float arrays, or base64 when the request's encoding_format asks for it (as OpenAI's do).
/// </summary>
public sealed class FakeEmbeddingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;

    private FakeEmbeddingServer(WebApplication app)
    {
        _app = app;
        _app.MapPost("/v1/embeddings", HandleAsync);
    }

    public Uri BaseUrl { get; private set; } = null!;
    public int Dimensions { get; set; } = 256;
    public int? FailWithStatus { get; set; }
    /// <summary>Embedding requests answered so far (errors included).</summary>
    public int RequestCount => Volatile.Read(ref _requests);

    public static async Task<FakeEmbeddingServer> StartAsync()
    {
        var server = new FakeEmbeddingServer(LoopbackServer.Create());
        server.BaseUrl = new Uri(await server._app.StartLoopbackAsync() + "/v1");
        return server;
    }

    /// <summary>The vector this fake gives a text.</summary>
    public static float[] Vector(string text, int dimensions)
    {
        var vector = new float[dimensions];
        foreach (var word in text.ToLowerInvariant().Split((char[])[' ', '\n', '.', ',', '?', '!', ':', '/'],
                     StringSplitOptions.RemoveEmptyEntries))
        {
            // FNV-1a: stable across processes (string.GetHashCode is randomised per process).
            var hash = 2166136261u;
            foreach (var c in word)
            {
                hash = (hash ^ c) * 16777619u;
            }
            vector[hash % (uint)dimensions] += 1;
        }
        return vector;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var body = (await JsonNode.ParseAsync(context.Request.Body))!.AsObject();
        if (FailWithStatus is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["error"] = new JsonObject { ["message"] = $"fake failure {status}", ["type"] = "server_error" },
            });
            return;
        }
        var inputs = body["input"] switch
        {
            JsonArray list => list.Select(i => (string)i!).ToList(),
            var single => [(string)single!],
        };
        // As OpenAI: float arrays unless the client asks for base64 (little-endian float32s; the .NET SDK does).
        var base64 = (string?)body["encoding_format"] == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = Vector(inputs[i], Dimensions);
            var bytes = new byte[vector.Length * sizeof(float)];
            Buffer.BlockCopy(vector, 0, bytes, 0, bytes.Length);
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = base64 ? Convert.ToBase64String(bytes)
                    : new JsonArray(vector.Select(x => (JsonNode)x).ToArray()),
            });
        }
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = (string?)body["model"] ?? "fake-embedding",
            ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["total_tokens"] = 1 },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
