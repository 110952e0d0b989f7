using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vtuber.Testing;

/// <summary>
/// An Anthropic Messages server on 127.0.0.1 (real Kestrel, real SSE): POST /v1/messages with stream=true answers
/// message_start, content_block_start, ping, content_block_delta (text_delta) per chunk, content_block_stop,
/// message_delta (stop_reason end_turn) and message_stop. A reply's ToolCalls follow as tool_use blocks (input as
/// input_json_delta pieces) with stop_reason tool_use; tool results come back as tool_result blocks. Auth is x-api-key or Authorization: Bearer (the official
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
        await EventAsync(context, "ping", new { type = "ping" }, aborted);
        var index = 0;
        if (reply.Chunks.Count > 0 || reply.ToolCalls.Count == 0)
        {
            await EventAsync(context, "content_block_start",
                new { type = "content_block_start", index, content_block = new { type = "text", text = "" } }, aborted);
            var complete = await WriteChunksAsync(context, reply, chunk => EventAsync(context, "content_block_delta",
                new { type = "content_block_delta", index = 0, delta = new { type = "text_delta", text = chunk } }, aborted), aborted);
            if (!complete)
            {
                return;
            }
            await EventAsync(context, "content_block_stop", new { type = "content_block_stop", index }, aborted);
            index++;
        }
        foreach (var call in reply.ToolCalls)
        {
            await EventAsync(context, "content_block_start", new
            {
                type = "content_block_start", index,
                content_block = new { type = "tool_use", id = call.Id, name = call.Name, input = new { } },
            }, aborted);
            var half = call.ArgumentsJson.Length / 2;
            foreach (var piece in new[] { call.ArgumentsJson[..half], call.ArgumentsJson[half..] })
            {
                await EventAsync(context, "content_block_delta", new
                {
                    type = "content_block_delta", index, delta = new { type = "input_json_delta", partial_json = piece },
                }, aborted);
            }
            await EventAsync(context, "content_block_stop", new { type = "content_block_stop", index }, aborted);
            index++;
        }
        await EventAsync(context, "message_delta", new
        {
            type = "message_delta",
            delta = new { stop_reason = reply.ToolCalls.Count > 0 ? "tool_use" : "end_turn", stop_sequence = (string?)null },
            usage = new { output_tokens = reply.Chunks.Count },
        }, aborted);
        await EventAsync(context, "message_stop", new { type = "message_stop" }, aborted);
    }

    // Anthropic returns tool results in the last user message, as tool_result blocks (content: text or text blocks).
    protected override IReadOnlyList<string> ToolResults(JsonObject body)
    {
        var last = body["messages"]?.AsArray().LastOrDefault();
        if ((string?)last?["role"] != "user" || last["content"] is not JsonArray blocks)
        {
            return [];
        }
        return blocks.Where(b => (string?)b?["type"] == "tool_result").Select(b => b!["content"] switch
        {
            JsonValue text => (string?)text ?? "",
            JsonArray parts => string.Concat(parts.Select(p => (string?)p?["text"])),
            _ => "",
        }).ToList();
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
