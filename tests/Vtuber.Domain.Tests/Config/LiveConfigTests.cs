using Vtuber.Domain.Config;

namespace Vtuber.Domain.Tests.Config;

public sealed class LiveConfigTests : IDisposable
{
    private const string Main = """
        system_config:
          port: 12393
          journal:
            provider: 'postgresql'
            connection_string: 'Host=db;Password=pg-secret-pw'
        character_config:
          conf_name: 'main'
          conf_uid: 'main_001'
          live2d_model_name: 'mao_pro'
          persona_prompt: 'You are Mao.'
          agent_config:
            agent_settings:
              basic_memory_agent:
                llm_provider: 'openai_compatible_llm'
                mcp_enabled_servers: ['time']
            llm_configs:
              openai_compatible_llm:
                base_url: 'http://localhost:11434/v1'
                llm_api_key: 'sk-llm-secret'
                model: 'qwen2.5:latest'
          tts_config:
            tts_model: 'openai_tts'
            openai_tts:
              api_key: 'tts-secret'
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Dictionary<string, string?> Env(params (string Key, string Value)[] variables) =>
        variables.ToDictionary(v => v.Key, v => (string?)v.Value);

    [Fact]
    public void Environment_overrides_replace_values_by_double_underscore_path()
    {
        var config = ConfigLoader.Load(_folder.Write("conf.yaml", Main), environment: Env(
            ("VTUBER__system_config__port", "12400"),
            ("VTUBER__CHARACTER_CONFIG__agent_config__llm_configs__openai_compatible_llm__llm_api_key", "sk-from-env"),
            ("VTUBER__system_config__turn__tts_parallelism", "5"),
            ("OTHER__system_config__port", "1")));

        Assert.Equal(12400, config.System.Port);
        Assert.Equal("sk-from-env", config.Character.Agent.LlmConfigs["openai_compatible_llm"].LlmApiKey);
        Assert.Equal(5, config.System.Turn.TtsParallelism); // a section the file does not have is created
        Assert.Equal("main", config.Character.ConfName);
    }

    [Fact]
    public void An_invalid_override_is_reported_like_a_bad_value_in_the_file()
    {
        var file = _folder.Write("conf.yaml", Main);
        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Load(file, environment: Env(("VTUBER__system_config__port", "twelve"))));
        Assert.Equal("system_config.port", e.KeyPath);
        Assert.Equal("twelve", e.Value);
        Assert.Equal("an integer 0..65535", e.Expected);
    }

    [Fact]
    public void An_override_through_a_scalar_is_refused()
    {
        var file = _folder.Write("conf.yaml", Main);
        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Load(file, environment: Env(("VTUBER__system_config__port__inner", "1"))));
        Assert.Equal("system_config.port", e.KeyPath);
    }

    [Fact]
    public void Effective_config_masks_every_secret_and_keeps_the_rest()
    {
        var config = ConfigLoader.Load(_folder.Write("conf.yaml", Main));
        var json = EffectiveConfig.ToJson(config).ToJsonString();

        foreach (var secret in new[] { "sk-llm-secret", "tts-secret", "pg-secret-pw" })
        {
            Assert.DoesNotContain(secret, json);
        }
        var llm = EffectiveConfig.ToJson(config)["character"]!["agent"]!["llm_configs"]!["openai_compatible_llm"]!;
        Assert.Equal("***", (string?)llm["llm_api_key"]);
        Assert.Equal("qwen2.5:latest", (string?)llm["model"]);
        Assert.Equal(12393, (int?)EffectiveConfig.ToJson(config)["system"]!["port"]);
        Assert.Null((string?)llm["organization_id"]); // unset values stay visible as unset
    }

    [Theory]
    [InlineData("llm_api_key", true)]
    [InlineData("character_config.tts_config.azure_tts.api_key", true)]
    [InlineData("secret_id", true)]
    [InlineData("secret_key", true)]
    [InlineData("sessdata", true)]
    [InlineData("access_token", true)]
    [InlineData("connection_string", true)]
    [InlineData("model", false)]
    [InlineData("keep_alive", false)]
    [InlineData("tts_model", false)]
    public void Secret_keys_are_recognised_by_name(string key, bool secret) =>
        Assert.Equal(secret, ConfigSecrets.IsSecret(key));

    [Fact]
    public void A_config_error_on_a_secret_key_does_not_show_the_value()
    {
        var e = new ConfigException("conf.yaml", "character_config.tts_config.openai_tts.api_key", "tts-secret", "text");
        Assert.DoesNotContain("tts-secret", ConfigSecrets.Describe(e));
        Assert.Contains("openai_tts.api_key = '***'", ConfigSecrets.Describe(e));
    }

    [Fact]
    public void Sections_compare_by_content_across_loads()
    {
        var a = ConfigLoader.Load(_folder.Write("conf.yaml", Main));
        var b = ConfigLoader.Load(_folder.Write("conf.yaml", Main));
        var c = ConfigLoader.Load(_folder.Write("conf.yaml", Main.Replace("['time']", "['time', 'ddg']")));

        Assert.NotEqual(a.Character.Agent, b.Character.Agent); // records alone compare lists by reference
        Assert.True(EffectiveConfig.Same(a.Character.Agent, b.Character.Agent));
        Assert.True(EffectiveConfig.Same(a, b));
        Assert.False(EffectiveConfig.Same(a.Character.Agent, c.Character.Agent));
        Assert.True(EffectiveConfig.Same(a.Character.Tts, c.Character.Tts));
    }

    [Fact]
    public void A_candidate_text_is_read_as_if_it_were_the_file()
    {
        var file = _folder.Write("conf.yaml", Main);
        var config = ConfigLoader.LoadText(Main.Replace("12393", "12500"), file);
        Assert.Equal(12500, config.System.Port);
        Assert.Equal(Path.Combine(_folder.Path, "characters"), config.System.ConfigAltsDir);
    }
}
