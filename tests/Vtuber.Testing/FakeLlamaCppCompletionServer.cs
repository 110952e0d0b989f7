using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vtuber.Testing;

/// <summary>
/// llama.cpp server's <c>POST /completion</c> on 127.0.0.1 (what stateless_llm_with_template posts to): a JSON body
/// with prompt, stream, temperature; with stream it answers server-sent events <c>data: {"content", "stop": false,
/// ...}</c> per piece and a final <c>data: {"content": "", "stop": true, "stop_type": "eos", ...}</c>. A request
/// without a string prompt is answered 400 in llama.cpp's error shape. A reply's chunks may contain the template's
/// end-of-turn token as one piece, as a server without the model's stop words would send it.
/// </summary>
public sealed class FakeLlamaCppCompletionServer : FakeChatServer
{
    public const string CompletionPath = "/completion";

    private FakeLlamaCppCompletionServer()
    {
    }

    /// <summary>http://127.0.0.1:port/completion (the provider's base_url).</summary>
    public Uri CompletionUrl => new(Origin, CompletionPath);

    public static async Task<FakeLlamaCppCompletionServer> StartAsync()
    {
        var server = new FakeLlamaCppCompletionServer();
        await server.StartAsync(app => app.MapPost(CompletionPath, context => server.HandleAsync(context,
            (body, aborted) => server.AnswerAsync(context, body, aborted))));
        return server;
    }

    private async Task AnswerAsync(HttpContext context, JsonObject body, CancellationToken aborted)
    {
        if (body["prompt"] is not JsonValue prompt || prompt.GetValueKind() != JsonValueKind.String)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = new { code = 400, message = "\"prompt\" must be a string", type = "invalid_request_error" } }, aborted);
            return;
        }
        var reply = ChooseReply(body);
        if (reply.Hang) await Task.Delay(Timeout.Infinite, aborted);
        if (reply.FailWithStatus is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = new { code = status, message = reply.FailMessage ?? $"fake failure {status}", type = "server_error" } }, aborted);
            return;
        }
        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync(aborted);
        var index = 0;
        var complete = await WriteChunksAsync(context, reply, chunk => EventAsync(context, new
        {
            index = 0, content = chunk, tokens = new[] { index++ }, stop = false, id_slot = 0, tokens_predicted = index, tokens_evaluated = 12,
        }, aborted), aborted);
        if (complete)
            await EventAsync(context, new
            {
                index = 0, content = "", tokens = Array.Empty<int>(), id_slot = 0, stop = true, model = "gpt-3.5-turbo",
                tokens_predicted = index, tokens_evaluated = 12, stop_type = "eos", stopping_word = "", tokens_cached = 11,
            }, aborted);
    }

    private static async Task EventAsync(HttpContext context, object payload, CancellationToken aborted)
    {
        await context.Response.WriteAsync($"data: {JsonSerializer.Serialize(payload)}\n\n", aborted);
        await context.Response.Body.FlushAsync(aborted);
    }
}
