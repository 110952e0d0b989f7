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
    [InlineData("lmstudio_llm", "http://localhost:1234/v1", "key", InterruptMethod.System)]
    [InlineData("openai_llm", "https://api.openai.com/v1", "key", InterruptMethod.System)]
    [InlineData("gemini_llm", "https://generativelanguage.googleapis.com/v1beta/openai", "key", InterruptMethod.User)]
    [InlineData("zhipu_llm", "https://open.bigmodel.cn/api/paas/v4", "key", InterruptMethod.User)]
    [InlineData("deepseek_llm", "https://api.deepseek.com/v1", "key", InterruptMethod.User)]
    [InlineData("groq_llm", "https://api.groq.com/openai/v1", "key", InterruptMethod.System)]
    [InlineData("mistral_llm", "https://api.mistral.ai/v1", "key", InterruptMethod.User)]
    public void Provider_defaults_follow_olv(string key, string baseUrl, string apiKey, InterruptMethod method)
    {
        var config = new LlmProviderConfig { Model = "m", LlmApiKey = "key" };

        var settings = LlmProviders.Resolve(Choose(key, config), File);

        Assert.Equal(new LlmProviderSettings(key, new Uri(baseUrl), apiKey, "m", 1.0, method, null, null), settings);
    }

    [Theory]
    [InlineData("gpt-4o-mini", null, null, 128_000, 1024)]
    [InlineData("qwen2.5:latest", null, null, 8192, 1024)]
    [InlineData("qwen2.5:latest", 2048, null, 2048, 512)] // the default reserve is at most a quarter of the window
    [InlineData("qwen2.5:latest", 32768, 4096, 32768, 4096)]
    public void The_context_budget_defaults_from_the_model(string model, int? window, int? reserve, int expectedWindow,
                                                           int expectedReserve)
    {
        var config = new LlmProviderConfig
        {
            BaseUrl = "http://127.0.0.1:8000/v1", Model = model, LlmApiKey = "k", ContextWindowTokens = window,
            ReplyReserveTokens = reserve,
        };

        var settings = LlmProviders.Resolve(Choose("openai_compatible_llm", config), File);

        Assert.Equal((expectedWindow, expectedReserve), (settings.ContextWindowTokens, settings.ReplyReserveTokens));
    }

    [Fact]
    public void A_reply_reserve_over_half_the_window_is_a_config_error()
    {
        var config = new LlmProviderConfig
        {
            BaseUrl = "http://127.0.0.1:8000/v1", Model = "qwen", LlmApiKey = "k", ReplyReserveTokens = 5000,
        };

        var error = Assert.Throws<ConfigException>(() => LlmProviders.Resolve(Choose("openai_compatible_llm", config), File));

        Assert.Equal(("character_config.agent_config.llm_configs.openai_compatible_llm.reply_reserve_tokens", "5000",
            "at most half of context_window_tokens (8192), i.e. 16..4096"), (error.KeyPath, error.Value, error.Expected));
    }

    [Fact]
    public void Stateless_llm_with_template_posts_to_base_url_as_given_with_its_template_and_user_interrupts()
    {
        var config = new LlmProviderConfig
        {
            BaseUrl = "http://localhost:8080/completion", LlmApiKey = "somethingelse", Model = "qwen2.5:latest", Template = "LLAMA3",
        };

        var settings = LlmProviders.Resolve(Choose("stateless_llm_with_template", config), File);

        Assert.Equal((LlmApi.TemplateCompletion, "LLAMA3", InterruptMethod.User), (settings.Api, settings.Template, settings.InterruptMethod));
        Assert.Equal(new Uri("http://localhost:8080/completion"), settings.BaseUrl);
        Assert.IsType<TemplateCompletionChatClient>(LlmProviders.CreateClient(settings));
        Assert.Equal(PromptTemplates.ChatMl,
            LlmProviders.Resolve(Choose("stateless_llm_with_template", config with { Template = null }), File).Template);
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
    [InlineData(null, "http://localhost:11434", LlmApi.OllamaNative)]
    [InlineData("http://10.0.0.5:11434/v1/", "http://10.0.0.5:11434", LlmApi.OllamaNative)]
    [InlineData("http://10.0.0.5:11434", "http://10.0.0.5:11434", LlmApi.OllamaNative)]
    public void Ollama_defaults_to_the_native_api_at_the_server_root(string? baseUrl, string expectedUrl, LlmApi api)
    {
        // llm_api_key is left out: ollama_llm falls back to OLV's default_api_key.
        var config = new LlmProviderConfig { BaseUrl = baseUrl, Model = "m", KeepAlive = 120, UnloadAtExit = false };

        var settings = LlmProviders.Resolve(Choose("ollama_llm", config), File);

        Assert.Equal(new LlmProviderSettings("ollama_llm", new Uri(expectedUrl), "default_api_key", "m", 1.0,
            InterruptMethod.System, null, null) { Api = api, KeepAliveSeconds = 120, UnloadAtExit = false }, settings);
    }

    [Fact]
    public void Ollama_with_api_openai_uses_its_openai_compatible_endpoint()
    {
        var config = new LlmProviderConfig { Model = "m", Api = "openai" };

        var settings = LlmProviders.Resolve(Choose("ollama_llm", config), File);

        Assert.Equal(LlmApi.OpenAiChatCompletions, settings.Api);
        Assert.Equal(new Uri("http://localhost:11434/v1"), settings.BaseUrl);
        Assert.Equal(-1, settings.KeepAliveSeconds);
        Assert.True(settings.UnloadAtExit);
    }

    [Fact]
    public void Claude_defaults_to_anthropics_api_and_user_interrupts()
    {
        var config = new LlmProviderConfig { Model = "claude-sonnet", LlmApiKey = "sk-ant" };

        var settings = LlmProviders.Resolve(Choose("claude_llm", config), File);

        Assert.Equal(new LlmProviderSettings("claude_llm", new Uri("https://api.anthropic.com"), "sk-ant", "claude-sonnet",
            1.0, InterruptMethod.User, null, null) { Api = LlmApi.AnthropicMessages, ContextWindowTokens = 200_000 }, settings);
    }

    [Theory]
    [InlineData("/models/tiny.gguf", "/models/tiny.gguf")]
    [InlineData("models/tiny.gguf", "/olv/models/tiny.gguf")]
    public void Llama_cpp_takes_the_model_path_relative_to_the_config_and_interrupts_as_system(string given, string expected)
    {
        var config = new LlmProviderConfig { ModelPath = given };

        var settings = LlmProviders.Resolve(Choose("llama_cpp_llm", config), File);

        Assert.Equal((LlmApi.LlamaCpp, expected, "tiny.gguf", InterruptMethod.System, File),
                     (settings.Api, settings.ModelPath, settings.Model, settings.InterruptMethod, settings.ConfigFile));
    }

    [Fact]
    public void Timeouts_come_from_the_provider_block_or_default_to_60_and_30_seconds()
    {
        var given = new LlmProviderConfig { Model = "m", FirstTokenTimeoutSeconds = 5, IdleTimeoutSeconds = 2.5 };

        var configured = LlmProviders.Resolve(Choose("ollama_llm", given), File);
        var defaults = LlmProviders.Resolve(Choose("ollama_llm", new LlmProviderConfig { Model = "m" }), File);

        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2.5)), (configured.FirstTokenTimeout, configured.IdleTimeout));
        Assert.Equal((TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30)), (defaults.FirstTokenTimeout, defaults.IdleTimeout));
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
