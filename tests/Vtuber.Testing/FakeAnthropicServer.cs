using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vtuber.Testing;

/// <summary>
/// An Anthropic Messages server on 127.0.0.1 (real Kestrel, real SSE): POST /v1/messages with stream=true answers
/// message_start, content_block_start, ping, content_block_delta (text_delta) per chunk, content_block_stop,
/// message_delta (stop_reason end_turn) and message_stop. Auth is x-api-key or Authorization: Bearer (the official
/// C# SDK sends Bearer); without either it answers 401 authentication_error. FailWithStatus answers Anthropic's
/// JSON error; a cut or stopped reply never sends message_stop.
/// </summary>
public sealed class FakeAnthropicServer : FakeChatServer
{
    private FakeAnthropicServer()
    {
    }

    /// <summary>What to configure as claude_llm.base_url (the SDK appends /v1/messages).</summary>
    public Uri BaseUrl => Origin;

    public static async Task<FakeAnthropicServer> StartAsync()
    {
        var server = new FakeAnthropicServer();
        await server.StartAsync(app => app.MapPost("/v1/messages", context => server.HandleAsync(context,
            (body, aborted) => server.AnswerAsync(context, body, aborted))));
        return server;
    }

    private async Task AnswerAsync(HttpContext context, JsonObject body, CancellationToken aborted)
    {
        var headers = context.Request.Headers;
        if (string.IsNullOrEmpty(headers["x-api-key"]) &&
            !headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
        {
            await ErrorAsync(context, 401, "authentication_error", "missing x-api-key or Bearer token", aborted);
            return;
        }
        var reply = ChooseReply(body);
        if (reply.Hang)
        {
            await Task.Delay(Timeout.Infinite, aborted);
        }
        if (reply.FailWithStatus is { } status)
        {
            await ErrorAsync(context, status, "api_error", $"fake failure {status}", aborted);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(aborted);
        var model = (string?)body["model"] ?? "fake-claude";
        await EventAsync(context, "message_start", new
        {
            type = "message_start",
            message = new
            {
                id = $"msg_{Guid.NewGuid():N}", type = "message", role = "assistant", content = Array.Empty<object>(),
                model, stop_reason = (string?)null, stop_sequence = (string?)null,
                usage = new { input_tokens = 10, output_tokens = 1 },
            },
        }, aborted);
        await EventAsync(context, "content_block_start",
            new { type = "content_block_start", index = 0, content_block = new { type = "text", text = "" } }, aborted);
        await EventAsync(context, "ping", new { type = "ping" }, aborted);
        var complete = await WriteChunksAsync(context, reply, chunk => EventAsync(context, "content_block_delta",
            new { type = "content_block_delta", index = 0, delta = new { type = "text_delta", text = chunk } }, aborted), aborted);
        if (!complete)
        {
            return;
        }
        await EventAsync(context, "content_block_stop", new { type = "content_block_stop", index = 0 }, aborted);
        await EventAsync(context, "message_delta", new
        {
            type = "message_delta",
            delta = new { stop_reason = "end_turn", stop_sequence = (string?)null },
            usage = new { output_tokens = reply.Chunks.Count },
        }, aborted);
        await EventAsync(context, "message_stop", new { type = "message_stop" }, aborted);
    }

    private static Task ErrorAsync(HttpContext context, int status, string type, string message, CancellationToken aborted)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { type = "error", error = new { type, message } }, aborted);
    }

    private static async Task EventAsync(HttpContext context, string name, object data, CancellationToken aborted)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data)}\n\n", aborted);
        await context.Response.Body.FlushAsync(aborted);
    }
}
