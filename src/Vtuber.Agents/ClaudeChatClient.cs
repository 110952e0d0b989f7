using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;

namespace Vtuber.Agents;

/// <summary>
/// claude_llm: the official Anthropic SDK's <see cref="IChatClient"/> (Messages API, SSE streaming) with OLV's
/// max_tokens of 1024. The system prompt (the request's first message) becomes Anthropic's system parameter.
/// Decision on system-role memory entries (OLV drops them, olv-protocol 7.4): they are sent as user messages with
/// the same text instead, in place, so an interrupt marker written with interrupt_method: system or a reloaded system
/// record still tells Claude what happened; Claude has no mid-conversation system role.
/// </summary>
public sealed class ClaudeChatClient : DelegatingChatClient
{
    /// <summary>OLV's fixed max_tokens for Claude.</summary>
    public const int MaxTokens = 1024;

    private ClaudeChatClient(IChatClient inner) : base(inner)
    {
    }

    public static IChatClient Create(LlmProviderSettings settings, HttpClient? http)
    {
        var options = new ClientOptions
        {
            ApiKey = settings.ApiKey,
            BaseUrl = settings.BaseUrl.ToString().TrimEnd('/'),
            // No retries, as for every provider: the session reports a failure at once.
            MaxRetries = 0,
            // Cancellation and our first-token/idle timeouts bound a call; the SDK's own timeout would cut long replies.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (http is not null)
        {
            options.HttpClient = http;
        }
        return new ClaudeChatClient(new AnthropicClient(options).AsIChatClient(settings.Model, MaxTokens));
    }

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
                                                        CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(ForClaude(messages), options, cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(ForClaude(messages), options, cancellationToken);

    // The leading system message stays (the SDK sends it as the system parameter); later ones become user messages.
    private static List<ChatMessage> ForClaude(IEnumerable<ChatMessage> messages) =>
        messages.Select((message, index) => index > 0 && message.Role == ChatRole.System
            ? new ChatMessage(ChatRole.User, message.Contents)
            : message).ToList();
}
