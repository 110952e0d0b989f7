using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;

namespace Vtuber.Testing;

/// <summary>One request a provider fake received: its path, JSON body and headers (names lower-case).</summary>
public sealed record RecordedProviderRequest(string Path, JsonObject Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());
}

/// <summary>
/// The shared part of the provider fakes (Anthropic, Ollama): Kestrel on 127.0.0.1:0, request recording with
/// awaitable arrivals, and the choice of a <see cref="FakeReply"/> (by last user text, then the queue, then the
/// default). A subclass maps its endpoint and writes the reply in its provider's wire format.
/// </summary>
public abstract class FakeChatServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeReply> _script = new();
    private readonly ConcurrentDictionary<string, FakeReply> _byUserText = new();
    private readonly List<RecordedProviderRequest> _requests = [];
    private readonly List<TaskCompletionSource<RecordedProviderRequest>> _arrivals = [];
    private WebApplication _app = null!;
    private int _activeStreams;

    /// <summary>http://127.0.0.1:port (no path).</summary>
    public Uri Origin { get; private set; } = null!;
    public FakeReply DefaultReply { get; set; } = new(["Hello", " from", " the", " fake."]);
    public int ActiveStreams => Volatile.Read(ref _activeStreams);

    public IReadOnlyList<RecordedProviderRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    protected async Task StartAsync(Action<WebApplication> map)
    {
        _app = LoopbackServer.Create();
        map(_app);
        Origin = new Uri(await _app.StartLoopbackAsync());
    }

    public void Enqueue(FakeReply reply) => _script.Enqueue(reply);

    /// <summary>Answers any request whose last user message text is exactly <paramref name="userText"/> with this reply.</summary>
    public void ReplyTo(string userText, FakeReply reply) => _byUserText[userText] = reply;

    public Task<RecordedProviderRequest> WaitForRequestAsync(int index, TimeSpan timeout)
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
        GC.SuppressFinalize(this);
    }

    /// <summary>Reads and records the request, then lets <paramref name="answer"/> write the reply.</summary>
    protected async Task HandleAsync(HttpContext context, Func<JsonObject, CancellationToken, Task> answer)
    {
        var aborted = context.RequestAborted;
        Interlocked.Increment(ref _activeStreams);
        try
        {
            var body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: aborted))!.AsObject();
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            var recorded = new RecordedProviderRequest(context.Request.Path, body, headers);
            lock (_requests)
            {
                Arrival(_requests.Count).SetResult(recorded);
                _requests.Add(recorded);
            }
            await answer(body, aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away (cancelled turn, timeout): nothing more to send.
        }
        finally
        {
            Interlocked.Decrement(ref _activeStreams);
        }
    }

    /// <summary>The text of the last user message; content is a string or a list of typed parts.</summary>
    protected static string? LastUserText(JsonObject body)
    {
        var user = body["messages"]?.AsArray().LastOrDefault(m => (string?)m?["role"] == "user");
        return user?["content"] switch
        {
            JsonValue value => (string?)value,
            JsonArray parts => string.Concat(parts.Where(p => (string?)p?["type"] == "text").Select(p => (string?)p?["text"])),
            _ => null,
        };
    }

    /// <summary>Writes the reply's chunks with its delays; false when the reply says to cut or stop early.</summary>
    protected static async Task<bool> WriteChunksAsync(HttpContext context, FakeReply reply,
        Func<string, Task> writeChunk, CancellationToken aborted)
    {
        await Task.Delay(reply.FirstTokenDelay, aborted);
        for (var i = 0; i < reply.Chunks.Count; i++)
        {
            if (i == reply.CutAfterChunks)
            {
                context.Abort();
                return false;
            }
            if (i == reply.StopAfterChunks)
            {
                return false;
            }
            if (i > 0)
            {
                await Task.Delay(reply.ChunkDelay, aborted);
            }
            await writeChunk(reply.Chunks[i]);
        }
        if (reply.CutAfterChunks >= reply.Chunks.Count)
        {
            context.Abort();
            return false;
        }
        return !(reply.StopAfterChunks >= reply.Chunks.Count);
    }

    /// <summary>
    /// How the model answers once it has tool results (the request ends with them): given their texts, in order.
    /// Without it such a request is answered like any other.
    /// </summary>
    public Func<IReadOnlyList<string>, FakeReply>? AnswerToolResults { get; set; }

    /// <summary>The tool results the request ends with, in the provider's wire format; none by default.</summary>
    protected virtual IReadOnlyList<string> ToolResults(JsonObject body) => [];

    /// <summary>The reply for a chat request: tool results, then by last user text, then the queue, then DefaultReply.</summary>
    protected FakeReply ChooseReply(JsonObject body) =>
        AnswerToolResults is { } answer && ToolResults(body) is { Count: > 0 } results ? answer(results)
        : LastUserText(body) is { } text && _byUserText.TryGetValue(text, out var matched) ? matched
        : _script.TryDequeue(out var scripted) ? scripted : DefaultReply;

    private TaskCompletionSource<RecordedProviderRequest> Arrival(int index)
    {
        while (_arrivals.Count <= index)
        {
            _arrivals.Add(new TaskCompletionSource<RecordedProviderRequest>(TaskCreationOptions.RunContinuationsAsynchronously));
        }
        return _arrivals[index];
    }
}
