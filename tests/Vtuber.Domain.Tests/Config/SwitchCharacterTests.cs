using Vtuber.Domain.Config;

namespace Vtuber.Domain.Tests.Config;

public sealed class SwitchCharacterTests : IDisposable
{
    private const string Main = """
        system_config:
          port: 12393
        character_config:
          conf_name: 'main'
          conf_uid: 'main_001'
          live2d_model_name: 'mao_pro'
          character_name: 'Mao'
          avatar: 'mao.png'
          persona_prompt: 'You are Mao.'
          agent_config:
            agent_settings:
              basic_memory_agent:
                llm_provider: 'openai_compatible_llm'
                use_mcpp: True
                mcp_enabled_servers: ['time', 'ddg-search']
            llm_configs:
              openai_compatible_llm:
                base_url: 'http://localhost:11434/v1'
                model: 'qwen2.5:latest'
                temperature: 1.0
          tts_config:
            espeak_ng:
              voice: 'en-us'
              pitch: 60
        """;

    private readonly TempFolder _folder = new();
    private readonly VtuberConfig _main;

    public SwitchCharacterTests() => _main = ConfigLoader.Load(_folder.Write("conf.yaml", Main));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Alternate_is_merged_onto_the_current_character()
    {
        _folder.Write("characters/nested/grumble.yaml", """
            system_config:
              port: 1
            character_config:
              conf_name: 'grumble'
              conf_uid: 'grumble_001'
              character_name: 'Grumble'
              avatar: ''
              persona_prompt: 'You are tired.'
              shoe_size: 44
              agent_config:
                agent_settings:
                  basic_memory_agent:
                    mcp_enabled_servers: ['time']
                llm_configs:
                  openai_compatible_llm:
                    temperature: 0.3
              tts_config:
                espeak_ng:
                  voice: 'en-gb'
            """);
        var unknown = new List<string>();

        var switched = ConfigLoader.SwitchCharacter(_main, "grumble.yaml", unknown.Add);

        Assert.Equal(["character_config.shoe_size"], unknown);
        Assert.Same(_main.System, switched.System);
        var c = switched.Character;
        Assert.Equal(("grumble", "grumble_001", "Grumble", "", "You are tired.", "mao_pro"),
            (c.ConfName, c.ConfUid, c.CharacterName, c.Avatar, c.PersonaPrompt, c.Live2dModelName));
        Assert.Equal(["time"], c.Agent.BasicMemoryAgent.McpEnabledServers); // lists replace
        Assert.True(c.Agent.BasicMemoryAgent.UseMcpp);
        var llm = c.Agent.LlmConfigs["openai_compatible_llm"];
        Assert.Equal((0.3, "qwen2.5:latest", "http://localhost:11434/v1"), (llm.Temperature, llm.Model, llm.BaseUrl));
        Assert.Equal(("en-gb", 60), (c.Tts.EspeakNg.Voice, c.Tts.EspeakNg.Pitch)); // mappings merge
    }

    [Fact]
    public void Main_file_name_rereads_its_character()
    {
        _folder.Write("characters/other.yaml", "character_config:\n  conf_name: 'other'\n  conf_uid: 'other_001'\n");
        var other = ConfigLoader.SwitchCharacter(_main, "other.yaml");

        var back = ConfigLoader.SwitchCharacter(other, "conf.yaml");

        Assert.Equal(_main.Character with { Agent = back.Character.Agent }, back.Character);
        Assert.Equal(("main_001", "qwen2.5:latest"),
            (back.Character.ConfUid, back.Character.Agent.LlmConfigs["openai_compatible_llm"].Model));
    }

    [Fact]
    public void Bad_value_in_an_alternate_names_that_file()
    {
        var file = _folder.Write("characters/bad.yaml", "character_config:\n  conf_uid: 'a/b'\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.SwitchCharacter(_main, "bad.yaml"));

        Assert.Equal((file, "character_config.conf_uid", "a/b"), (error.File, error.KeyPath, error.Value));
    }

    [Theory]
    [InlineData("missing.yaml")]
    [InlineData("../conf.yaml")]
    [InlineData("")]
    public void Unknown_or_escaping_file_name_is_refused(string fileName)
    {
        _folder.Write("characters/real.yaml", "character_config:\n  conf_name: 'real'\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.SwitchCharacter(_main, fileName));

        Assert.Equal((_main.System.ConfigAltsDir, fileName), (error.File, error.Value));
    }

    [Fact]
    public void Shipped_unhelpful_ai_switches_from_the_shipped_default()
    {
        var shipped = ConfigLoader.Load(Path.Combine(Vtuber.Testing.RepositoryRoot.Path, "config", "conf.yaml"));

        var unknown = new List<string>();
        var switched = ConfigLoader.SwitchCharacter(shipped, "en_unhelpful_ai.yaml", unknown.Add);

        Assert.Empty(unknown);
        Assert.Equal(("unhelpful_ai", "unhelpful_ai_001", "Grumble", "en-gb"),
            (switched.Character.ConfName, switched.Character.ConfUid, switched.Character.CharacterName,
             switched.Character.Tts.EspeakNg.Voice));
        // The alternate says nothing about the LLM, so the default character's settings carry over.
        Assert.Equal(shipped.Character.Agent.LlmConfigs, switched.Character.Agent.LlmConfigs);
        Assert.Equal("openai_compatible_llm", switched.Character.Agent.BasicMemoryAgent.LlmProvider);
    }
}
