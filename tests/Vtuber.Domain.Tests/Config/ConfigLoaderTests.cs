using System.Text;
using Vtuber.Domain.Config;

namespace Vtuber.Domain.Tests.Config;

public sealed class ConfigLoaderTests : IDisposable
{
    // The smallest valid file: each validation case below changes one line of it.
    private const string Minimal = """
        system_config:
          port: 12393
        character_config:
          conf_name: 'test'
          conf_uid: 'test_001'
          live2d_model_name: 'mao_pro'
          persona_prompt: 'You are a test.'
          agent_config:
            agent_settings:
              basic_memory_agent:
                llm_provider: 'openai_compatible_llm'
                segment_method: 'pysbd'
                faster_first_response: True
            llm_configs:
              openai_compatible_llm:
                base_url: 'http://localhost:11434/v1'
                model: 'qwen2.5:latest'
                temperature: 1.0
                interrupt_method: 'user'
        """;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private VtuberConfig LoadText(string yaml, Action<string>? unknownKey = null,
                                  IReadOnlyDictionary<string, string?>? environment = null) =>
        ConfigLoader.Load(_folder.Write("conf.yaml", yaml), unknownKey, environment);

    private static string Change(string from, string to)
    {
        Assert.Contains(from, Minimal);
        return Minimal.Replace(from, to);
    }

    [Fact]
    public void Minimal_file_takes_defaults_and_resolves_paths_against_its_folder()
    {
        var config = LoadText(Minimal);

        Assert.Equal(Path.Combine(_folder.Path, "conf.yaml"), config.SourcePath);
        Assert.Equal(Path.Combine(_folder.Path, "frontend"), config.System.FrontendDir);
        Assert.Equal(Path.Combine(_folder.Path, "characters"), config.System.ConfigAltsDir);
        Assert.Equal(Path.Combine(_folder.Path, "model_dict.json"), config.System.ModelDictPath);
        Assert.Equal(Path.Combine(_folder.Path, "data", "vtuber.db"), config.System.Journal.SqlitePath);
        Assert.Equal(("localhost", 3, 60.0), (config.System.Host, config.System.Turn.TtsParallelism,
            config.System.Turn.PlaybackCompleteTimeoutSeconds));
        Assert.Equal(("Human", "espeak_ng", true), (config.Character.HumanName, config.Character.Tts.TtsModel,
            config.Character.TtsPreprocessor.IgnoreBrackets));
        Assert.Equal(1.0, config.Character.Agent.LlmConfigs["openai_compatible_llm"].Temperature);
        Assert.Null(config.Character.Agent.LlmConfigs["openai_compatible_llm"].KeepAlive);
    }

    [Fact]
    public void Absolute_paths_are_kept()
    {
        var elsewhere = Path.Combine(Path.GetTempPath(), "somewhere", "models");

        var config = LoadText(Change("  port: 12393", $"  port: 12393\n  live2d_models_dir: '{elsewhere}'"));

        Assert.Equal(elsewhere, config.System.Live2dModelsDir);
    }

    [Fact]
    public void Olv_shaped_file_loads_and_reports_only_the_unknown_keys()
    {
        const string olv = """
            system_config:
              conf_version: 'v1.2.1'
              host: '0.0.0.0'
              port: 12393
              config_alts_dir: 'characters'
              colour: 'blue'
            character_config:
              conf_name: 'mao_pro'
              conf_uid: 'mao_pro_001'
              live2d_model_name: 'mao_pro'
              character_name: 'Mao'
              avatar: 'mao.png'
              human_name: 'Human'
              favourite_food: 'pie'
              persona_prompt: |
                You are Mao.
                Be brief.
              agent_config:
                conversation_agent_choice: 'basic_memory_agent'
                agent_settings:
                  basic_memory_agent:
                    llm_provider: 'ollama_llm'
                    faster_first_response: False
                    segment_method: 'regex'
                    use_mcpp: True
                    mcp_enabled_servers: ["time", "ddg-search"]
                  letta_agent:
                    host: 'localhost'
                    port: 8283
                  hume_ai_agent:
                    api_key: ''
                llm_configs:
                  stateless_llm_with_template:
                    base_url: 'http://localhost:8080/v1'
                    template: 'CHATML'
                  openai_compatible_llm:
                    base_url: 'http://localhost:11434/v1'
                    llm_api_key: 'somethingelse'
                    organization_id: null
                    project_id: null
                    model: 'qwen2.5:latest'
                    temperature: 1.0
                    interrupt_method: 'user'
                  llama_cpp_llm:
                    model_path: '<path-to-gguf-model-file>'
                    verbose: False
                  ollama_llm:
                    base_url: 'http://localhost:11434/v1'
                    model: 'qwen2.5:latest'
                    temperature: 0.7
                    keep_alive: -1
                    unload_at_exit: True
                    seed: 42
                  my_own_llm:
                    model: 'x'
              asr_config:
                asr_model: 'sherpa_onnx_asr'
                sherpa_onnx_asr:
                  model_type: 'sense_voice'
              tts_config:
                tts_model: 'edge_tts'
                edge_tts:
                  voice: 'en-US-AvaMultilingualNeural'
                openai_tts:
                  model: 'tts-1'
                  voice: 'alloy'
                  api_key: 'sk-test'
                  base_url: 'https://api.openai.com/v1'
                  file_extension: 'wav'
              vad_config:
                vad_model: null
              tts_preprocessor_config:
                remove_special_char: True
                ignore_brackets: True
                ignore_parentheses: False
                ignore_asterisks: True
                ignore_angle_brackets: True
                translator_config:
                  translate_audio: False
            live_config:
              bilibili_live:
                room_ids: [1991478060]
                sessdata: ""
            top_level_extra: 1
            """;
        var unknown = new List<string>();

        var config = LoadText(olv, unknown.Add);

        Assert.Equal(
            [
                "character_config.agent_config.llm_configs.my_own_llm",
                "character_config.agent_config.llm_configs.ollama_llm.seed",
                "character_config.favourite_food", "system_config.colour", "top_level_extra",
            ],
            unknown.Order(StringComparer.Ordinal));
        Assert.Equal(("0.0.0.0", 12393), (config.System.Host, config.System.Port));
        var character = config.Character;
        Assert.Equal("You are Mao.\nBe brief.\n", character.PersonaPrompt);
        var agent = character.Agent.BasicMemoryAgent;
        Assert.Equal(("ollama_llm", false, "regex", true), (agent.LlmProvider, agent.FasterFirstResponse,
            agent.SegmentMethod, agent.UseMcpp));
        Assert.Equal(["time", "ddg-search"], agent.McpEnabledServers);
        Assert.Equal(["stateless_llm_with_template", "openai_compatible_llm", "llama_cpp_llm", "ollama_llm"], character.Agent.LlmConfigs.Keys);
        var ollama = character.Agent.LlmConfigs["ollama_llm"];
        Assert.Equal((0.7, -1.0, true, (string?)null), (ollama.Temperature, ollama.KeepAlive, ollama.UnloadAtExit,
            ollama.InterruptMethod));
        Assert.Null(character.Agent.LlmConfigs["openai_compatible_llm"].OrganizationId);
        Assert.Equal("<path-to-gguf-model-file>", character.Agent.LlmConfigs["llama_cpp_llm"].ModelPath);
        Assert.Equal("edge_tts", character.Tts.TtsModel);
        Assert.Equal(("tts-1", "alloy", "sk-test", "https://api.openai.com/v1", "wav"),
            (character.Tts.OpenAiTts.Model, character.Tts.OpenAiTts.Voice, character.Tts.OpenAiTts.ApiKey,
             character.Tts.OpenAiTts.BaseUrl, character.Tts.OpenAiTts.FileExtension));
        Assert.False(character.TtsPreprocessor.IgnoreParentheses);
        Assert.True(character.TtsPreprocessor.IgnoreAsterisks);
    }

    [Fact]
    public void Environment_placeholders_are_replaced_before_parsing_and_unset_ones_stay()
    {
        var yaml = Change("  port: 12393", "  port: ${TEST_PORT}")
            .Replace("model: 'qwen2.5:latest'", "model: '${UNSET_MODEL}'\n        llm_api_key: '${TEST_KEY}-${NULL_VAR}'");
        var environment = new Dictionary<string, string?> { ["TEST_PORT"] = "8080", ["TEST_KEY"] = "sk-1", ["NULL_VAR"] = null };

        var config = LoadText(yaml, environment: environment);

        Assert.Equal(8080, config.System.Port);
        var llm = config.Character.Agent.LlmConfigs["openai_compatible_llm"];
        Assert.Equal("${UNSET_MODEL}", llm.Model);
        Assert.Equal("sk-1-${NULL_VAR}", llm.LlmApiKey);
    }

    [Fact]
    public void Process_environment_is_used_when_none_is_given()
    {
        var name = "VTUBER_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-process");
        try
        {
            var config = LoadText(Change("conf_name: 'test'", $"conf_name: '${{{name}}}'"));

            Assert.Equal("from-process", config.Character.ConfName);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData("  port: 12393", "  port: 70000", "system_config.port", "70000", "an integer 0..65535")]
    [InlineData("  port: 12393", "  port: -1", "system_config.port", "-1", "an integer 0..65535")]
    [InlineData("  port: 12393", "  port: \"abc\"", "system_config.port", "abc", "an integer 0..65535")]
    [InlineData("  port: 12393", "  port: [1, 2]", "system_config.port", "(a list)", "an integer 0..65535")]
    [InlineData("  port: 12393", "  port: 12393\n  host: ''", "system_config.host", "", "a host name or IP address")]
    [InlineData("  persona_prompt: 'You are a test.'", "  persona_prompt: ''", "character_config.persona_prompt", "", "a non-empty prompt")]
    [InlineData("  persona_prompt: 'You are a test.'", "  persona_prompt: null", "character_config.persona_prompt", null, "a non-empty prompt")]
    [InlineData("  conf_uid: 'test_001'", "  conf_uid: ''", "character_config.conf_uid", "", null)]
    [InlineData("  conf_uid: 'test_001'", "  conf_uid: '../escape'", "character_config.conf_uid", "../escape", null)]
    [InlineData("  conf_uid: 'test_001'", "  conf_uid: 'a:b'", "character_config.conf_uid", "a:b", null)]
    [InlineData("  conf_uid: 'test_001'", "  conf_uid: '..'", "character_config.conf_uid", "..", null)]
    [InlineData("  live2d_model_name: 'mao_pro'", "  live2d_model_name: ''", "character_config.live2d_model_name", "", null)]
    [InlineData("segment_method: 'pysbd'", "segment_method: 'nltk'", "character_config.agent_config.agent_settings.basic_memory_agent.segment_method", "nltk", "'pysbd' or 'regex'")]
    [InlineData("faster_first_response: True", "faster_first_response: 'maybe'", "character_config.agent_config.agent_settings.basic_memory_agent.faster_first_response", "maybe", "true or false")]
    [InlineData("interrupt_method: 'user'", "interrupt_method: 'assistant'", "character_config.agent_config.llm_configs.openai_compatible_llm.interrupt_method", "assistant", "'system' or 'user'")]
    [InlineData("temperature: 1.0", "temperature: 'hot'", "character_config.agent_config.llm_configs.openai_compatible_llm.temperature", "hot", "a number 0..2")]
    [InlineData("temperature: 1.0", "temperature: 2.5", "character_config.agent_config.llm_configs.openai_compatible_llm.temperature", "2.5", "a number 0..2")]
    [InlineData("base_url: 'http://localhost:11434/v1'", "base_url: 'localhost:11434'", "character_config.agent_config.llm_configs.openai_compatible_llm.base_url", "localhost:11434", "an absolute http(s) URL")]
    [InlineData("base_url: 'http://localhost:11434/v1'", "base_url: null", "character_config.agent_config.llm_configs.openai_compatible_llm.base_url", null, null)]
    [InlineData("model: 'qwen2.5:latest'", "model: ''", "character_config.agent_config.llm_configs.openai_compatible_llm.model", "", null)]
    [InlineData("llm_provider: 'openai_compatible_llm'", "llm_provider: 'ollama_llm'", "character_config.agent_config.llm_configs.ollama_llm", null, null)]
    [InlineData("  port: 12393", "  port: 12393\n  journal:\n    provider: 'mysql'", "system_config.journal.provider", "mysql", "'sqlite' or 'postgresql'")]
    [InlineData("  port: 12393", "  port: 12393\n  journal:\n    provider: 'postgresql'", "system_config.journal.connection_string", null, null)]
    [InlineData("  port: 12393", "  port: 12393\n  journal:\n    snapshot_interval: 0", "system_config.journal.snapshot_interval", "0", "a positive number of events")]
    [InlineData("  port: 12393", "  port: 12393\n  websocket:\n    max_message_bytes: 0", "system_config.websocket.max_message_bytes", "0", "a positive number of bytes")]
    [InlineData("  port: 12393", "  port: 12393\n  websocket:\n    keep_alive_seconds: 0", "system_config.websocket.keep_alive_seconds", "0", "a number of seconds 1..86400")]
    [InlineData("  port: 12393", "  port: 12393\n  websocket:\n    outbound_queue_size: -5", "system_config.websocket.outbound_queue_size", "-5", "a positive integer")]
    [InlineData("  port: 12393", "  port: 12393\n  turn:\n    playback_complete_timeout_seconds: -1", "system_config.turn.playback_complete_timeout_seconds", "-1", "a number of seconds 0.1..86400")]
    [InlineData("  port: 12393", "  port: 12393\n  turn:\n    tts_parallelism: 17", "system_config.turn.tts_parallelism", "17", "an integer 1..16")]
    [InlineData("  port: 12393", "  port: 12393\n  turn:\n    tts_parallelism: 0", "system_config.turn.tts_parallelism", "0", "an integer 1..16")]
    [InlineData("  port: 12393", "  port: 12393\n  turn: 5", "system_config.turn", "5", "a mapping of keys")]
    [InlineData("  port: 12393", "  port: 12393\n  cache_dir: ''", "system_config.cache_dir", "", "a file or folder path")]
    [InlineData("  port: 12393", "  port: 12393\n  tool_prompts:\n    live2d_expression_prompt: 'no_such_prompt'", "system_config.tool_prompts.live2d_expression_prompt", "no_such_prompt", null)]
    [InlineData("  persona_prompt: 'You are a test.'", "  persona_prompt: 'x'\n  tts_config:\n    espeak_ng:\n      pitch: 100", "character_config.tts_config.espeak_ng.pitch", "100", "an integer 0..99")]
    [InlineData("  persona_prompt: 'You are a test.'", "  persona_prompt: 'x'\n  tts_config:\n    tts_model: 'openai_tts'\n    openai_tts:\n      file_extension: 'ogg'", "character_config.tts_config.openai_tts.file_extension", "ogg", "'mp3' or 'wav'")]
    [InlineData("  persona_prompt: 'You are a test.'", "  persona_prompt: 'x'\n  tts_preprocessor_config:\n    ignore_brackets: 2", "character_config.tts_preprocessor_config.ignore_brackets", "2", "true or false")]
    public void Bad_value_names_file_key_path_value_and_expected_form(string from, string to, string keyPath,
                                                                       string? value, string? expected)
    {
        var file = _folder.Write("conf.yaml", Change(from, to));

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file));

        Assert.Equal((file, keyPath, value), (error.File, error.KeyPath, error.Value));
        if (expected is not null) Assert.Equal(expected, error.Expected);
        Assert.Contains(keyPath, error.Message);
    }

    [Fact]
    public void Unsupported_llm_provider_lists_the_supported_ones()
    {
        var file = _folder.Write("conf.yaml", Change("llm_provider: 'openai_compatible_llm'", "llm_provider: 'gpt_llm'"));

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file));

        Assert.Equal(("character_config.agent_config.agent_settings.basic_memory_agent.llm_provider", "gpt_llm"),
            (error.KeyPath, error.Value));
        foreach (var provider in ConfigLoader.LlmProviders) Assert.Contains(provider, error.Expected);
    }

    [Fact]
    public void Stateless_llm_with_template_reads_its_template_and_refuses_one_olv_does_not_have()
    {
        const string section = "llm_provider: 'stateless_llm_with_template'";
        string Template(string template) => Change("llm_provider: 'openai_compatible_llm'", section)
            .Replace("      openai_compatible_llm:", "      stateless_llm_with_template:\n" +
                "        base_url: 'http://localhost:8080/completion'\n        llm_api_key: 'somethingelse'\n" +
                $"        model: 'qwen2.5:latest'\n        template: '{template}'\n      openai_compatible_llm:");
        var unknown = new List<string>();

        var config = LoadText(Template("LLAMA3"), unknown.Add);
        var error = Assert.Throws<ConfigException>(() => LoadText(Template("MISTRAL")));

        Assert.Equal("LLAMA3", config.Character.Agent.LlmConfigs["stateless_llm_with_template"].Template);
        Assert.Empty(unknown);
        Assert.Equal(("character_config.agent_config.llm_configs.stateless_llm_with_template.template", "MISTRAL"),
            (error.KeyPath, error.Value));
    }

    [Fact]
    public void Postgresql_journal_with_a_connection_string_loads()
    {
        var config = LoadText(Change("  port: 12393",
            "  port: 12393\n  journal:\n    provider: 'postgresql'\n    connection_string: 'Host=db;Database=vtuber'\n" +
            "    provider_name: 'PostgreSQL'\n    snapshot_interval: 50"));

        Assert.Equal(("postgresql", "Host=db;Database=vtuber", "PostgreSQL", 50),
            (config.System.Journal.Provider, config.System.Journal.ConnectionString, config.System.Journal.ProviderName,
             config.System.Journal.SnapshotInterval));
    }

    [Fact]
    public void Tool_prompts_keep_file_order_and_skip_nulls()
    {
        _folder.Write("prompts/utils/speakable_prompt.txt", "a");
        _folder.Write("prompts/utils/live2d_expression_prompt.txt", "b");

        var config = LoadText(Change("  port: 12393", """
              port: 12393
              tool_prompts:
                speakable_prompt: 'speakable_prompt'
                think_tag_prompt: null
                live2d_expression_prompt: 'live2d_expression_prompt'
            """.TrimEnd()));

        Assert.Equal(
            [new("speakable_prompt", "speakable_prompt"), new("live2d_expression_prompt", "live2d_expression_prompt")],
            config.System.ToolPrompts);
    }

    [Fact]
    public void Yaml_syntax_error_names_the_line()
    {
        var file = _folder.Write("conf.yaml", "system_config:\n  port: 12393\n  host: [localhost\ncharacter_config: {}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file));

        Assert.Equal(file, error.File);
        Assert.Matches(@"^\(line 3, column \d+\)$", error.KeyPath);
        Assert.StartsWith("valid YAML", error.Expected);
    }

    [Fact]
    public void Yaml_syntax_error_in_the_middle_names_its_line_and_text()
    {
        var file = _folder.Write("conf.yaml", "system_config:\n  port: 12393\n  host: a: b\ncharacter_config: {}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file));

        Assert.StartsWith("(line 3, column ", error.KeyPath);
        Assert.Equal("host: a: b", error.Value);
    }

    [Fact]
    public void Duplicate_key_is_a_syntax_error_with_its_line()
    {
        var file = _folder.Write("conf.yaml", Change("  port: 12393", "  port: 12393\n  port: 8080"));

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file));

        Assert.StartsWith("(line 3, column ", error.KeyPath);
    }

    [Fact]
    public void Document_that_is_not_a_mapping_is_rejected()
    {
        var file = _folder.Write("conf.yaml", "- just\n- a list\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file));

        Assert.Equal(("(document)", "(a list)"), (error.KeyPath, error.Value));
    }

    [Fact]
    public void Missing_file_is_a_config_error()
    {
        var file = Path.Combine(_folder.Path, "absent.yaml");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(file));

        Assert.Equal((file, "(file)"), (error.File, error.KeyPath));
    }

    [Fact]
    public void Utf8_with_bom_is_read()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Change("conf_name: 'test'", "conf_name: '米粒'"))).ToArray();

        var config = ConfigLoader.Load(_folder.Write("conf.yaml", bytes));

        Assert.Equal("米粒", config.Character.ConfName);
    }

    [Fact]
    public void Utf16_with_bom_is_read()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Change("conf_name: 'test'", "conf_name: 'Ünïcode'"))).ToArray();

        var config = ConfigLoader.Load(_folder.Write("conf.yaml", bytes));

        Assert.Equal("Ünïcode", config.Character.ConfName);
    }

    [Fact]
    public void Gbk_file_from_chinese_windows_is_read()
    {
        var gbk = CodePagesEncodingProvider.Instance.GetEncoding(936)!;
        var bytes = gbk.GetBytes(Change("conf_name: 'test'", "conf_name: '翻译腔'"));
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(bytes));

        var config = ConfigLoader.Load(_folder.Write("conf.yaml", bytes));

        Assert.Equal("翻译腔", config.Character.ConfName);
    }

    [Theory]
    [InlineData(null, "test")]
    [InlineData("''", "test")]
    [InlineData("~", "test")]
    [InlineData("'Mao'", "Mao")]
    public void Character_name_falls_back_to_conf_name(string? written, string expected)
    {
        var yaml = written is null ? Minimal : Change("  conf_name: 'test'", $"  conf_name: 'test'\n  character_name: {written}");

        Assert.Equal(expected, LoadText(yaml).Character.CharacterName);
    }

    [Theory]
    [InlineData("False", false)]
    [InlineData("false", false)]
    [InlineData("no", false)]
    [InlineData("TRUE", true)]
    [InlineData("null", true)]
    public void Yaml_booleans_and_null_are_understood(string written, bool expected)
    {
        var config = LoadText(Change("faster_first_response: True", $"faster_first_response: {written}"));

        Assert.Equal(expected, config.Character.Agent.BasicMemoryAgent.FasterFirstResponse);
    }
}
