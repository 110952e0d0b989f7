using System.Collections.Immutable;
using System.ClientModel;
using System.Net;
using System.Net.Sockets;
using Anthropic.Exceptions;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Vtuber.Agents.Tools;
using Vtuber.Domain.History;

namespace Vtuber.Agents;

/// <summary>
/// OLV's basic_memory_agent (olv-protocol 7.3): a memory of text messages and one streaming LLM call per turn.
/// One instance per session. BeginTurn, CompleteTurn, HandleInterrupt and LoadFromHistory are called by the
/// session actor one at a time; StreamAsync runs on another thread and only sees the immutable ChatRequest.
/// With tools (use_mcpp), the model may call MCP tools natively: Microsoft.Extensions.AI's function-invocation
/// loop runs them between model calls inside one token stream, at most max_tool_rounds rounds of calls per turn;
/// a model that refuses tools gets them in OLV's prompt mode instead.
/// </summary>
public sealed class ChatAgent(IChatClient client, LlmProviderSettings provider, string systemPrompt,
                              AgentTools? tools = null)
{
    private readonly IChatClient _client = tools is null ? client : new FunctionInvokingChatClient(client)
    {
        MaximumIterationsPerRequest = tools.Host.MaxToolRounds,
        // One call at a time, so the statuses of a round come in the order the model asked for the calls.
        AllowConcurrentInvocation = false,
    };

    /// <summary>
    /// Yielded by <see cref="StreamAsync"/> (never as text: real deltas are never empty) when the model stops to call
    /// tools: the text so far is a finished segment, to be spoken while the tools run rather than joined to the answer.
    /// </summary>
    public const string ToolPause = "";

    private const string ImagePlaceholder = "[User provided image(s)]";
    private const string ImagesNote = "\n[User has also provided images]";

    // Immutable so that Memory can hand out snapshots without copying and without locks.
    private ImmutableList<MemoryEntry> _memory = [];
    private bool _interruptHandled;
    // Set by a turn's stream (another thread) when the model refused tools; later turns read it.
    private volatile bool _toolsRefused;

    public string ProviderName => provider.Key;
    public InterruptMethod InterruptMethod => provider.InterruptMethod;
    public IReadOnlyList<MemoryEntry> Memory => _memory;

    /// <summary>
    /// Starts a turn: stores the user's text in memory (unless SkipMemory) and builds the request, which is the
    /// system prompt, the memory before this turn, then the user message with a text part and image parts.
    /// </summary>
    public ChatRequest BeginTurn(UserInput input)
    {
        _interruptHandled = false;
        var images = input.Images.Where(i => i.Data.StartsWith("data:image", StringComparison.Ordinal)).ToList();

        var messages = new List<ChatMessage>(_memory.Count + 2) { new(ChatRole.System, systemPrompt) };
        messages.AddRange(_memory.Select(ToChatMessage));
        messages.Add(new ChatMessage(ChatRole.User, UserContents(input.Text, images)));

        // Memory keeps only text (2.15): images are neither remembered nor written to history.
        var remembered = input.Text.Length > 0 ? input.Text : images.Count > 0 ? ImagePlaceholder : "";
        if (!input.SkipMemory && remembered.Length > 0)
        {
            Add(MemoryEntry.User, remembered);
        }

        var options = new ChatOptions { ModelId = provider.Model, Temperature = (float)provider.Temperature };
        return new ChatRequest(messages, options) { Tools = tools?.Current() ?? [] };
    }

    /// <summary>
    /// The raw text deltas of the reply. Every provider failure becomes an <see cref="LlmProviderException"/>,
    /// including a stream that stops before the provider says it is finished, so a cut reply is never mistaken
    /// for a short one, and a provider that sends no text within the first-token timeout or pauses longer than the
    /// idle timeout. Cancelling <paramref name="ct"/> aborts the HTTP request (OperationCanceledException) and a
    /// running tool call. Each step of a tool call is handed to <paramref name="onToolCall"/> as it happens (awaited
    /// before the call runs and before the model is asked again); text before a tool call stays part of the reply.
    /// </summary>
    public async IAsyncEnumerable<string> StreamAsync(ChatRequest request, [EnumeratorCancellation] CancellationToken ct,
                                                      Func<ToolCallUpdate, CancellationToken, ValueTask>? onToolCall = null)
    {
        if (request.Tools.Count == 0)
        {
            await foreach (var token in ReplyAsync(request, withTools: false, null, ct))
            {
                yield return token;
            }
            yield break;
        }
        if (_toolsRefused)
        {
            await foreach (var token in PromptModeAsync(request, onToolCall, ct))
            {
                yield return token;
            }
            yield break;
        }

        // A model without tool support (Ollama: "<model> does not support tools") refuses the whole request: as OLV
        // does, the agent stops sending tools and asks again in prompt mode, so use_mcpp on such a model still works.
        var refused = false;
        await using (var tokens = ReplyAsync(request, withTools: true, onToolCall, ct).GetAsyncEnumerator(ct))
        {
            var any = false;
            while (true)
            {
                try
                {
                    if (!await tokens.MoveNextAsync())
                    {
                        break;
                    }
                }
                catch (LlmProviderException e) when (!any && RefusesTools(e))
                {
                    refused = true;
                    break;
                }
                any = true;
                yield return tokens.Current;
            }
        }
        if (refused)
        {
            _toolsRefused = true;
            await foreach (var token in PromptModeAsync(request, onToolCall, ct))
            {
                yield return token;
            }
        }
    }

    /// <summary>
    /// Prompt mode (olv-protocol 7.5): the tools are listed in the system prompt and no tools are sent; the reply
    /// is watched for a JSON call, which ends that model call; the call runs (with its statuses) and its result goes
    /// back as a user message. After MaxToolRounds calls the model is asked once more without the listing.
    /// </summary>
    private async IAsyncEnumerable<string> PromptModeAsync(ChatRequest request,
        Func<ToolCallUpdate, CancellationToken, ValueTask>? onToolCall, [EnumeratorCancellation] CancellationToken ct)
    {
        var calls = new TurnToolCalls(update => onToolCall is null ? ValueTask.CompletedTask : onToolCall(update, ct));
        var messages = request.Messages.ToList();
        var system = messages[0].Text; // BeginTurn puts the system prompt first
        for (var round = 0; ; round++)
        {
            var offer = round < tools!.Host.MaxToolRounds;
            messages[0] = new ChatMessage(ChatRole.System,
                offer ? system + PromptMode.Instructions(tools.PromptTemplate, request.Tools) : system);
            var detector = offer ? new JsonCallDetector() : null;
            var said = new System.Text.StringBuilder();
            JsonElement? call = null;
            await foreach (var token in ReplyAsync(request with { Messages = messages.ToList(), Tools = [] }, false, null, ct))
            {
                var text = detector is null ? token : detector.Push(token, out call);
                if (text.Length > 0)
                {
                    said.Append(text);
                    yield return text;
                }
                if (call is not null)
                {
                    break; // ends this model call (the HTTP stream is disposed)
                }
            }
            if (call is not { } written)
            {
                if (detector?.Flush() is { Length: > 0 } rest)
                {
                    yield return rest;
                }
                yield break;
            }
            yield return ToolPause;
            var result = await calls.RunWrittenAsync(request.Tools, written, ct);
            messages.Add(new ChatMessage(ChatRole.Assistant, said + written.GetRawText()));
            messages.Add(new ChatMessage(ChatRole.User, result));
        }
    }

    /// <summary>Whether the provider said the model cannot take tools (OLV matches the same words).</summary>
    private static bool RefusesTools(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            if (e.Message.Contains("does not support tools", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    private async IAsyncEnumerable<string> ReplyAsync(ChatRequest request, bool withTools,
        Func<ToolCallUpdate, CancellationToken, ValueTask>? onToolCall, [EnumeratorCancellation] CancellationToken ct)
    {
        // Cancelled by the caller or by the deadline; the deadline is paused while the consumer holds a delta, so a
        // backpressuring turn (slow TTS, slow socket) is never taken for a stalled provider.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(provider.FirstTokenTimeout);
        var finished = false;
        var started = false;
        var options = request.Options;
        TurnToolCalls? calls = null;
        if (withTools)
        {
            calls = new TurnToolCalls(async update =>
            {
                // A running tool is not a silent provider: the deadline waits for it (the call has its own timeout).
                deadline.CancelAfter(update.Status == ToolCallPhase.Running ? Timeout.InfiniteTimeSpan
                    : started ? provider.IdleTimeout : provider.FirstTokenTimeout);
                if (onToolCall is not null)
                {
                    await onToolCall(update, ct);
                }
            });
            options = options.Clone();
            options.Tools = calls.Functions(request.Tools);
        }
        var updates = (withTools ? _client : client).GetStreamingResponseAsync(request.Messages, options, deadline.Token)
            .GetAsyncEnumerator(deadline.Token);
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        break;
                    }
                    update = updates.Current;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e) when (ct.IsCancellationRequested)
                {
                    // Some clients surface an aborted read as an I/O error rather than a cancellation.
                    throw new OperationCanceledException("the turn was cancelled", e, ct);
                }
                catch (Exception e) when (deadline.IsCancellationRequested)
                {
                    throw new LlmProviderException(provider.Key, TimedOut(started), e);
                }
                catch (Exception e)
                {
                    throw new LlmProviderException(provider.Key, Describe(e), e);
                }

                if (calls is not null)
                {
                    await calls.ObserveAsync(update);
                    if (update.Contents.Any(content => content is FunctionCallContent))
                    {
                        yield return ToolPause;
                    }
                }

                // Every provider ends a reply with a finish reason (OpenAI finish_reason, Anthropic stop_reason,
                // Ollama done); without it the stream was cut (a proxy timeout, a crashed server) even if the body
                // ended cleanly.
                finished |= update.FinishReason is not null;
                var text = update.Text;
                if (text.Length > 0)
                {
                    started = true;
                    deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                    yield return text;
                }
                if (started)
                {
                    deadline.CancelAfter(provider.IdleTimeout);
                }
            }
            if (!finished)
            {
                // A client may end its enumeration quietly when its read is aborted: say why it ended.
                ct.ThrowIfCancellationRequested();
                throw new LlmProviderException(provider.Key,
                    deadline.IsCancellationRequested ? TimedOut(started) : "stream ended unexpectedly");
            }
        }
        finally
        {
            await updates.DisposeAsync();
        }
    }

    private string TimedOut(bool started) => started
        ? $"no data for {provider.IdleTimeout.TotalSeconds:0.###} s (idle timeout)"
        : $"no reply within {provider.FirstTokenTimeout.TotalSeconds:0.###} s (first-token timeout)";

    /// <summary>Stores the full raw LLM text of a finished turn (tags included), as OLV does.</summary>
    public void CompleteTurn(string rawReply)
    {
        if (!string.IsNullOrWhiteSpace(rawReply))
        {
            Add(MemoryEntry.Assistant, rawReply);
        }
    }

    /// <summary>
    /// Records what the user heard before interrupting (2.9 step 2). Runs at most once per turn: the frontend may
    /// interrupt several times (button, speech, typing) before the next turn starts.
    /// </summary>
    public void HandleInterrupt(string heard)
    {
        if (_interruptHandled)
        {
            return;
        }
        _interruptHandled = true;

        if (_memory.Count > 0 && _memory[^1].Role == MemoryEntry.Assistant)
        {
            // The turn had already completed: what was stored is more than the user heard.
            _memory = _memory.SetItem(_memory.Count - 1, new MemoryEntry(MemoryEntry.Assistant, heard + "..."));
        }
        else if (heard.Length > 0)
        {
            Add(MemoryEntry.Assistant, heard + "...");
        }
        Add(InterruptRole, ChatRecord.InterruptedMarker);
    }

    /// <summary>
    /// Replaces memory with a stored chat history (OLV set_memory_from_history). Decision: OLV turns every non-human
    /// record into an assistant message, so its own interrupt marker comes back as something the AI "said". We map
    /// human → user, ai → assistant, the "[Interrupted by user]" system record → the role a live interrupt writes
    /// (system or user per interrupt_method), any other system record → system. So a reloaded conversation is the
    /// same one the model saw live. Metadata records and empty contents are skipped; names and avatars dropped.
    /// </summary>
    public void LoadFromHistory(IEnumerable<ChatRecord> records)
    {
        var entries = ImmutableList.CreateBuilder<MemoryEntry>();
        foreach (var record in records)
        {
            if (record.Content.Length == 0)
            {
                continue;
            }
            var role = record.Role switch
            {
                ChatRecord.Human => MemoryEntry.User,
                ChatRecord.Ai => MemoryEntry.Assistant,
                ChatRecord.System when record.Content == ChatRecord.InterruptedMarker => InterruptRole,
                ChatRecord.System => MemoryEntry.System,
                _ => null,
            };
            if (role is not null)
            {
                entries.Add(new MemoryEntry(role, record.Content));
            }
        }
        _memory = entries.ToImmutable();
    }

    private string InterruptRole => provider.InterruptMethod == InterruptMethod.System ? MemoryEntry.System : MemoryEntry.User;

    // OLV's _add_message: an entry identical to the last one (same role and content) is not added again.
    private void Add(string role, string content)
    {
        var entry = new MemoryEntry(role, content);
        if (_memory.Count == 0 || _memory[^1] != entry)
        {
            _memory = _memory.Add(entry);
        }
    }

    private static ChatMessage ToChatMessage(MemoryEntry entry) => new(new ChatRole(entry.Role), entry.Content);

    private static List<AIContent> UserContents(string text, List<ImageInput> images)
    {
        if (images.Count == 0)
        {
            return [new TextContent(text)];
        }
        var contents = new List<AIContent> { new TextContent(text.Length > 0 ? text + ImagesNote : ImagesNote.TrimStart('\n')) };
        foreach (var image in images)
        {
            // M.E.AI sends a DataContent holding a data URL as an image_url part carrying that same data URL.
            contents.Add(new DataContent(image.Data)
            {
                AdditionalProperties = new AdditionalPropertiesDictionary { ["detail"] = "auto" },
            });
        }
        return contents;
    }

    private static string Http(HttpStatusCode status)
    {
        using var response = new HttpResponseMessage(status);
        return $"HTTP {(int)status} {response.ReasonPhrase}".TrimEnd();
    }

    private string Describe(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ClientResultException { Status: > 0 } http:
                    return $"HTTP {http.Status} {http.GetRawResponse()?.ReasonPhrase}".TrimEnd();
                case AnthropicApiException anthropic:
                    return Http(anthropic.StatusCode);
                case HttpRequestException { StatusCode: { } status }:
                    return Http(status);
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return $"connection refused ({provider.BaseUrl})";
                case SocketException socket:
                    return $"cannot reach {provider.BaseUrl}: {socket.SocketErrorCode}";
                case HttpIOException or IOException:
                    return "stream ended unexpectedly";
                case JsonException or FormatException:
                    return "invalid response stream";
                case TimeoutException or OperationCanceledException:
                    return "request timed out";
            }
        }
        return failure.Message;
    }
}
