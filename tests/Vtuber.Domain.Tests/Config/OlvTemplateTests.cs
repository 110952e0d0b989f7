using Vtuber.Domain.Config;
using Vtuber.Testing;

namespace Vtuber.Domain.Tests.Config;

/// <summary>OLV's own conf.yaml templates, unchanged, in an OLV-shaped folder (tests/olv-config).</summary>
public sealed class OlvTemplateTests
{
    public static TheoryData<string> Templates => [OlvFolder.EnglishTemplate, OlvFolder.ChineseTemplate];

    private sealed record Loaded(VtuberConfig Config, List<string> Unknown, List<ConfigNotice> Notices);

    private static Loaded Load(OlvFolder folder, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var unknown = new List<string>();
        var notices = new List<ConfigNotice>();
        var config = ConfigLoader.Load(folder.ConfigPath, unknown.Add, environment, notices.Add);
        return new Loaded(config, unknown, notices);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_loads_unchanged_with_its_selected_engines(string template)
    {
        using var folder = OlvFolder.Create(template);

        var (config, unknown, notices) = Load(folder);

        var character = config.Character;
        Assert.Equal(("mao_pro", "mao_pro_001"), (character.ConfName, character.ConfUid));
        Assert.Equal("ollama_llm", character.Agent.BasicMemoryAgent.LlmProvider);
        Assert.Equal("edge_tts", character.Tts.TtsModel);
        Assert.EndsWith("Neural", character.Tts.EdgeTts.Voice); // en-US-AvaMultilingualNeural, zh-CN-XiaoxiaoNeural
        Assert.Equal("sherpa_onnx_asr", character.Asr.AsrModel);
        Assert.Null(character.Vad.VadModel);
        Assert.Empty(unknown);
        // The half-filled sections of engines that are not selected are read leniently and only noted.
        var voiceId = Assert.Single(notices, n => n.KeyPath == "character_config.tts_config.elevenlabs_tts.voice_id");
        Assert.False(voiceId.IsWarning);
        Assert.Contains("tts_model is 'edge_tts'", voiceId.Message);
        // No prompts/ folder in the OLV folder: the bundled prompts stand in.
        Assert.Equal(["live2d_expression_prompt", "group_conversation_prompt", "mcp_prompt", "proactive_speak_prompt"],
            config.System.ToolPrompts.Select(p => p.Key));
        Assert.All(config.System.ToolPrompts, p => Assert.NotNull(PromptFiles.Find(config.System.PromptsDir, p.Value)));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Template_turns_on_nothing_this_server_lacks(string template)
    {
        using var folder = OlvFolder.Create(template);

        Assert.DoesNotContain(Load(folder).Notices, n => n.IsWarning);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Selecting_a_half_filled_engine_still_stops_with_its_key(string template)
    {
        using var folder = OlvFolder.Create(template);

        var e = Assert.Throws<ConfigException>(() => Load(folder, new Dictionary<string, string?>
        {
            ["VTUBER__character_config__tts_config__tts_model"] = "elevenlabs_tts",
        }));

        Assert.Equal("character_config.tts_config.elevenlabs_tts.voice_id", e.KeyPath);
        Assert.Equal("", e.Value);
        Assert.Contains("ElevenLabs voice id", e.Expected);
    }

    [Fact]
    public void A_bad_value_of_an_unselected_provider_is_noted_and_of_the_selected_one_refused()
    {
        using var folder = OlvFolder.Create(OlvFolder.EnglishTemplate);
        var badGroq = new Dictionary<string, string?>
        {
            ["VTUBER__character_config__agent_config__llm_configs__groq_llm__temperature"] = "hot",
        };

        var (config, _, notices) = Load(folder, badGroq);

        Assert.Null(config.Character.Agent.LlmConfigs["groq_llm"].Temperature); // OLV's default applies
        var note = Assert.Single(notices, n => n.KeyPath.EndsWith("groq_llm.temperature", StringComparison.Ordinal));
        Assert.Contains("llm_provider is 'ollama_llm'", note.Message);

        badGroq["VTUBER__character_config__agent_config__agent_settings__basic_memory_agent__llm_provider"] = "groq_llm";
        var e = Assert.Throws<ConfigException>(() => Load(folder, badGroq));
        Assert.Equal(("character_config.agent_config.llm_configs.groq_llm.temperature", "hot"), (e.KeyPath, e.Value));
    }

    [Fact]
    public void Agent_choices_this_server_does_not_run_are_warned_about_and_the_proxy_runs()
    {
        using var folder = OlvFolder.Create(OlvFolder.ChineseTemplate);

        var (config, _, notices) = Load(folder, new Dictionary<string, string?>
        {
            ["VTUBER__character_config__agent_config__conversation_agent_choice"] = "mem0_agent",
            ["VTUBER__system_config__enable_proxy"] = "True",
        });
        var warnings = notices.Where(n => n.IsWarning).ToList();

        Assert.Equal(["character_config.agent_config.conversation_agent_choice"], warnings.Select(w => w.KeyPath));
        Assert.Contains("basic_memory_agent answers instead", warnings[0].Message);
        // The template lists a Bilibili room: it is read, but no bridge starts without enabled: true.
        Assert.True(config.System.EnableProxy);
        Assert.Equal([1991478060L], config.Live.Bilibili.RoomIds);
        Assert.False(config.Live.AnyBridge);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Letta_agent_is_run_with_the_templates_letta_section_and_its_own_sentence_settings(string template)
    {
        using var folder = OlvFolder.Create(template);

        var (config, _, notices) = Load(folder, new Dictionary<string, string?>
        {
            ["VTUBER__character_config__agent_config__conversation_agent_choice"] = "letta_agent",
            ["VTUBER__character_config__agent_config__agent_settings__letta_agent__segment_method"] = "regex",
        });

        var agent = config.Character.Agent;
        Assert.Equal(("localhost", 8283, "xxx"), (agent.LettaAgent.Host, agent.LettaAgent.Port, agent.LettaAgent.Id));
        Assert.Equal("regex", agent.BasicMemoryAgent.SegmentMethod);
        Assert.DoesNotContain(notices, n => n.IsWarning && n.KeyPath.EndsWith("conversation_agent_choice", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Turning_on_the_templates_translator_reads_its_deeplx_section(string template)
    {
        using var folder = OlvFolder.Create(template);

        var translator = Load(folder, new Dictionary<string, string?>
        {
            ["VTUBER__character_config__tts_preprocessor_config__translator_config__translate_audio"] = "True",
        }).Config.Character.TtsPreprocessor.Translator;

        Assert.True(translator.TranslateAudio);
        Assert.Equal(("deeplx", "JA", "http://localhost:1188/v2/translate"),
            (translator.TranslateProvider, translator.DeepLxSettings.TargetLang, translator.DeepLxSettings.ApiEndpoint));
        Assert.Equal(("zh", "ja", "ap-guangzhou"), (translator.TencentSettings.SourceLang,
            translator.TencentSettings.TargetLang, translator.TencentSettings.Region));
    }

    [Fact]
    public void Tencent_translation_needs_its_keys_only_when_it_is_on_and_chosen()
    {
        using var folder = OlvFolder.Create(OlvFolder.EnglishTemplate);
        var tencent = new Dictionary<string, string?>
        {
            ["VTUBER__character_config__tts_preprocessor_config__translator_config__translate_provider"] = "tencent",
        };
        Assert.False(Load(folder, tencent).Config.Character.TtsPreprocessor.Translator.TranslateAudio);

        tencent["VTUBER__character_config__tts_preprocessor_config__translator_config__translate_audio"] = "True";
        var e = Assert.Throws<ConfigException>(() => Load(folder, tencent));

        Assert.Equal("character_config.tts_preprocessor_config.translator_config.tencent.secret_id", e.KeyPath);
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Every_olv_character_switches_from_the_template(string template)
    {
        using var folder = OlvFolder.Create(template);
        var main = Load(folder).Config;

        foreach (var file in Directory.GetFiles(Path.Combine(folder.Root, "characters")).Select(Path.GetFileName))
        {
            var unknown = new List<string>();
            var switched = ConfigLoader.SwitchCharacter(main, file!, unknown.Add);

            Assert.NotEqual(main.Character.ConfUid, switched.Character.ConfUid);
            Assert.Empty(unknown);
        }
    }

    [Fact]
    public void Selecting_the_templates_azure_asr_reads_its_key_region_and_languages()
    {
        using var folder = OlvFolder.Create(OlvFolder.EnglishTemplate);
        var azure = new Dictionary<string, string?> { ["VTUBER__character_config__asr_config__asr_model"] = "azure_asr" };

        var asr = Load(folder, azure).Config.Character.Asr;

        Assert.Equal(("azure_asr", "azure_api_key", "eastus"), (asr.AsrModel, asr.AzureAsr.ApiKey, asr.AzureAsr.Region));
        Assert.Equal(["en-US", "zh-CN"], asr.AzureAsr.Languages);

        azure["VTUBER__character_config__asr_config__azure_asr__api_key"] = "";
        var e = Assert.Throws<ConfigException>(() => Load(folder, azure));
        Assert.Equal("character_config.asr_config.azure_asr.api_key", e.KeyPath);
    }

    [Theory]
    [InlineData("tts_model", "bark_tts", "piper_tts")]
    [InlineData("tts_model", "melo_tts", "piper_tts")]
    [InlineData("tts_model", "coqui_tts", "x_tts")]
    [InlineData("asr_model", "faster_whisper", "whisper_cpp")]
    [InlineData("asr_model", "whisper", "whisper_cpp")]
    [InlineData("asr_model", "fun_asr", "sherpa_onnx_asr")]
    public void A_python_only_engine_is_accepted_with_a_warning_naming_the_closest_one_here(string key, string engine,
                                                                                          string closest)
    {
        using var folder = OlvFolder.Create(OlvFolder.EnglishTemplate);
        var section = key == "tts_model" ? "tts_config" : "asr_config";

        var (config, _, notices) = Load(folder, new Dictionary<string, string?>
        {
            [$"VTUBER__character_config__{section}__{key}"] = engine,
        });

        var warning = Assert.Single(notices, n => n.IsWarning);
        Assert.Equal($"character_config.{section}.{key}", warning.KeyPath);
        Assert.Contains($"'{engine}' runs only inside Open-LLM-VTuber's Python", warning.Message);
        Assert.Contains(closest, warning.Message);
        if (key == "tts_model") Assert.Equal("espeak_ng", config.Character.Tts.TtsModel);
        else Assert.Equal(engine, config.Character.Asr.AsrModel); // voice input answers with the reason
    }

    [Theory]
    [InlineData("1e21")]
    [InlineData("-2")]
    public void Ollama_keep_alive_outside_its_range_names_the_key(string keepAlive)
    {
        using var folder = OlvFolder.Create(OlvFolder.EnglishTemplate);

        var e = Assert.Throws<ConfigException>(() => Load(folder, new Dictionary<string, string?>
        {
            ["VTUBER__character_config__agent_config__llm_configs__ollama_llm__keep_alive"] = keepAlive,
        }));

        Assert.Equal(("character_config.agent_config.llm_configs.ollama_llm.keep_alive", keepAlive), (e.KeyPath, e.Value));
        Assert.Contains("-1..31536000", e.Expected);
    }

    [ReferenceFact]
    public void Fixtures_equal_the_workplace_reference_files()
    {
        var reference = ReferenceFactAttribute.ReferenceDir;
        foreach (var file in Directory.GetFiles(reference, "*", SearchOption.AllDirectories)
                     .Where(f => Path.GetFileName(f) != "README.md"))
        {
            var copy = Path.Combine(OlvFolder.FixtureDir, Path.GetRelativePath(reference, file));
            Assert.True(File.Exists(copy), $"{copy} is missing");
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(copy));
        }
    }
}

/// <summary>A test of the fixtures against ../shared/reference/olv-config, skipped where that folder is absent.</summary>
public sealed class ReferenceFactAttribute : FactAttribute
{
    public static string ReferenceDir { get; } =
        Path.GetFullPath(Path.Combine(RepositoryRoot.Path, "..", "shared", "reference", "olv-config"));

    public ReferenceFactAttribute()
    {
        if (!Directory.Exists(ReferenceDir))
            Skip = $"the workplace's OLV reference files are not at {ReferenceDir}";
    }
}
