using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using Vtuber.Domain.Config;

namespace Vtuber.Agents;

/// <summary>
/// The LLM providers of OLV's llm_configs that speak OpenAI Chat Completions, with OLV's per-key defaults
/// (olv-protocol 7.4), and the M.E.AI <see cref="IChatClient"/> that talks to them.
/// </summary>
public static class LlmProviders
{
    private const string AgentSettingsPath = "character_config.agent_config.agent_settings.basic_memory_agent.llm_provider";
    private const string LlmConfigsPath = "character_config.agent_config.llm_configs";

    /// <summary>Sent when the config has no key: the OpenAI client refuses an empty one, local servers ignore it.</summary>
    public const string PlaceholderApiKey = "not-needed";

    // A null default means the key is required (OLV's pydantic models mark it with "...").
    private sealed record ProviderDefaults(string? BaseUrl, string? ApiKey, InterruptMethod InterruptMethod);

    private static readonly Dictionary<string, ProviderDefaults> OpenAiCompatible = new()
    {
        ["openai_compatible_llm"] = new(null, null, InterruptMethod.User),
        // OLV's template value. OLV itself requires base_url for ollama_llm; defaulting it accepts every file OLV
        // accepts. ollama_llm goes through Ollama's OpenAI-compatible /v1 endpoint (keep_alive and
        // unload_at_exit belong to a native Ollama client, which comes later).
        ["ollama_llm"] = new("http://localhost:11434/v1", "default_api_key", InterruptMethod.System),
        ["lmstudio_llm"] = new("http://localhost:1234/v1", null, InterruptMethod.System),
        ["openai_llm"] = new("https://api.openai.com/v1", null, InterruptMethod.System),
        ["gemini_llm"] = new("https://generativelanguage.googleapis.com/v1beta/openai/", null, InterruptMethod.User),
        ["zhipu_llm"] = new("https://open.bigmodel.cn/api/paas/v4/", null, InterruptMethod.User),
        ["deepseek_llm"] = new("https://api.deepseek.com/v1", null, InterruptMethod.User),
        ["groq_llm"] = new("https://api.groq.com/openai/v1", null, InterruptMethod.System),
        ["mistral_llm"] = new("https://api.mistral.ai/v1", null, InterruptMethod.User),
    };

    // OLV keys that need a client other than OpenAI Chat Completions.
    private static readonly string[] NotSupportedYet = ["claude_llm", "llama_cpp_llm", "stateless_llm_with_template"];

    /// <summary>The provider chosen by basic_memory_agent.llm_provider, with OLV's defaults filled in.</summary>
    /// <exception cref="ConfigException">Unknown or unsupported provider, missing settings block or required key, bad value.</exception>
    public static LlmProviderSettings Resolve(AgentConfig agent, string configFile)
    {
        var key = agent.BasicMemoryAgent.LlmProvider;
        if (NotSupportedYet.Contains(key))
        {
            throw new ConfigException(configFile, AgentSettingsPath, key,
                $"an OpenAI-compatible provider: {key} is not supported yet in this build " +
                $"(supported: {string.Join(", ", OpenAiCompatible.Keys)})");
        }
        if (!OpenAiCompatible.TryGetValue(key, out var defaults))
        {
            throw new ConfigException(configFile, AgentSettingsPath, key,
                $"one of {string.Join(", ", OpenAiCompatible.Keys)}");
        }
        var path = $"{LlmConfigsPath}.{key}";
        if (!agent.LlmConfigs.TryGetValue(key, out var config))
        {
            throw new ConfigException(configFile, path, null, $"a settings block for the chosen provider {key}");
        }

        var baseUrl = Required(config.BaseUrl ?? defaults.BaseUrl, configFile, $"{path}.base_url", "an http(s) URL");
        return new LlmProviderSettings(
            key,
            ParseBaseUrl(baseUrl, configFile, $"{path}.base_url"),
            Required(config.LlmApiKey ?? defaults.ApiKey, configFile, $"{path}.llm_api_key", "an API key (any text for local servers)"),
            Required(config.Model, configFile, $"{path}.model", "a model name"),
            config.Temperature ?? 1.0,
            ParseInterruptMethod(config.InterruptMethod, defaults.InterruptMethod, configFile, $"{path}.interrupt_method"),
            config.OrganizationId,
            config.ProjectId);
    }

    /// <summary>
    /// An OpenAI Chat Completions client for the provider. <paramref name="http"/> replaces the OpenAI SDK's shared
    /// HttpClient (tests, custom handlers).
    /// </summary>
    public static IChatClient CreateClient(LlmProviderSettings settings, HttpClient? http = null)
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
