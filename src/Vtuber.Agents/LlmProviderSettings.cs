namespace Vtuber.Agents;

/// <summary>
/// One llm_configs entry with OLV's per-provider defaults applied (see <see cref="LlmProviders.Resolve"/>).
/// ApiKey may be empty: local servers need none, and <see cref="LlmProviders.CreateClient"/> sends a placeholder.
/// For llama_cpp_llm, BaseUrl is the model file as a file: URI and Model its file name.
/// </summary>
public sealed record LlmProviderSettings(
    string Key,
    Uri BaseUrl,
    string ApiKey,
    string Model,
    double Temperature,
    InterruptMethod InterruptMethod,
    string? OrganizationId,
    string? ProjectId)
{
    /// <summary>The wire protocol (and so the client) used to talk to the provider.</summary>
    public LlmApi Api { get; init; } = LlmApi.OpenAiChatCompletions;

    /// <summary>ollama_llm: seconds Ollama keeps the model loaded after a request; negative keeps it loaded.</summary>
    public double KeepAliveSeconds { get; init; } = -1;

    /// <summary>ollama_llm: unload the model (keep_alive 0) when the client is disposed at shutdown.</summary>
    public bool UnloadAtExit { get; init; } = true;

    /// <summary>llama_cpp_llm: the GGUF file (absolute).</summary>
    public string? ModelPath { get; init; }

    /// <summary>stateless_llm_with_template: the chat template, one of <see cref="PromptTemplates.Names"/>.</summary>
    public string Template { get; init; } = PromptTemplates.ChatMl;

    /// <summary>The conf.yaml these settings came from, for errors found when the client is built (a bad model file).</summary>
    public string ConfigFile { get; init; } = "conf.yaml";

    /// <summary>How long a turn waits for the first text before it fails as a hung provider.</summary>
    public TimeSpan FirstTokenTimeout { get; init; } = LlmProviders.DefaultFirstTokenTimeout;

    /// <summary>How long a started reply may pause between two updates before it fails as a stalled stream.</summary>
    public TimeSpan IdleTimeout { get; init; } = LlmProviders.DefaultIdleTimeout;

    /// <summary>The model's context window (context_window_tokens): prompt and reply together never exceed it.</summary>
    public int ContextWindowTokens { get; init; } = Context.ContextWindows.Fallback;

    /// <summary>What the window keeps free for the reply (reply_reserve_tokens); the prompt gets the rest.</summary>
    public int ReplyReserveTokens { get; init; } = Context.ContextWindows.DefaultReplyReserve;
}

/// <summary>The client family a provider key maps to.</summary>
public enum LlmApi
{
    /// <summary>OpenAI Chat Completions over SSE (the OpenAI SDK): every OpenAI-compatible key, ollama_llm with api: openai.</summary>
    OpenAiChatCompletions,
    /// <summary>Anthropic Messages over SSE (the official Anthropic SDK): claude_llm.</summary>
    AnthropicMessages,
    /// <summary>Ollama's native /api/chat over NDJSON (OllamaSharp): ollama_llm (default).</summary>
    OllamaNative,
    /// <summary>A local GGUF model in this process (LLamaSharp): llama_cpp_llm.</summary>
    LlamaCpp,
    /// <summary>A raw completion endpoint fed a prompt rendered through a chat template: stateless_llm_with_template.</summary>
    TemplateCompletion,
    /// <summary>An agent on a Letta server (its REST streaming messages endpoint): conversation_agent_choice letta_agent.</summary>
    Letta,
}
