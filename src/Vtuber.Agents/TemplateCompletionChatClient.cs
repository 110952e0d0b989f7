using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Vtuber.Agents;

/// <summary>
/// stateless_llm_with_template as OLV: the chat rendered through the chosen template (<see cref="PromptTemplates"/>)
/// and POSTed to base_url as it stands (llama.cpp's /completion and servers like it) with
/// <c>{"stream": true, "temperature", "prompt"}</c> and llm_api_key as the raw Authorization header (OLV sends no
/// "Bearer " of its own). The reply streams as llama.cpp's <c>data: {"content", "stop"}</c> lines; it ends at
/// <c>stop: true</c> or at a piece that is the template's end-of-turn token, as OLV's loop does. Text only; MCP
/// tools reach it in prompt mode (native tool calls are refused, so the agent switches).
/// </summary>
public sealed class TemplateCompletionChatClient : IChatClient
{
    /// <summary>What OLV sends when llm_api_key is empty.</summary>
    public const string PlaceholderAuthorization = "Bearer your_api_key_here";

    private readonly LlmProviderSettings _settings;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    public TemplateCompletionChatClient(LlmProviderSettings settings, HttpClient? http)
    {
        _settings = settings;
        _ownsHttp = http is null;
        // Our first-token and idle timeouts bound a reply; HttpClient's own 100 s would cut a long one.
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
                                                     CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // A completion endpoint has no tool calls: the words ChatAgent (as OLV) takes as "ask again in prompt mode".
        if (options?.Tools is { Count: > 0 })
            throw new NotSupportedException("stateless_llm_with_template does not support tools (native tool calls)");
        var prompt = PromptTemplates.Render(_settings.Template,
            [.. messages.Select(m => new TemplateMessage(m.Role.Value, m.Text))]);
        var body = new JsonObject
        {
            ["stream"] = true,
            ["temperature"] = options?.Temperature is { } t ? Math.Round(t, 6) : _settings.Temperature,
            ["prompt"] = prompt,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, _settings.BaseUrl)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization",
            _settings.ApiKey.Length > 0 ? _settings.ApiKey : PlaceholderAuthorization);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"{_settings.BaseUrl} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Snippet(error)}",
                null, response.StatusCode);
        }
        var endOfTurn = PromptTemplates.EndOfTurn(_settings.Template);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            // Blank lines separate events; a line starting with ':' is an SSE comment (keep-alive).
            if (line.Length == 0 || line.StartsWith(':')) continue;
            var piece = Parse(line.StartsWith("data: ", StringComparison.Ordinal) ? line[6..] : line);
            if (piece.Stop || piece.Content == endOfTurn)
            {
                yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = ChatFinishReason.Stop, ModelId = _settings.Model };
                yield break;
            }
            if (piece.Content.Length > 0)
                yield return new ChatResponseUpdate(ChatRole.Assistant, piece.Content) { ModelId = _settings.Model };
        }
        // Ended without stop: ChatAgent reports the cut reply.
    }

    private static (string Content, bool Stop) Parse(string json)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"a streamed line that is not JSON ({e.Message}): {Snippet(json)}", e);
        }
        if (root.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"a streamed line that is not a JSON object: {Snippet(json)}");
        // llama.cpp reports a failure inside the stream as {"error": {"code", "message", "type"}}.
        if (root.TryGetProperty("error", out var failure))
            throw new InvalidDataException(failure.ValueKind == JsonValueKind.Object && failure.TryGetProperty("message", out var m)
                ? m.ToString()
                : failure.ToString());
        var stop = root.TryGetProperty("stop", out var s) && s.ValueKind == JsonValueKind.True;
        var content = root.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "";
        if (!stop && !root.TryGetProperty("content", out _))
            throw new InvalidDataException($"a streamed line without content: {Snippet(json)}");
        return (content, stop);
    }

    private static string Snippet(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
