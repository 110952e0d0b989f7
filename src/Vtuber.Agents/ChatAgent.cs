using System.Collections.Immutable;
using System.ClientModel;
using System.Net;
using System.Net.Sockets;
using Anthropic.Exceptions;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Vtuber.Agents.Context;
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

    // Immutable so that a turn's request is built from a snapshot without locks. Each entry keeps its token count
    // (counted once, when remembered) and, for a turn's user message and entries loaded from a history, the
    // position of the history record it came from, so a fold knows which records its summary stands for.
    private ImmutableList<Remembered> _memory = [];
    // The rolling summary of the turns folded out of _memory (null until the first fold), with its token count.
    private (string Text, int Tokens)? _summary;
    // Bumped whenever the memory is replaced: a fold planned on the old memory is then stale.
    private long _generation;
    private readonly PromptTokenCounter _tokens = PromptTokenCounter.For(provider.Model);
    private bool _interruptHandled;
    // Set by a turn's stream (another thread) when the model refused tools; later turns read it.
    private volatile bool _toolsRefused;

    public string ProviderName => provider.Key;
    public InterruptMethod InterruptMethod => provider.InterruptMethod;
    /// <summary>The remembered messages not yet folded into the summary, oldest first.</summary>
    public IReadOnlyList<MemoryEntry> Memory => _memory.Select(m => m.Entry).ToList();

    /// <summary>The rolling summary of the folded turns; null while nothing was folded.</summary>
    public string? Summary => _summary?.Text;

    /// <summary>How this agent counts prompt tokens (tiktoken for OpenAI models, else the estimate).</summary>
    public PromptTokenCounter Tokens => _tokens;

    /// <summary>The most a prompt may count: context_window_tokens minus reply_reserve_tokens.</summary>
    public int PromptBudget => provider.ContextWindowTokens - provider.ReplyReserveTokens;

    /// <summary>
    /// Starts a turn: stores the user's text in memory (unless SkipMemory) and builds the request, which is the
    /// system prompt (with the rolling summary), the newest remembered turns that fit the prompt budget, then the user
    /// message with a text part and image parts. Older turns not yet in the summary are left out of this prompt (they
    /// stay in memory until a fold takes them). <paramref name="record"/>: the position of the user's record in the
    /// history, when the session keeps one. <paramref name="reservedTokens"/>: kept free for a note added later
    /// (<see cref="WithRecalledNote"/>).
    /// </summary>
    public ChatRequest BeginTurn(UserInput input, int? record = null, int reservedTokens = 0)
    {
        _interruptHandled = false;
        var images = input.Images.Where(i => i.Data.StartsWith("data:image", StringComparison.Ordinal)).ToList();

        var system = _summary is { } summary ? systemPrompt + RollingSummary.Note(summary.Text) : systemPrompt;
        var userText = UserContents(input.Text, images).OfType<TextContent>().First().Text;
        // Images are not counted: providers price them by pixels, and the budget is about text.
        var fixedTokens = _tokens.CountMessage(system) + _tokens.CountMessage(userText) + PromptTokenCounter.ReplyPriming
                          + ToolTokens() + reservedTokens;
        var keepFrom = PromptFold.KeepFrom(FoldEntries(), fixedTokens, PromptBudget);

        var messages = new List<ChatMessage>(_memory.Count - keepFrom + 2) { new(ChatRole.System, system) };
        messages.AddRange(_memory.Skip(keepFrom).Select(m => ToChatMessage(m.Entry)));
        messages.Add(new ChatMessage(ChatRole.User, UserContents(input.Text, images)));

        // Memory keeps only text (2.15): images are neither remembered nor written to history.
        var remembered = input.Text.Length > 0 ? input.Text : images.Count > 0 ? ImagePlaceholder : "";
        if (!input.SkipMemory && remembered.Length > 0)
        {
            Add(MemoryEntry.User, remembered, record);
        }

        var options = new ChatOptions { ModelId = provider.Model, Temperature = (float)provider.Temperature };
        return new ChatRequest(messages, options) { Tools = tools?.Current() ?? [] };
    }

    /// <summary>
    /// The request with long-term memory's recalled note as a second system message, right after the system prompt
    /// (which prompt mode expects first). The note must fit the tokens reserved in <see cref="BeginTurn"/>.
    /// </summary>
    public static ChatRequest WithRecalledNote(ChatRequest request, string note)
    {
        var messages = request.Messages.ToList();
        messages.Insert(1, new ChatMessage(ChatRole.System, note));
        return request with { Messages = messages };
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
            Add(MemoryEntry.Assistant, rawReply, null);
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

        if (_memory.Count > 0 && _memory[^1].Entry.Role == MemoryEntry.Assistant)
        {
            // The turn had already completed: what was stored is more than the user heard.
            _memory = _memory.SetItem(_memory.Count - 1, Remember(new MemoryEntry(MemoryEntry.Assistant, heard + "..."), null));
        }
        else if (heard.Length > 0)
        {
            Add(MemoryEntry.Assistant, heard + "...", null);
        }
        Add(InterruptRole, ChatRecord.InterruptedMarker, null);
    }

    /// <summary>
    /// Replaces memory with a stored chat history (OLV set_memory_from_history). Decision: OLV turns every non-human
    /// record into an assistant message, so its own interrupt marker comes back as something the AI "said". We map
    /// human → user, ai → assistant, the "[Interrupted by user]" system record → the role a live interrupt writes
    /// (system or user per interrupt_method), any other system record → system. So a reloaded conversation is the
    /// same one the model saw live. Metadata records and empty contents are skipped; names and avatars dropped.
    /// </summary>
    /// <remarks>
    /// With a journaled summary, the records it covers are not loaded: the summary stands for them, so a reload or a
    /// restart does not summarise them again.
    /// </remarks>
    public void LoadFromHistory(IEnumerable<ChatRecord> records, string? summary = null, int summaryCovers = 0)
    {
        var entries = ImmutableList.CreateBuilder<Remembered>();
        var position = -1;
        foreach (var record in records)
        {
            position++;
            if (record.Content.Length == 0 || (summary is not null && position < summaryCovers))
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
                entries.Add(Remember(new MemoryEntry(role, record.Content), position));
            }
        }
        _memory = entries.ToImmutable();
        _summary = summary is null ? null : (summary, _tokens.Count(summary));
        _generation++;
    }

    /// <summary>
    /// Takes over another agent's memory and summary (a config change that needs a new agent but keeps the
    /// conversation); the tokens are counted again, since this agent's model may count differently.
    /// </summary>
    public void TakeMemoryFrom(ChatAgent other)
    {
        _memory = [.. other._memory.Select(m => Remember(m.Entry, m.Record))];
        _summary = other._summary is { } summary ? (summary.Text, _tokens.Count(summary.Text)) : null;
        _generation++;
    }

    /// <summary>
    /// Whether the oldest turns should be folded into the summary now, and the request that writes it: null while
    /// the memory fits comfortably (see <see cref="PromptFold.PlanFold"/>). Called by the session after a turn's reply
    /// is complete, never in front of a turn.
    /// </summary>
    public SummaryJob? PlanSummary()
    {
        var maxTokens = RollingSummary.TokensFor(PromptBudget);
        var fixedTokens = _tokens.CountMessage(systemPrompt) + (_summary?.Tokens ?? 0) + PromptTokenCounter.ReplyPriming;
        var instruction = _tokens.CountMessage(RollingSummary.Instruction(_summary?.Text, "", maxTokens));
        var chunk = PromptBudget - _tokens.CountMessage(systemPrompt) - instruction - maxTokens
                    - PromptTokenCounter.ReplyPriming;
        if (chunk <= 0)
        {
            return null; // the system prompt alone fills the budget: there is no room to summarise anything
        }
        var entries = FoldEntries();
        if (PromptFold.PlanFold(entries, fixedTokens, PromptBudget, chunk) is not { } cut)
        {
            return null;
        }
        var transcript = _tokens.Truncate(RollingSummary.Transcript(_memory.Take(cut).Select(m => m.Entry)), chunk);
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, systemPrompt),
            new(ChatRole.User, RollingSummary.Instruction(_summary?.Text, transcript, maxTokens)),
        };
        return new SummaryJob(_generation, cut, _memory[cut].Record,
            new ChatRequest(messages, RollingSummary.Options(provider, maxTokens)), maxTokens);
    }

    /// <summary>
    /// Runs a fold's request on the same provider (its timeouts and errors: <see cref="LlmProviderException"/>) and
    /// returns the cleaned summary text. Touches no memory: the caller applies it with <see cref="ApplySummary"/>.
    /// </summary>
    public async Task<string> SummarizeAsync(SummaryJob job, CancellationToken ct)
    {
        var reply = new System.Text.StringBuilder();
        await foreach (var token in ReplyAsync(job.Request, withTools: false, null, ct))
        {
            reply.Append(token);
        }
        return RollingSummary.Clean(reply.ToString(), _tokens, job.MaxTokens);
    }

    /// <summary>
    /// Folds: the entries before the job's cut leave memory and the summary replaces the old one. False (nothing
    /// changes) when the memory was replaced since the job was planned, or the summary came back empty.
    /// </summary>
    public bool ApplySummary(SummaryJob job, string summary)
    {
        if (job.Generation != _generation || job.Cut > _memory.Count || summary.Length == 0)
        {
            return false;
        }
        _memory = _memory.RemoveRange(0, job.Cut);
        _summary = (summary, _tokens.Count(summary));
        _generation++;
        return true;
    }

    private List<FoldEntry> FoldEntries() =>
        _memory.Select(m => new FoldEntry(m.Tokens,
            m.Entry.Role == MemoryEntry.User && m.Entry.Content != ChatRecord.InterruptedMarker)).ToList();

    // The tools' definitions travel with every request and count against the window like text.
    private int ToolTokens() => tools?.Current() is { Count: > 0 } offered
        ? offered.Sum(t => _tokens.Count(t.Definition.Name + t.Definition.Description + t.Definition.InputSchema.GetRawText()))
        : 0;

    private string InterruptRole => provider.InterruptMethod == InterruptMethod.System ? MemoryEntry.System : MemoryEntry.User;

    // OLV's _add_message: an entry identical to the last one (same role and content) is not added again.
    private void Add(string role, string content, int? record)
    {
        var entry = new MemoryEntry(role, content);
        if (_memory.Count == 0 || _memory[^1].Entry != entry)
        {
            _memory = _memory.Add(Remember(entry, record));
        }
    }

    private Remembered Remember(MemoryEntry entry, int? record) => new(entry, _tokens.CountMessage(entry.Content), record);

    private sealed record Remembered(MemoryEntry Entry, int Tokens, int? Record);

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
