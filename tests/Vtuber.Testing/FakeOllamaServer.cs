using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vtuber.Testing;

/// <summary>
/// Ollama's native chat API on 127.0.0.1 (real Kestrel, real NDJSON): POST /api/chat streams one JSON object per line,
/// {"message":{"role":"assistant","content":…},"done":false} per chunk, then a "done":true line with done_reason
/// "stop". A reply's ToolCalls come as one more chunk with message.tool_calls (arguments as a JSON object, no id, as
/// Ollama sends them); tool results come back as role "tool" messages. A request without messages is Ollama's load/unload call: it answers one done line with done_reason "load"
/// (or "unload" when keep_alive is 0) and records it in <see cref="ModelCalls"/> too. FailWithStatus answers
/// {"error": …}; a cut or stopped reply never sends the done line.
/// </summary>
public sealed class FakeOllamaServer : FakeChatServer
{
    private FakeOllamaServer()
    {
    }

    /// <summary>The server root (what OllamaSharp takes); OLV's templates write it with /v1, which is accepted too.</summary>
    public Uri BaseUrl => Origin;

    /// <summary>The recorded load/unload requests (no messages), in order.</summary>
    public IReadOnlyList<RecordedProviderRequest> ModelCalls =>
        Requests.Where(r => r.Body["messages"] is not JsonArray { Count: > 0 }).ToList();

    /// <summary>The recorded chat requests (with messages), in order.</summary>
    public IReadOnlyList<RecordedProviderRequest> ChatRequests =>
        Requests.Where(r => r.Body["messages"] is JsonArray { Count: > 0 }).ToList();

    public static async Task<FakeOllamaServer> StartAsync()
    {
        var server = new FakeOllamaServer();
        await server.StartAsync(app => app.MapPost("/api/chat", context => server.HandleAsync(context,
            (body, aborted) => server.AnswerAsync(context, body, aborted))));
        return server;
    }

    private async Task AnswerAsync(HttpContext context, JsonObject body, CancellationToken aborted)
    {
        var model = (string?)body["model"] ?? "";
        context.Response.ContentType = "application/x-ndjson";
        if (body["messages"] is not JsonArray { Count: > 0 })
        {
            var unload = body["keep_alive"] is JsonValue keep && (keep.ToString() is "0" or "0s");
            await LineAsync(context, Done(model, unload ? "unload" : "load"), aborted);
            return;
        }
        var reply = ChooseReply(body);
        if (reply.Hang)
        {
            await Task.Delay(Timeout.Infinite, aborted);
        }
        if (reply.FailWithStatus is { } status)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsJsonAsync(new { error = $"fake failure {status}" }, aborted);
            return;
        }
        await context.Response.StartAsync(aborted);
        var complete = await WriteChunksAsync(context, reply, chunk => LineAsync(context, new
        {
            model, created_at = DateTimeOffset.UtcNow.ToString("O"),
            message = new { role = "assistant", content = chunk }, done = false,
        }, aborted), aborted);
        if (complete && reply.ToolCalls.Count > 0)
        {
            await LineAsync(context, new
            {
                model, created_at = DateTimeOffset.UtcNow.ToString("O"),
                message = new
                {
                    role = "assistant", content = "",
                    tool_calls = reply.ToolCalls.Select(call => new
                    {
                        function = new { name = call.Name, arguments = JsonNode.Parse(call.ArgumentsJson) },
                    }).ToArray(),
                },
                done = false,
            }, aborted);
        }
        if (complete)
        {
            await LineAsync(context, Done(model, "stop"), aborted);
        }
    }

    protected override IReadOnlyList<string> ToolResults(JsonObject body) =>
        body["messages"]!.AsArray().Reverse().TakeWhile(m => (string?)m?["role"] == "tool")
            .Select(m => (string?)m!["content"] ?? "").Reverse().ToList();

    private static object Done(string model, string reason) => new
    {
        model, created_at = DateTimeOffset.UtcNow.ToString("O"), message = new { role = "assistant", content = "" },
        done_reason = reason, done = true, total_duration = 1000, load_duration = 100, prompt_eval_count = 10,
        prompt_eval_duration = 100, eval_count = 4, eval_duration = 400,
    };

    private static async Task LineAsync(HttpContext context, object line, CancellationToken aborted)
    {
        await context.Response.WriteAsync(JsonSerializer.Serialize(line) + "\n", aborted);
        await context.Response.Body.FlushAsync(aborted);
    }
}
