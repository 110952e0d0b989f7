using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Vtuber.Agents;

/// <summary>
/// letta_agent as OLV (olv-protocol 7.6): the memory and the LLM are the Letta server's, so a turn sends only the
/// user's new text, as letta_client's <c>create_stream(agent_id, messages, stream_tokens=True)</c> does:
/// <c>POST /v1/agents/{id}/messages/stream</c> with <c>{"messages": [{"role": "user", "content"}], "stream_tokens":
/// true}</c>. The reply is server-sent events; only <c>assistant_message</c> content is spoken (reasoning, tool and
/// usage messages are skipped, as OLV does), and <c>data: [DONE]</c> ends it. The system prompt and our memory are
/// not sent (the agent's persona and memory live on the Letta server); MCP tools are not offered (Letta runs its own).
/// </summary>
public sealed class LettaChatClient : IChatClient
{
    private const string ImagesNote = "\n[User has also provided images]";

    private readonly LlmProviderSettings _settings;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _endpoint;

    /// <param name="settings">BaseUrl is http://host:port, Model the Letta agent id.</param>
    public LettaChatClient(LlmProviderSettings settings, HttpClient? http)
    {
        _settings = settings;
        _ownsHttp = http is null;
        // Our first-token and idle timeouts bound a reply; HttpClient's own 100 s would cut a long one.
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _endpoint = new Uri(settings.BaseUrl, $"/v1/agents/{Uri.EscapeDataString(settings.Model)}/messages/stream");
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
                                                     CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var user = messages.LastOrDefault(m => m.Role == ChatRole.User)
                   ?? throw new ArgumentException("a Letta turn needs a user message", nameof(messages));
        var body = new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = UserText(user) }),
            ["stream_tokens"] = true,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"{_endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Snippet(error)}", null, response.StatusCode);
        }
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue; // blank lines, event: names, comments
            var data = line[5..].Trim();
            if (data == "[DONE]")
            {
                yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = ChatFinishReason.Stop, ModelId = _settings.Model };
                yield break;
            }
            if (data.StartsWith('[')) continue; // older servers' [DONE_STEP] and [DONE_GEN] between steps
            if (AssistantText(data) is { Length: > 0 } text)
                yield return new ChatResponseUpdate(ChatRole.Assistant, text) { ModelId = _settings.Model };
        }
        // Ended without [DONE]: ChatAgent reports the cut reply.
    }

    // ChatAgent puts the text first and marks images in it; Letta gets the text only, as OLV sends it.
    private static string UserText(ChatMessage user)
    {
        var text = user.Text;
        return text.EndsWith(ImagesNote, StringComparison.Ordinal) ? text[..^ImagesNote.Length] : text;
    }

    /// <summary>The spoken text of one event: assistant_message content (a string or text parts), else null.</summary>
    private static string? AssistantText(string json)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"an event that is not JSON ({e.Message}): {Snippet(json)}", e);
        }
        if (root.ValueKind != JsonValueKind.Object) return null;
        if (root.TryGetProperty("error", out var failure))
            throw new InvalidDataException("the Letta server failed: " + (failure.ValueKind == JsonValueKind.Object &&
                failure.TryGetProperty("message", out var m) ? m.ToString() : failure.ToString()));
        if (!root.TryGetProperty("message_type", out var type) || type.GetString() != "assistant_message" ||
            !root.TryGetProperty("content", out var content))
            return null;
        return content.ValueKind switch
        {
            JsonValueKind.String => content.GetString(),
            JsonValueKind.Array => string.Concat(content.EnumerateArray()
                .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out _))
                .Select(p => p.GetProperty("text").GetString())),
            _ => null,
        };
    }

    private static string Snippet(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
