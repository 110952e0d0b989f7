using System.Buffers;

namespace Vtuber.Domain.Config;

/// <summary>
/// Reads an OLV conf.yaml (plus our extension keys under system_config) into <see cref="VtuberConfig"/>: guesses the
/// encoding, substitutes ${VAR}, parses, maps, resolves relative paths against the file's folder and validates.
/// The first bad value stops loading with a <see cref="ConfigException"/> naming file, key path, value and form.
/// </summary>
public static class ConfigLoader
{
    private const string BasicMemoryAgent = "basic_memory_agent";
    private const string TemplateLlm = "stateless_llm_with_template";

    /// <summary>The llm_configs keys a basic_memory_agent may use: all of OLV's providers.</summary>
    public static readonly IReadOnlyList<string> LlmProviders =
    [
        "openai_compatible_llm", "ollama_llm", "lmstudio_llm", "openai_llm", "gemini_llm", "zhipu_llm",
        "deepseek_llm", "groq_llm", "mistral_llm", "claude_llm", "llama_cpp_llm", TemplateLlm,
    ];

    // OLV sections and engines that are valid in an OLV file but not used by us yet: accepted without a report.
    private static readonly string[] IgnoredTtsEngines =
    [
        "bark_tts", "melo_tts", "coqui_tts", "parler_tts", "sherpa_onnx_tts",
    ];

    // OLV engines that exist only as in-process Python: a file may select one; espeak_ng speaks instead, and the
    // start-up warning names the engine here that comes closest.
    private static readonly Dictionary<string, string> PythonOnlyTtsEngines = new(StringComparer.Ordinal)
    {
        ["bark_tts"] = "piper_tts (offline neural voices) or edge_tts",
        ["melo_tts"] = "piper_tts (MeloTTS-like VITS voices offline) or edge_tts",
        ["coqui_tts"] = "piper_tts (offline) or x_tts (Coqui XTTS served over HTTP)",
    };

    private const string FallbackTtsEngine = "espeak_ng";

    private static readonly SearchValues<char> UnsafeFolderChars = SearchValues.Create("<>:\"/\\|?*");

    /// <param name="notice">
    /// Receives what does not stop loading: settings turned on that this server does not do (warnings), and values
    /// in the sections of engines that are not selected that would be refused if they were.
    /// </param>
    public static VtuberConfig Load(string path, Action<string>? unknownKey = null,
                                    IReadOnlyDictionary<string, string?>? environment = null,
                                    Action<ConfigNotice>? notice = null)
    {
        var file = Path.GetFullPath(path);
        return LoadText(ConfigText.Read(file), file, unknownKey, environment, notice);
    }

    /// <summary>
    /// Reads conf.yaml text as if it were the file at <paramref name="path"/> (relative paths resolve against its
    /// folder): validating a candidate before it replaces the live file. VTUBER__ environment overrides apply
    /// to the main config only, on top of the YAML, before validation.
    /// </summary>
    public static VtuberConfig LoadText(string text, string path, Action<string>? unknownKey = null,
                                        IReadOnlyDictionary<string, string?>? environment = null,
                                        Action<ConfigNotice>? notice = null)
    {
        var file = Path.GetFullPath(path);
        var root = YamlSection.Parse(file, ConfigText.SubstituteEnvironment(text, environment),
            EnvironmentOverrides.From(environment));
        var baseDir = Path.GetDirectoryName(file)!;

        var system = ReadSystem(root.Section("system_config"), baseDir);
        var character = ReadCharacter(root.Section("character_config"), new CharacterConfig());
        var live = LiveConfigReader.Read(root.Section("live_config"), system.EnableProxy);
        Report(root, unknownKey, notice);
        return new VtuberConfig(system with { ToolPrompts = WithLivePrompt(system.ToolPrompts, live) }, character, file)
        {
            Live = live,
        };
    }

    // A bridge on means the replies go to viewers of a stream: the model is told so (olv-protocol 9.2), unless the
    // file lists live_prompt itself.
    private static IReadOnlyList<KeyValuePair<string, string>> WithLivePrompt(
        IReadOnlyList<KeyValuePair<string, string>> prompts, LiveConfig live) =>
        live.AnyBridge && prompts.All(p => p.Key != "live_prompt") ? [.. prompts, new("live_prompt", "live_prompt")] : prompts;

    /// <summary>
    /// switch-config (olv-protocol 5.4): the main file's own name re-reads its character; any other name is an
    /// alternate found under config_alts_dir (by bare file name, as config-files lists them) whose character_config
    /// is merged onto the current character, so settings it does not mention carry over. system_config stays.
    /// </summary>
    public static VtuberConfig SwitchCharacter(VtuberConfig current, string fileName,
                                               Action<string>? unknownKey = null,
                                               IReadOnlyDictionary<string, string?>? environment = null,
                                               Action<ConfigNotice>? notice = null)
    {
        if (fileName == Path.GetFileName(current.SourcePath))
            return current with { Character = Load(current.SourcePath, unknownKey, environment, notice).Character };

        var file = CharacterCatalog.FindAlternate(current.System.ConfigAltsDir, fileName)
                   ?? throw new ConfigException(current.System.ConfigAltsDir, "(file)", fileName,
                       "the name of a character file listed by config-files");
        var root = Parse(file, environment);
        root.Ignore("system_config", "live_config"); // OLV reads only character_config from alternates
        var character = ReadCharacter(root.Section("character_config"), current.Character);
        Report(root, unknownKey, notice);
        return current with { Character = character };
    }

    private static void Report(YamlSection root, Action<string>? unknownKey, Action<ConfigNotice>? notice)
    {
        if (unknownKey is not null) root.ReportUnknownKeys(unknownKey);
        if (notice is null) return;
        foreach (var n in root.Notices) notice(n);
    }

    private static YamlSection Parse(string file, IReadOnlyDictionary<string, string?>? environment) =>
        YamlSection.Parse(file, ConfigText.SubstituteEnvironment(ConfigText.Read(file), environment));

    private static SystemConfig ReadSystem(YamlSection s, string baseDir)
    {
        var d = new SystemConfig();
        var host = s.String("host") ?? d.Host;
        if (string.IsNullOrWhiteSpace(host)) throw s.Invalid("host", host, "a host name or IP address");
        var promptsDir = ResolvePath(s, "prompts_dir", d.PromptsDir, baseDir);
        return new SystemConfig
        {
            ConfVersion = s.String("conf_version") ?? d.ConfVersion,
            Host = host,
            Port = s.Int("port", 0, 65535, "an integer 0..65535") ?? d.Port,
            ConfigAltsDir = ResolvePath(s, "config_alts_dir", d.ConfigAltsDir, baseDir),
            ToolPrompts = ReadToolPrompts(s.Section("tool_prompts"), promptsDir),
            EnableProxy = s.Bool("enable_proxy") ?? d.EnableProxy,
            Proxy = LiveConfigReader.ReadProxy(s.Section("proxy")),
            FrontendDir = ResolvePath(s, "frontend_dir", d.FrontendDir, baseDir),
            Live2dModelsDir = ResolvePath(s, "live2d_models_dir", d.Live2dModelsDir, baseDir),
            BackgroundsDir = ResolvePath(s, "backgrounds_dir", d.BackgroundsDir, baseDir),
            AvatarsDir = ResolvePath(s, "avatars_dir", d.AvatarsDir, baseDir),
            CacheDir = ResolvePath(s, "cache_dir", d.CacheDir, baseDir),
            ModelDictPath = ResolvePath(s, "model_dict_path", d.ModelDictPath, baseDir),
            PromptsDir = promptsDir,
            Journal = ReadJournal(s.Section("journal"), baseDir),
            WebSocket = ReadWebSocket(s.Section("websocket")),
            Turn = ReadTurn(s.Section("turn")),
            Voice = AsrConfigReader.ReadVoice(s.Section("voice")),
            Security = SecurityOptionsReader.Read(s.Section("security")),
            Limits = InputLimitsReader.Read(s.Section("limits")),
            Mcp = McpOptionsReader.Read(s.Section("mcp")),
            Group = GroupOptionsReader.Read(s.Section("group")),
        };
    }

    private static string ResolvePath(YamlSection s, string key, string fallback, string baseDir)
    {
        var value = s.String(key) ?? fallback;
        if (string.IsNullOrWhiteSpace(value)) throw s.Invalid(key, value, "a file or folder path");
        return Path.GetFullPath(value, baseDir);
    }

    // Order matters: the system prompt appends the prompts in file order (olv-protocol 7.2). A missing file would
    // only surface on the first conversation in OLV; here it stops start-up with the path it looked for (unless
    // the server bundles a prompt of that name, see PromptFiles).
    private static List<KeyValuePair<string, string>> ReadToolPrompts(YamlSection s, string promptsDir)
    {
        var prompts = new List<KeyValuePair<string, string>>();
        foreach (var name in s.Keys.ToList())
        {
            var stem = s.String(name);
            if (stem is null) continue;
            if (PromptFiles.Find(promptsDir, stem) is null)
                throw s.Invalid(name, stem,
                    $"the name of a prompt file ({Path.Combine(promptsDir, "utils", stem + ".txt")})");
            prompts.Add(new(name, stem));
        }
        return prompts;
    }

    private static JournalOptions ReadJournal(YamlSection s, string baseDir)
    {
        var d = new JournalOptions();
        var journal = new JournalOptions
        {
            Provider = s.OneOf("provider", "sqlite", "postgresql") ?? d.Provider,
            SqlitePath = ResolvePath(s, "sqlite_path", d.SqlitePath, baseDir),
            ConnectionString = s.String("connection_string"),
            ProviderName = s.String("provider_name"),
            SnapshotInterval = s.Int("snapshot_interval", 1, int.MaxValue, "a positive number of events") ?? d.SnapshotInterval,
            HistoryTimeoutSeconds = CallSeconds(s, "history_timeout_seconds") ?? d.HistoryTimeoutSeconds,
        };
        if (journal.Provider == "postgresql" && string.IsNullOrWhiteSpace(journal.ConnectionString))
            throw s.Invalid("connection_string", journal.ConnectionString,
                "a PostgreSQL connection string when provider is 'postgresql'");
        return journal;
    }

    private static WebSocketOptions ReadWebSocket(YamlSection s)
    {
        var d = new WebSocketOptions();
        return new WebSocketOptions
        {
            MaxMessageBytes = s.Int("max_message_bytes", 1, int.MaxValue, "a positive number of bytes")
                              ?? d.MaxMessageBytes,
            // Pings more often than once a second have no use.
            KeepAliveSeconds = Seconds(s, "keep_alive_seconds", 1, WaitBounds.MaxTimerSeconds) ?? d.KeepAliveSeconds,
            OutboundQueueSize = s.Int("outbound_queue_size", 1, int.MaxValue, "a positive integer")
                                ?? d.OutboundQueueSize,
        };
    }

    private static TurnOptions ReadTurn(YamlSection s)
    {
        var d = new TurnOptions();
        return new TurnOptions
        {
            PlaybackCompleteTimeoutSeconds = Seconds(s, "playback_complete_timeout_seconds", WaitBounds.MinSeconds,
                WaitBounds.MaxTimerSeconds) ?? d.PlaybackCompleteTimeoutSeconds,
            TtsParallelism = s.Int("tts_parallelism", 1, 16, "an integer 1..16") ?? d.TtsParallelism,
            TtsTimeoutSeconds = CallSeconds(s, "tts_timeout_seconds") ?? d.TtsTimeoutSeconds,
            AsrTimeoutSeconds = CallSeconds(s, "asr_timeout_seconds") ?? d.AsrTimeoutSeconds,
        };
    }

    /// <summary>A number of seconds within a range that every TimeSpan and timer can hold.</summary>
    private static double? Seconds(YamlSection s, string key, double min, double max) =>
        s.Number(key, min, max, FormattableString.Invariant($"a number of seconds {min}..{max}"));

    /// <summary>The deadline of one outside call.</summary>
    private static double? CallSeconds(YamlSection s, string key) =>
        Seconds(s, key, WaitBounds.MinSeconds, WaitBounds.MaxCallSeconds);

    // Every character reader starts from a baseline: the defaults when loading conf.yaml, the session's current
    // character when switching (OLV's deep merge: mappings merge key by key, scalars and lists replace).
    private static CharacterConfig ReadCharacter(YamlSection s, CharacterConfig d)
    {
        var confName = s.String("conf_name") ?? d.ConfName;

        // conf_uid names the chat-history folder, so it must not escape it or be unusable on any OS.
        var confUid = Required(s, "conf_uid", d.ConfUid,
            "a non-empty folder name without / \\ : * ? \" < > | and not ending in '.' or ' '");
        if (confUid is "." or ".." || confUid.EndsWith('.') || confUid.EndsWith(' ') ||
            confUid.AsSpan().IndexOfAny(UnsafeFolderChars) >= 0 || confUid.Any(char.IsControl))
            throw s.Invalid("conf_uid", confUid,
                "a non-empty folder name without / \\ : * ? \" < > | and not ending in '.' or ' '");

        var modelName = Required(s, "live2d_model_name", d.Live2dModelName, "the name of a model in model_dict.json");
        var persona = Required(s, "persona_prompt", d.PersonaPrompt, "a non-empty prompt");
        var characterName = s.String("character_name") ?? d.CharacterName;
        return new CharacterConfig
        {
            ConfName = confName,
            ConfUid = confUid,
            Live2dModelName = modelName,
            // OLV means to fall back to conf_name, but its pydantic v2 validator does not fire (olv-protocol 5.2).
            CharacterName = string.IsNullOrEmpty(characterName) ? confName : characterName,
            HumanName = s.String("human_name") ?? d.HumanName,
            Avatar = s.String("avatar") ?? d.Avatar,
            PersonaPrompt = persona,
            Agent = ReadAgent(s.Section("agent_config"), d.Agent),
            Tts = ReadTts(s.Section("tts_config"), d.Tts),
            Asr = AsrConfigReader.ReadAsr(s.Section("asr_config"), d.Asr),
            TtsPreprocessor = ReadTtsPreprocessor(s.Section("tts_preprocessor_config"), d.TtsPreprocessor),
            Vad = VadConfigReader.Read(s.Section("vad_config"), d.Vad),
            LongTermMemory = LongTermMemoryConfigReader.Read(s.Section("long_term_memory"), d.LongTermMemory),
        };
    }

    /// <summary>A string that must end up non-blank; the error shows what the file gave (null when nothing).</summary>
    private static string Required(YamlSection s, string key, string fallback, string expected)
    {
        var given = s.String(key);
        var value = given ?? fallback;
        if (string.IsNullOrWhiteSpace(value)) throw s.Invalid(key, given, expected);
        return value;
    }

    private const string LettaAgent = "letta_agent";

    private static AgentConfig ReadAgent(YamlSection s, AgentConfig d)
    {
        var settings = s.Section("agent_settings");
        settings.Ignore("hume_ai_agent", "mem0_agent");
        var basic = settings.Section("basic_memory_agent");
        var choice = s.String("conversation_agent_choice") ?? d.ConversationAgentChoice;
        if (choice is not (BasicMemoryAgent or LettaAgent))
            s.Warn("conversation_agent_choice", $"'{choice}' is not run by this server; {BasicMemoryAgent} answers instead");
        var letta = ReadLettaAgent(settings.Section(LettaAgent, choice == LettaAgent, $"conversation_agent_choice is '{choice}'"),
            d.LettaAgent, choice == LettaAgent);
        var basicMemoryAgent = ReadBasicMemoryAgent(basic, d.BasicMemoryAgent);
        if (choice == LettaAgent)
        {
            // The turn cuts sentences with basic_memory_agent's settings: with Letta, letta_agent's own apply (OLV).
            basicMemoryAgent = basicMemoryAgent with
            {
                FasterFirstResponse = letta.FasterFirstResponse, SegmentMethod = letta.SegmentMethod,
            };
        }
        var provider = basicMemoryAgent.LlmProvider;
        var configs = s.Section("llm_configs");
        // With Letta no llm_configs entry runs (the Letta server has its LLM): none is read strictly.
        var llmConfigs = ReadLlmConfigs(configs, d.LlmConfigs, choice == LettaAgent ? "" : provider);
        var agent = new AgentConfig
        {
            ConversationAgentChoice = choice,
            BasicMemoryAgent = basicMemoryAgent,
            LettaAgent = letta,
            LlmConfigs = llmConfigs,
        };
        if (choice == LettaAgent) return agent;

        if (!LlmProviders.Contains(provider))
            throw basic.Invalid("llm_provider", provider, "one of " + string.Join(", ", LlmProviders));
        if (!llmConfigs.TryGetValue(provider, out var chosen))
            throw new ConfigException(s.File, configs.KeyPath(provider), null,
                $"settings for llm_provider '{provider}' under llm_configs");
        RequireChosenProviderKeys(configs.KeyPath(provider), s.File, provider, chosen);
        return agent;
    }

    private static LettaAgentConfig ReadLettaAgent(YamlSection s, LettaAgentConfig d, bool chosen)
    {
        var host = s.NonBlank("host", "the Letta server's host name or IP address") ?? d.Host;
        var config = new LettaAgentConfig
        {
            Host = Uri.CheckHostName(host) == UriHostNameType.Unknown
                ? s.Refuse("host", host, "the Letta server's host name or IP address") ?? d.Host
                : host,
            Port = s.Int("port", 1, 65535, "a port 1..65535") ?? d.Port,
            Id = s.String("id") ?? d.Id,
            FasterFirstResponse = s.Bool("faster_first_response") ?? d.FasterFirstResponse,
            SegmentMethod = s.OneOf("segment_method", "pysbd", "regex") ?? d.SegmentMethod,
        };
        if (chosen && string.IsNullOrWhiteSpace(config.Id))
            throw s.Invalid("id", config.Id, "the id of the agent on the Letta server (agent-...)");
        return config;
    }

    // Only the chosen provider must be usable: OLV's template keeps placeholder entries for all the others.
    private static void RequireChosenProviderKeys(string path, string file, string provider, LlmProviderConfig llm)
    {
        if (provider == "llama_cpp_llm")
        {
            if (string.IsNullOrWhiteSpace(llm.ModelPath))
                throw new ConfigException(file, path + ".model_path", llm.ModelPath, "the path of a GGUF model file");
            return;
        }
        if (string.IsNullOrWhiteSpace(llm.Model))
            throw new ConfigException(file, path + ".model", llm.Model, "the model name the server serves");
        if (provider == "claude_llm" && string.IsNullOrWhiteSpace(llm.LlmApiKey))
            throw new ConfigException(file, path + ".llm_api_key", llm.LlmApiKey, "an Anthropic API key");
        if (provider is ("openai_compatible_llm" or TemplateLlm) && llm.BaseUrl is null)
            throw new ConfigException(file, path + ".base_url", null, "an http(s) URL such as http://localhost:11434/v1");
    }

    private static BasicMemoryAgentConfig ReadBasicMemoryAgent(YamlSection s, BasicMemoryAgentConfig d) => new()
    {
        LlmProvider = s.String("llm_provider") ?? d.LlmProvider,
        FasterFirstResponse = s.Bool("faster_first_response") ?? d.FasterFirstResponse,
        SegmentMethod = s.OneOf("segment_method", "pysbd", "regex") ?? d.SegmentMethod,
        UseMcpp = s.Bool("use_mcpp") ?? d.UseMcpp,
        McpEnabledServers = s.StringList("mcp_enabled_servers") ?? d.McpEnabledServers,
    };

    private static Dictionary<string, LlmProviderConfig> ReadLlmConfigs(
        YamlSection s, IReadOnlyDictionary<string, LlmProviderConfig> baseline, string selected)
    {
        var configs = new Dictionary<string, LlmProviderConfig>(baseline, StringComparer.Ordinal);
        foreach (var provider in s.Keys.Where(LlmProviders.Contains).ToList())
        {
            var p = s.Section(provider, provider == selected, $"llm_provider is '{selected}'");
            p.Ignore("verbose"); // llama_cpp_llm's, unused by OLV itself
            var d = baseline.GetValueOrDefault(provider) ?? new LlmProviderConfig();
            configs[provider] = new LlmProviderConfig
            {
                BaseUrl = p.HttpUrl("base_url") ?? d.BaseUrl,
                LlmApiKey = p.String("llm_api_key") ?? d.LlmApiKey,
                Model = p.String("model") ?? d.Model,
                OrganizationId = p.String("organization_id") ?? d.OrganizationId,
                ProjectId = p.String("project_id") ?? d.ProjectId,
                Temperature = p.Number("temperature", 0, 2, "a number 0..2") ?? d.Temperature,
                InterruptMethod = p.OneOf("interrupt_method", "system", "user") ?? d.InterruptMethod,
                // Ollama reads any negative value as "forever"; beyond a year is no setting anyone means.
                KeepAlive = p.Number("keep_alive", -1, 31_536_000,
                    "a number of seconds -1..31536000 (-1 keeps the model loaded)") ?? d.KeepAlive,
                UnloadAtExit = p.Bool("unload_at_exit") ?? d.UnloadAtExit,
                ModelPath = p.String("model_path") ?? d.ModelPath,
                Api = p.OneOf("api", "native", "openai") ?? d.Api,
                FirstTokenTimeoutSeconds = CallSeconds(p, "first_token_timeout_seconds") ?? d.FirstTokenTimeoutSeconds,
                IdleTimeoutSeconds = CallSeconds(p, "idle_timeout_seconds") ?? d.IdleTimeoutSeconds,
                ContextWindowTokens = ContextBudgetReader.Window(p) ?? d.ContextWindowTokens,
                ReplyReserveTokens = ContextBudgetReader.Reserve(p) ?? d.ReplyReserveTokens,
                // Only this provider has the key; under any other it stays unknown.
                Template = provider == TemplateLlm ? p.OneOf("template", "CHATML", "LLAMA3", "ALPACA") ?? d.Template : d.Template,
            };
        }
        return configs;
    }

    private static TtsConfig ReadTts(YamlSection s, TtsConfig d)
    {
        s.Ignore(IgnoredTtsEngines);
        var model = s.String("tts_model") ?? d.TtsModel;
        if (PythonOnlyTtsEngines.TryGetValue(model, out var closest))
        {
            s.Warn("tts_model", $"'{model}' runs only inside Open-LLM-VTuber's Python; {FallbackTtsEngine} speaks " +
                                $"instead (closest here: {closest})");
            model = FallbackTtsEngine;
        }
        // Only the engine that speaks is read strictly: OLV's templates leave the others half filled in.
        YamlSection Engine(string key, string? engine = null) =>
            s.Section(key, (engine ?? key) == model, $"tts_model is '{model}'");
        // pyttsx3_tts has no keys (OLV: none); it speaks through espeak_ng, so any key under it is unknown.
        Engine("pyttsx3_tts");
        // OLV's pydantic alias is gpt_sovits while its template and tts_model say gpt_sovits_tts: the section is read
        // under either name (gpt_sovits_tts when both are there).
        var gptSovitsKey = !s.Keys.Contains("gpt_sovits_tts") && s.Keys.Contains("gpt_sovits")
            ? "gpt_sovits"
            : "gpt_sovits_tts";
        return new TtsConfig
        {
            TtsModel = model,
            EspeakNg = ReadEspeakNg(Engine("espeak_ng"), d.EspeakNg),
            OpenAiTts = ReadOpenAiTts(Engine("openai_tts"), d.OpenAiTts),
            EdgeTts = TtsEngineConfigReader.ReadEdgeTts(Engine("edge_tts"), d.EdgeTts),
            ElevenLabsTts = TtsEngineConfigReader.ReadElevenLabsTts(Engine("elevenlabs_tts"), d.ElevenLabsTts),
            PiperTts = TtsEngineConfigReader.ReadPiperTts(Engine("piper_tts"), d.PiperTts),
            Flite = TtsEngineConfigReader.ReadFlite(Engine("flite"), d.Flite),
            XTts = HttpTtsEngineConfigReader.ReadXTts(Engine("x_tts"), d.XTts),
            GptSovitsTts = HttpTtsEngineConfigReader.ReadGptSovits(Engine(gptSovitsKey, "gpt_sovits_tts"), d.GptSovitsTts),
            FishApiTts = HttpTtsEngineConfigReader.ReadFishApi(Engine("fish_api_tts"), d.FishApiTts),
            SiliconFlowTts = HttpTtsEngineConfigReader.ReadSiliconFlow(Engine("siliconflow_tts"), d.SiliconFlowTts),
            MinimaxTts = HttpTtsEngineConfigReader.ReadMinimax(Engine("minimax_tts"), d.MinimaxTts),
            CartesiaTts = HttpTtsEngineConfigReader.ReadCartesia(Engine("cartesia_tts"), d.CartesiaTts),
            AzureTts = HttpTtsEngineConfigReader.ReadAzure(Engine("azure_tts"), d.AzureTts),
            CosyVoiceTts = GradioTtsEngineConfigReader.ReadCosyVoice(Engine("cosyvoice_tts"), d.CosyVoiceTts, version2: false),
            CosyVoice2Tts = GradioTtsEngineConfigReader.ReadCosyVoice(Engine("cosyvoice2_tts"), d.CosyVoice2Tts, version2: true),
            SparkTts = GradioTtsEngineConfigReader.ReadSpark(Engine("spark_tts"), d.SparkTts),
            PostProcessing = TtsEngineConfigReader.ReadPostProcessing(s.Section("post_processing"), d.PostProcessing),
        };
    }

    private static EspeakNgTtsConfig ReadEspeakNg(YamlSection s, EspeakNgTtsConfig d)
    {
        var executable = s.NonBlank("executable", "the espeak-ng program name or path") ?? d.Executable;
        return new EspeakNgTtsConfig
        {
            Voice = s.String("voice") ?? d.Voice,
            // The ranges espeak-ng itself accepts for -s and -p.
            Speed = s.Int("speed", 80, 450, "an integer 80..450 (words per minute)") ?? d.Speed,
            Pitch = s.Int("pitch", 0, 99, "an integer 0..99") ?? d.Pitch,
            Executable = executable,
        };
    }

    private static OpenAiTtsConfig ReadOpenAiTts(YamlSection s, OpenAiTtsConfig d) => new()
    {
        Model = s.String("model") ?? d.Model,
        Voice = s.String("voice") ?? d.Voice,
        ApiKey = s.String("api_key") ?? d.ApiKey,
        BaseUrl = s.HttpUrl("base_url") ?? d.BaseUrl,
        FileExtension = s.OneOf("file_extension", "mp3", "wav") ?? d.FileExtension,
    };

    private static TtsPreprocessorConfig ReadTtsPreprocessor(YamlSection s, TtsPreprocessorConfig d)
    {
        return new TtsPreprocessorConfig
        {
            Translator = TranslatorConfigReader.Read(s.Section("translator_config"), d.Translator),
            RemoveSpecialChar = s.Bool("remove_special_char") ?? d.RemoveSpecialChar,
            IgnoreBrackets = s.Bool("ignore_brackets") ?? d.IgnoreBrackets,
            IgnoreParentheses = s.Bool("ignore_parentheses") ?? d.IgnoreParentheses,
            IgnoreAsterisks = s.Bool("ignore_asterisks") ?? d.IgnoreAsterisks,
            IgnoreAngleBrackets = s.Bool("ignore_angle_brackets") ?? d.IgnoreAngleBrackets,
        };
    }
}
