using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Vtuber.Testing;

/// <summary>
/// How the fake answers one chat completion. Chunks are the content deltas. FailWithStatus answers with an
/// OpenAI-style JSON error instead; CutAfterChunks aborts the connection after that many chunks (a reset: chunks
/// still in flight may be lost); StopAfterChunks ends the body cleanly after that many chunks but without the
/// finish chunk and [DONE]; Hang answers nothing until the client goes away. ToolCalls follow the chunks as
/// streamed tool-call deltas (OpenAI: finish_reason tool_calls; Anthropic: tool_use blocks, stop_reason tool_use).
/// </summary>
public sealed record FakeReply(IReadOnlyList<string> Chunks)
{
    public IReadOnlyList<FakeToolCall> ToolCalls { get; init; } = [];
    public TimeSpan FirstTokenDelay { get; init; }
    public TimeSpan ChunkDelay { get; init; }
    public int? FailWithStatus { get; init; }
    /// <summary>The error message of a FailWithStatus answer (default "fake failure &lt;status&gt;").</summary>
    public string? FailMessage { get; init; }
    public int? CutAfterChunks { get; init; }
    public int? StopAfterChunks { get; init; }
    public bool Hang { get; init; }
}

/// <summary>A tool call the fake model makes: ArgumentsJson is sent as is (it may be broken JSON on purpose).</summary>
public sealed record FakeToolCall(string Id, string Name, string ArgumentsJson);

/// <summary>One request the fake received: its JSON body and its Authorization header.</summary>
public sealed record RecordedChatRequest(JsonObject Body, string? Authorization)
{
    /// <summary>body.messages, for assertions.</summary>
    public JsonArray Messages => Body["messages"]!.AsArray();
}

/// <summary>
/// An OpenAI Chat Completions server on 127.0.0.1 (real Kestrel, real SSE): POST /v1/chat/completions with
/// stream=true. Replies come from a queue, then DefaultReply. Serves many concurrent streams (benchmarks).
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeReply> _script = new();
    private readonly ConcurrentDictionary<string, FakeReply> _byUserText = new();
    private readonly List<RecordedChatRequest> _requests = [];
    // Index i completes when the i-th request (0-based) has been recorded.
    private readonly List<TaskCompletionSource<RecordedChatRequest>> _arrivals = [];
    private int _activeStreams;

    private FakeOpenAiServer(WebApplication app)
    {
        _app = app;
        _app.MapPost("/v1/chat/completions", HandleAsync);
    }

    public Uri BaseUrl { get; private set; } = null!;
    public FakeReply DefaultReply { get; set; } = new(["Hello", " from", " the", " fake."]);

    /// <summary>
    /// Whether requests are kept for <see cref="Requests"/> and <see cref="WaitForRequestAsync"/> (default true).
    /// Benchmarks turn it off: a long run would keep every request body it was sent.
    /// </summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>
    /// How the model answers once it has tool results (the request ends with tool messages): given their contents,
    /// in order. Without it such a request is answered like any other.
    /// </summary>
    public Func<IReadOnlyList<string>, FakeReply>? AnswerToolResults { get; set; }

    /// <summary>
    /// Answers a request from its content before anything else (ReplyTo, the queue): a null answer leaves it to them.
    /// Tests use it for requests the server makes on its own, such as rolling summaries.
    /// </summary>
    public Func<RecordedChatRequest, FakeReply?>? Answer { get; set; }

    /// <summary>Requests currently being answered (including hanging ones).</summary>
    public int ActiveStreams => Volatile.Read(ref _activeStreams);

    public IReadOnlyList<RecordedChatRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    public static async Task<FakeOpenAiServer> StartAsync()
    {
        var server = new FakeOpenAiServer(LoopbackServer.Create());
        server.BaseUrl = new Uri(await server._app.StartLoopbackAsync() + "/v1");
        return server;
    }

    public void Enqueue(FakeReply reply) => _script.Enqueue(reply);

    /// <summary>
    /// Answers any request whose last user message is exactly <paramref name="userText"/> with this reply (before the
    /// queue): tests sharing one fake stay independent of each other's order.
    /// </summary>
    public void ReplyTo(string userText, FakeReply reply) => _byUserText[userText] = reply;

    public Task<RecordedChatRequest> WaitForRequestAsync(int index, TimeSpan timeout)
    {
        lock (_requests)
        {
            return Arrival(index).Task.WaitAsync(timeout);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string? LastUserText(JsonObject body)
    {
        var user = body["messages"]?.AsArray().LastOrDefault(m => (string?)m?["role"] == "user");
        return user?["content"] switch
        {
            JsonValue value => (string?)value,
            JsonArray parts => string.Concat(parts.Where(p => (string?)p?["type"] == "text").Select(p => (string?)p?["text"])),
            _ => null,
        };
    }

    // The tool messages at the end of the conversation: the results of the calls the model just made.
    private static List<string> ToolResults(JsonObject body) =>
        body["messages"]!.AsArray().Reverse().TakeWhile(m => (string?)m?["role"] == "tool")
            .Select(m => (string?)m!["content"] ?? "").Reverse().ToList();

    private TaskCompletionSource<RecordedChatRequest> Arrival(int index)
    {
        while (_arrivals.Count <= index)
        {
            _arrivals.Add(new TaskCompletionSource<RecordedChatRequest>(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        return _arrivals[index];
    }

    private async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        Interlocked.Increment(ref _activeStreams);
        try
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: aborted))!.AsObject();
            if (RecordRequests)
            {
                var recorded = new RecordedChatRequest(body, context.Request.Headers.Authorization.FirstOrDefault());
                lock (_requests)
                {
                    Arrival(_requests.Count).SetResult(recorded);
                    _requests.Add(recorded);
                }
            }
            var reply = Answer?.Invoke(new RecordedChatRequest(body, context.Request.Headers.Authorization.FirstOrDefault())) is { } answered
                ? answered
                : AnswerToolResults is { } answer && ToolResults(body) is { Count: > 0 } results ? answer(results)
                : LastUserText(body) is { } text && _byUserText.TryGetValue(text, out var matched) ? matched
                : _script.TryDequeue(out var scripted) ? scripted : DefaultReply;
            await AnswerAsync(context, reply, body["model"]?.GetValue<string>() ?? "fake-model", aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away (cancelled turn): nothing more to send.
        }
        finally
        {
            Interlocked.Decrement(ref _activeStreams);
        }
    }

    private static async Task AnswerAsync(HttpContext context, FakeReply reply, string model, CancellationToken aborted)
    {
        if (reply.Hang)
        {
            await Task.Delay(Timeout.Infinite, aborted);
        }
        if (reply.FailWithStatus is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new
            {
                error = new { message = reply.FailMessage ?? $"fake failure {status}", type = "server_error", param = (string?)null, code = (string?)null },
            }, aborted);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(aborted);
        var id = $"chatcmpl-{Guid.NewGuid():N}";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await Task.Delay(reply.FirstTokenDelay, aborted);
        for (var i = 0; i < reply.Chunks.Count; i++)
        {
            if (i == reply.CutAfterChunks)
            {
                context.Abort();
                return;
            }
            if (i == reply.StopAfterChunks)
            {
                return;
            }
            if (i > 0)
            {
                await Task.Delay(reply.ChunkDelay, aborted);
            }
            await WriteChunkAsync(context, id, created, model, new { role = "assistant", content = reply.Chunks[i] }, null, aborted);
        }
        if (reply.CutAfterChunks >= reply.Chunks.Count)
        {
            context.Abort();
            return;
        }
        if (reply.StopAfterChunks >= reply.Chunks.Count)
        {
            return;
        }
        // Each call as OpenAI streams it: id, type and name first, then the arguments in pieces.
        for (var index = 0; index < reply.ToolCalls.Count; index++)
        {
            var call = reply.ToolCalls[index];
            await WriteChunkAsync(context, id, created, model, new
            {
                tool_calls = new[] { new { index, id = call.Id, type = "function", function = new { name = call.Name, arguments = "" } } },
            }, null, aborted);
            var half = call.ArgumentsJson.Length / 2;
            foreach (var piece in new[] { call.ArgumentsJson[..half], call.ArgumentsJson[half..] })
            {
                await WriteChunkAsync(context, id, created, model,
                    new { tool_calls = new[] { new { index, function = new { arguments = piece } } } }, null, aborted);
            }
        }
        await WriteChunkAsync(context, id, created, model, new { }, reply.ToolCalls.Count > 0 ? "tool_calls" : "stop", aborted);
        await WriteLineAsync(context, "data: [DONE]", aborted);
    }

    private static Task WriteChunkAsync(HttpContext context, string id, long created, string model, object delta,
                                        string? finishReason, CancellationToken aborted)
    {
        var chunk = new
        {
            id,
            @object = "chat.completion.chunk",
            created,
            model,
            choices = new[] { new { index = 0, delta, finish_reason = finishReason } },
        };
        return WriteLineAsync(context, "data: " + JsonSerializer.Serialize(chunk), aborted);
    }

    private static async Task WriteLineAsync(HttpContext context, string line, CancellationToken aborted)
    {
        await context.Response.WriteAsync(line + "\n\n", aborted);
        await context.Response.Body.FlushAsync(aborted);
    }
}
