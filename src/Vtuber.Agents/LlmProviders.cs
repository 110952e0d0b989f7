using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vtuber.Agents.Context;
using Vtuber.Domain.Config;

namespace Vtuber.Agents;

/// <summary>
/// The LLM providers of OLV's llm_configs with OLV's per-key defaults (olv-protocol 7.4), and the M.E.AI
/// <see cref="IChatClient"/> that talks to each: OpenAI Chat Completions, Anthropic Messages (claude_llm), Ollama's
/// native API (ollama_llm), a local GGUF model (llama_cpp_llm) and a completion endpoint fed a templated prompt
/// (stateless_llm_with_template).
/// </summary>
public static class LlmProviders
{
    private const string AgentSettingsPath = "character_config.agent_config.agent_settings.basic_memory_agent.llm_provider";
    private const string LlmConfigsPath = "character_config.agent_config.llm_configs";

    /// <summary>Sent when the config has no key: the OpenAI client refuses an empty one, local servers ignore it.</summary>
    public const string PlaceholderApiKey = "not-needed";

    /// <summary>Default of llm_configs.&lt;key&gt;.first_token_timeout_seconds: covers a cold model load on a local server.</summary>
    public static readonly TimeSpan DefaultFirstTokenTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Default of llm_configs.&lt;key&gt;.idle_timeout_seconds.</summary>
    public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(30);

    // A null default means the key is required (OLV's pydantic models mark it with "...").
    private sealed record ProviderDefaults(string? BaseUrl, string? ApiKey, InterruptMethod InterruptMethod);

    private static readonly Dictionary<string, ProviderDefaults> Known = new()
    {
        ["openai_compatible_llm"] = new(null, null, InterruptMethod.User),
        // OLV's template value. OLV itself requires base_url for ollama_llm; defaulting it accepts every file OLV
        // accepts. The native client drops the "/v1" (see ResolveOllama).
        ["ollama_llm"] = new("http://localhost:11434/v1", "default_api_key", InterruptMethod.System),
        ["lmstudio_llm"] = new("http://localhost:1234/v1", null, InterruptMethod.System),
        ["openai_llm"] = new("https://api.openai.com/v1", null, InterruptMethod.System),
        ["gemini_llm"] = new("https://generativelanguage.googleapis.com/v1beta/openai/", null, InterruptMethod.User),
        ["zhipu_llm"] = new("https://open.bigmodel.cn/api/paas/v4/", null, InterruptMethod.User),
        ["deepseek_llm"] = new("https://api.deepseek.com/v1", null, InterruptMethod.User),
        ["groq_llm"] = new("https://api.groq.com/openai/v1", null, InterruptMethod.System),
        ["mistral_llm"] = new("https://api.mistral.ai/v1", null, InterruptMethod.User),
        ["claude_llm"] = new("https://api.anthropic.com", null, InterruptMethod.User),
        ["llama_cpp_llm"] = new(null, "", InterruptMethod.System),
        // OLV requires base_url and llm_api_key; an empty key is sent as OLV's placeholder.
        ["stateless_llm_with_template"] = new(null, "", InterruptMethod.User),
    };

    /// <summary>The provider chosen by basic_memory_agent.llm_provider, with OLV's defaults filled in.</summary>
    /// <exception cref="ConfigException">Unknown provider, missing settings block or required key, bad value.</exception>
    public static LlmProviderSettings Resolve(AgentConfig agent, string configFile)
    {
        if (agent.ConversationAgentChoice == LettaAgent)
        {
            return ResolveLetta(agent.LettaAgent, configFile);
        }
        var key = agent.BasicMemoryAgent.LlmProvider;
        if (!Known.TryGetValue(key, out var defaults))
        {
            throw new ConfigException(configFile, AgentSettingsPath, key, $"one of {string.Join(", ", Known.Keys)}");
        }
        var path = $"{LlmConfigsPath}.{key}";
        if (!agent.LlmConfigs.TryGetValue(key, out var config))
        {
            throw new ConfigException(configFile, path, null, $"a settings block for the chosen provider {key}");
        }
        var timeouts = (
            First: Seconds(config.FirstTokenTimeoutSeconds, DefaultFirstTokenTimeout),
            Idle: Seconds(config.IdleTimeoutSeconds, DefaultIdleTimeout));
        var interrupt = ParseInterruptMethod(config.InterruptMethod, defaults.InterruptMethod, configFile, $"{path}.interrupt_method");

        if (key == "llama_cpp_llm")
        {
            // Relative to the conf.yaml, like every other path in it.
            var modelPath = Path.GetFullPath(
                Required(config.ModelPath, configFile, $"{path}.model_path", "the path of a GGUF model file"),
                Path.GetDirectoryName(Path.GetFullPath(configFile))!);
            return new LlmProviderSettings(key, new Uri(modelPath), "", Path.GetFileName(modelPath),
                config.Temperature ?? 1.0, interrupt, null, null)
            {
                Api = LlmApi.LlamaCpp, ModelPath = modelPath, ConfigFile = configFile,
                FirstTokenTimeout = timeouts.First, IdleTimeout = timeouts.Idle,
                ContextWindowTokens = Window(config, Path.GetFileName(modelPath)),
                ReplyReserveTokens = Reserve(config, Window(config, Path.GetFileName(modelPath)), configFile, path),
            };
        }

        var baseUrl = Required(config.BaseUrl ?? defaults.BaseUrl, configFile, $"{path}.base_url", "an http(s) URL");
        var api = key switch
        {
            "claude_llm" => LlmApi.AnthropicMessages,
            "ollama_llm" when config.Api != "openai" => LlmApi.OllamaNative,
            "stateless_llm_with_template" => LlmApi.TemplateCompletion,
            _ => LlmApi.OpenAiChatCompletions,
        };
        return new LlmProviderSettings(
            key,
            ParseBaseUrl(api == LlmApi.OllamaNative ? OllamaRoot(baseUrl) : baseUrl, configFile, $"{path}.base_url"),
            Required(config.LlmApiKey ?? defaults.ApiKey, configFile, $"{path}.llm_api_key", "an API key (any text for local servers)"),
            Required(config.Model, configFile, $"{path}.model", "a model name"),
            config.Temperature ?? 1.0,
            interrupt,
            config.OrganizationId,
            config.ProjectId)
        {
            Api = api,
            KeepAliveSeconds = config.KeepAlive ?? -1,
            UnloadAtExit = config.UnloadAtExit ?? true,
            Template = config.Template ?? PromptTemplates.ChatMl,
            FirstTokenTimeout = timeouts.First,
            IdleTimeout = timeouts.Idle,
            ContextWindowTokens = Window(config, config.Model!),
            ReplyReserveTokens = Reserve(config, Window(config, config.Model!), configFile, path),
        };
    }

    private static int Window(LlmProviderConfig config, string model) =>
        config.ContextWindowTokens ?? ContextWindows.DefaultFor(model);

    // The reply needs room, and the prompt must keep at least as much as the reply may take.
    private static int Reserve(LlmProviderConfig config, int window, string configFile, string path)
    {
        var reserve = config.ReplyReserveTokens ?? ContextWindows.DefaultReserveFor(window);
        if (reserve > window / 2)
        {
            throw new ConfigException(configFile, $"{path}.reply_reserve_tokens", reserve.ToString(),
                $"at most half of context_window_tokens ({window}), i.e. 16..{window / 2}");
        }
        return reserve;
    }

    /// <summary>conversation_agent_choice letta_agent: the agent on the Letta server stands where the LLM would.</summary>
    public const string LettaAgent = "letta_agent";

    private static LlmProviderSettings ResolveLetta(LettaAgentConfig letta, string configFile)
    {
        const string path = "character_config.agent_config.agent_settings.letta_agent";
        if (string.IsNullOrWhiteSpace(letta.Id))
        {
            throw new ConfigException(configFile, $"{path}.id", letta.Id, "the id of the agent on the Letta server");
        }
        if (!Uri.TryCreate($"http://{letta.Host}:{letta.Port}", UriKind.Absolute, out var baseUrl))
        {
            throw new ConfigException(configFile, $"{path}.host", letta.Host, "the Letta server's host name or IP address");
        }
        // Temperature and interrupt method are the Letta server's business; OLV's letta_agent ignores interrupts.
        return new LlmProviderSettings(LettaAgent, baseUrl, "", letta.Id, 1.0, InterruptMethod.User, null, null)
        {
            Api = LlmApi.Letta, ConfigFile = configFile,
        };
    }

    /// <summary>
    /// The <see cref="IChatClient"/> for the provider. <paramref name="http"/> replaces the SDKs' own HttpClient (the
    /// server's pooled one, tests); <paramref name="logger"/> receives what happens off the request path (Ollama
    /// preload/unload). Dispose the client at shutdown: that is when ollama_llm unloads its model (unload_at_exit).
    /// </summary>
    /// <exception cref="ConfigException">llama_cpp_llm: the model file is missing or llama.cpp cannot load it.</exception>
    /// <param name="modelCheck">llama_cpp_llm: how the child process that checks the model is started (tests).</param>
    public static IChatClient CreateClient(LlmProviderSettings settings, HttpClient? http = null, ILogger? logger = null,
                                           LlamaModelCheck? modelCheck = null) =>
        settings.Api switch
        {
            LlmApi.AnthropicMessages => ClaudeChatClient.Create(settings, http),
            LlmApi.OllamaNative => new OllamaChatClient(settings, logger ?? NullLogger.Instance),
            LlmApi.TemplateCompletion => new TemplateCompletionChatClient(settings, http),
            LlmApi.Letta => new LettaChatClient(settings, http),
            LlmApi.LlamaCpp => LlamaCppChatClient.Load(settings, modelCheck ?? LlamaModelCheck.Default,
                $"{LlmConfigsPath}.{settings.Key}.model_path"),
            _ => CreateOpenAiClient(settings, http),
        };

    private static IChatClient CreateOpenAiClient(LlmProviderSettings settings, HttpClient? http)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = settings.BaseUrl,
            OrganizationId = settings.OrganizationId,
            ProjectId = settings.ProjectId,
            // No retries: a spoken turn that silently waits through backoff feels broken; the session reports the
            // failure at once and the user can simply speak again.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        if (http is not null)
        {
            options.Transport = new HttpClientPipelineTransport(http);
        }
        var apiKey = settings.ApiKey.Length == 0 ? PlaceholderApiKey : settings.ApiKey;
        return new ChatClient(settings.Model, new ApiKeyCredential(apiKey), options).AsIChatClient();
    }

    // OLV's template writes Ollama's OpenAI-compatible URL (http://localhost:11434/v1); the native API lives at the
    // root, so a trailing /v1 is dropped, as OLV does for its preload call.
    private static string OllamaRoot(string baseUrl)
    {
        var trimmed = baseUrl.TrimEnd('/');
        return trimmed.EndsWith("/v1", StringComparison.Ordinal) ? trimmed[..^3] : trimmed;
    }

    private static TimeSpan Seconds(double? value, TimeSpan fallback) => value is { } s ? TimeSpan.FromSeconds(s) : fallback;

    private static string Required(string? value, string file, string keyPath, string expected) =>
        value ?? throw new ConfigException(file, keyPath, null, expected);

    private static Uri ParseBaseUrl(string value, string file, string keyPath)
    {
        // The OpenAI SDK appends "/chat/completions" itself; a trailing slash (gemini, zhipu) would double it.
        if (Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) &&
            (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            return uri;
        }
        throw new ConfigException(file, keyPath, value, "an absolute http(s) URL such as http://localhost:11434/v1");
    }

    private static InterruptMethod ParseInterruptMethod(string? value, InterruptMethod fallback, string file, string keyPath) =>
        value switch
        {
            null => fallback,
            "system" => InterruptMethod.System,
            "user" => InterruptMethod.User,
            _ => throw new ConfigException(file, keyPath, value, "system or user"),
        };
}
