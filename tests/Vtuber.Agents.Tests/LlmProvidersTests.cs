using Vtuber.Domain.Config;

namespace Vtuber.Agents.Tests;

public sealed class LlmProvidersTests
{
    private const string File = "/olv/conf.yaml";

    private static AgentConfig Choose(string key, LlmProviderConfig config) => new()
    {
        BasicMemoryAgent = new BasicMemoryAgentConfig { LlmProvider = key },
        LlmConfigs = new Dictionary<string, LlmProviderConfig> { [key] = config },
    };

    [Theory]
    [InlineData("ollama_llm", "http://localhost:11434/v1", "default_api_key", InterruptMethod.System)]
    [InlineData("lmstudio_llm", "http://localhost:1234/v1", "key", InterruptMethod.System)]
    [InlineData("openai_llm", "https://api.openai.com/v1", "key", InterruptMethod.System)]
    [InlineData("gemini_llm", "https://generativelanguage.googleapis.com/v1beta/openai", "key", InterruptMethod.User)]
    [InlineData("zhipu_llm", "https://open.bigmodel.cn/api/paas/v4", "key", InterruptMethod.User)]
    [InlineData("deepseek_llm", "https://api.deepseek.com/v1", "key", InterruptMethod.User)]
    [InlineData("groq_llm", "https://api.groq.com/openai/v1", "key", InterruptMethod.System)]
    [InlineData("mistral_llm", "https://api.mistral.ai/v1", "key", InterruptMethod.User)]
    public void Provider_defaults_follow_olv(string key, string baseUrl, string apiKey, InterruptMethod method)
    {
        // The key is given only where OLV requires it; ollama_llm must fall back to its default.
        var config = new LlmProviderConfig { Model = "m", LlmApiKey = key == "ollama_llm" ? null : "key" };

        var settings = LlmProviders.Resolve(Choose(key, config), File);

        Assert.Equal(new LlmProviderSettings(key, new Uri(baseUrl), apiKey, "m", 1.0, method, null, null), settings);
    }

    [Fact]
    public void Openai_compatible_provider_takes_every_given_value()
    {
        var config = new LlmProviderConfig
        {
            BaseUrl = "http://127.0.0.1:8000/v1/", LlmApiKey = "", Model = "qwen", Temperature = 0.3,
            InterruptMethod = "system", OrganizationId = "org-1", ProjectId = "proj-1",
        };

        var settings = LlmProviders.Resolve(Choose("openai_compatible_llm", config), File);

        Assert.Equal(new LlmProviderSettings("openai_compatible_llm", new Uri("http://127.0.0.1:8000/v1"), "", "qwen", 0.3,
                                             InterruptMethod.System, "org-1", "proj-1"), settings);
    }

    [Fact]
    public void Openai_compatible_provider_interrupts_as_user_by_default()
    {
        var config = new LlmProviderConfig { BaseUrl = "http://127.0.0.1:8000/v1", LlmApiKey = "k", Model = "m" };

        Assert.Equal(InterruptMethod.User, LlmProviders.Resolve(Choose("openai_compatible_llm", config), File).InterruptMethod);
    }

    [Theory]
    [InlineData("openai_compatible_llm", null, "k", "m", "base_url")]
    [InlineData("openai_compatible_llm", "http://h/v1", null, "m", "llm_api_key")]
    [InlineData("openai_compatible_llm", "http://h/v1", "k", null, "model")]
    [InlineData("openai_llm", null, null, "m", "llm_api_key")]
    [InlineData("ollama_llm", null, null, null, "model")]
    public void Missing_required_key_names_its_path(string key, string? baseUrl, string? apiKey, string? model, string field)
    {
        var config = new LlmProviderConfig { BaseUrl = baseUrl, LlmApiKey = apiKey, Model = model };

        var error = Assert.Throws<ConfigException>(() => LlmProviders.Resolve(Choose(key, config), File));

        Assert.Equal(File, error.File);
        Assert.Equal($"character_config.agent_config.llm_configs.{key}.{field}", error.KeyPath);
        Assert.Null(error.Value);
    }

    [Theory]
    [InlineData("base_url", "localhost:11434")]
    [InlineData("base_url", "ftp://example.com/v1")]
    [InlineData("interrupt_method", "assistant")]
    public void Invalid_value_names_its_path_and_value(string field, string value)
    {
        var config = new LlmProviderConfig
        {
            BaseUrl = field == "base_url" ? value : "http://h/v1", LlmApiKey = "k", Model = "m",
            InterruptMethod = field == "interrupt_method" ? value : null,
        };

        var error = Assert.Throws<ConfigException>(() => LlmProviders.Resolve(Choose("openai_compatible_llm", config), File));

        Assert.Equal($"character_config.agent_config.llm_configs.openai_compatible_llm.{field}", error.KeyPath);
        Assert.Equal(value, error.Value);
    }

    [Theory]
    [InlineData("claude_llm")]
    [InlineData("llama_cpp_llm")]
    public void Providers_not_built_yet_are_refused_by_name(string key)
    {
        var config = new LlmProviderConfig { Model = "m", LlmApiKey = "k" };

        var error = Assert.Throws<ConfigException>(() => LlmProviders.Resolve(Choose(key, config), File));

        Assert.Equal("character_config.agent_config.agent_settings.basic_memory_agent.llm_provider", error.KeyPath);
        Assert.Equal(key, error.Value);
        Assert.Contains($"{key} is not supported yet in this build", error.Message);
    }

    [Fact]
    public void Unknown_provider_is_refused_with_the_supported_list()
    {
        var error = Assert.Throws<ConfigException>(
            () => LlmProviders.Resolve(Choose("my_llm", new LlmProviderConfig { Model = "m" }), File));

        Assert.Equal("my_llm", error.Value);
        Assert.Contains("openai_compatible_llm", error.Expected);
    }

    [Fact]
    public void Chosen_provider_without_a_settings_block_names_the_missing_block()
    {
        var agent = new AgentConfig
        {
            BasicMemoryAgent = new BasicMemoryAgentConfig { LlmProvider = "openai_llm" },
            LlmConfigs = new Dictionary<string, LlmProviderConfig> { ["ollama_llm"] = new() { Model = "m" } },
        };

        var error = Assert.Throws<ConfigException>(() => LlmProviders.Resolve(agent, File));

        Assert.Equal("character_config.agent_config.llm_configs.openai_llm", error.KeyPath);
    }
}
