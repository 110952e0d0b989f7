using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vtuber.Testing;

/// <summary>
/// A Letta server's <c>POST /v1/agents/{agent_id}/messages/stream</c> on 127.0.0.1 (what letta_client's
/// create_stream calls): server-sent events, a reasoning_message first, then one assistant_message per chunk of the
/// reply (stream_tokens), then stop_reason, usage_statistics and <c>data: [DONE]</c>. An unknown agent id is 404
/// with Letta's detail; a request without messages is 422. A cut or stopped reply never sends [DONE].
/// </summary>
public sealed class FakeLettaServer : FakeChatServer
{
    public const string AgentId = "agent-3f1c9e2a-7b8d-4c5e-9a1b-2d3e4f5a6b7c";

    private FakeLettaServer()
    {
    }

    public static async Task<FakeLettaServer> StartAsync()
    {
        var server = new FakeLettaServer();
        await server.StartAsync(app => app.MapPost("/v1/agents/{agentId}/messages/stream", (HttpContext context, string agentId) =>
            server.HandleAsync(context, (body, aborted) => server.AnswerAsync(context, agentId, body, aborted))));
        return server;
    }

    private async Task AnswerAsync(HttpContext context, string agentId, JsonObject body, CancellationToken aborted)
    {
        if (agentId != AgentId)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            await context.Response.WriteAsJsonAsync(new { detail = $"Agent id={agentId} not found" }, aborted);
            return;
        }
        if (body["messages"] is not JsonArray { Count: > 0 })
        {
            context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            await context.Response.WriteAsJsonAsync(new { detail = "messages: field required" }, aborted);
            return;
        }
        var reply = ChooseReply(body);
        if (reply.Hang) await Task.Delay(Timeout.Infinite, aborted);
        if (reply.FailWithStatus is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { detail = reply.FailMessage ?? $"fake failure {status}" }, aborted);
            return;
        }
        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync(aborted);
        var date = DateTimeOffset.UtcNow.ToString("O");
        await EventAsync(context, new { id = "message-r1", date, message_type = "reasoning_message", reasoning = "The user greets me." }, aborted);
        var complete = await WriteChunksAsync(context, reply, chunk => EventAsync(context,
            new { id = "message-a1", date, message_type = "assistant_message", content = chunk }, aborted), aborted);
        if (!complete) return;
        await EventAsync(context, new { message_type = "stop_reason", stop_reason = "end_turn" }, aborted);
        await EventAsync(context, new { message_type = "usage_statistics", completion_tokens = 12, prompt_tokens = 900, total_tokens = 912, step_count = 1 }, aborted);
        await context.Response.WriteAsync("data: [DONE]\n\n", aborted);
    }

    private static async Task EventAsync(HttpContext context, object payload, CancellationToken aborted)
    {
        await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(payload)}\n\n", aborted);
        await context.Response.Body.FlushAsync(aborted);
    }
}
