namespace Vtuber.Domain.Config;

// The typed, validated form of OLV's conf.yaml (+ our own extension keys under system_config, which OLV ignores).
// ConfigLoader builds these; nothing else parses YAML. Relative paths are resolved against the directory of the
// conf.yaml they came from, so `--config ~/olv/conf.yaml` finds an OLV user's characters/, model_dict.json, ...
// as OLV would from its own working directory.

public sealed record VtuberConfig(SystemConfig System, CharacterConfig Character, string SourcePath)
{
    /// <summary>live_config: the live-chat bridges (conf.yaml only; an alternate's live_config is ignored, as OLV).</summary>
    public LiveConfig Live { get; init; } = new();
}

public sealed record SystemConfig
{
    public string ConfVersion { get; init; } = "v1.2.1";
    public string Host { get; init; } = "localhost";
    public int Port { get; init; } = 12393;
    /// <summary>Absolute path of the character alternates folder (OLV key config_alts_dir, default characters).</summary>
    public string ConfigAltsDir { get; init; } = "characters";
    /// <summary>tool_prompts in file order: prompt name → file stem under prompts/utils.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToolPrompts { get; init; } = [];
    public bool EnableProxy { get; init; }
    public ProxyOptions Proxy { get; init; } = new();

    // --- Vtuber.Akka extension keys (absent from OLV files; defaults follow OLV's folder layout) ---
    public string FrontendDir { get; init; } = "frontend";
    public string Live2dModelsDir { get; init; } = "live2d-models";
    public string BackgroundsDir { get; init; } = "backgrounds";
    public string AvatarsDir { get; init; } = "avatars";
    public string CacheDir { get; init; } = "cache";
    public string ModelDictPath { get; init; } = "model_dict.json";
    public string PromptsDir { get; init; } = "prompts";
    public JournalOptions Journal { get; init; } = new();
    public WebSocketOptions WebSocket { get; init; } = new();
    public TurnOptions Turn { get; init; } = new();
    public VoiceOptions Voice { get; init; } = new();
    public SecurityOptions Security { get; init; } = new();
    public InputLimits Limits { get; init; } = new();
    public McpOptions Mcp { get; init; } = new();
    public GroupOptions Group { get; init; } = new();
}

public sealed record JournalOptions
{
    /// <summary>"sqlite" (default) or "postgresql".</summary>
    public string Provider { get; init; } = "sqlite";
    /// <summary>SQLite file (absolute after loading); used when Provider is sqlite and ConnectionString is empty.</summary>
    public string SqlitePath { get; init; } = "data/vtuber.db";
    public string? ConnectionString { get; init; }
    /// <summary>linq2db provider name; null picks SQLite.MS for sqlite and PostgreSQL.15 for postgresql.</summary>
    public string? ProviderName { get; init; }
    /// <summary>A history is snapshotted every this many events, so its recovery time stays flat as it grows.</summary>
    public int SnapshotInterval { get; init; } = 200;
    /// <summary>
    /// How long a session waits for a chat history's answer: an append is then sent again (stored once), a request
    /// is answered with an error, so a lost answer never stalls a session's history.
    /// </summary>
    public double HistoryTimeoutSeconds { get; init; } = 30;
}

public sealed record WebSocketOptions
{
    /// <summary>Largest accepted incoming message; the frontend's 4096-sample mic-audio-data is ~90 KB.</summary>
    public int MaxMessageBytes { get; init; } = 1024 * 1024;
    public double KeepAliveSeconds { get; init; } = 30;
    /// <summary>Frames waiting for the socket per session; a full queue backpressures the turn.</summary>
    public int OutboundQueueSize { get; init; } = 64;
}

public sealed record TurnOptions
{
    /// <summary>How long a finished turn waits for frontend-playback-complete (a closed tab must not hang a session).</summary>
    public double PlaybackCompleteTimeoutSeconds { get; init; } = 60;
    /// <summary>Sentences synthesised at once; audio is still released strictly in order.</summary>
    public int TtsParallelism { get; init; } = 3;
    /// <summary>Deadline of one sentence's TTS call: past it the sentence is silent with an error and the turn goes on.</summary>
    public double TtsTimeoutSeconds { get; init; } = 30;
    /// <summary>Deadline of one utterance's recognition: past it the turn ends with an error.</summary>
    public double AsrTimeoutSeconds { get; init; } = 60;
}

public sealed record CharacterConfig
{
    public string ConfName { get; init; } = "";
    public string ConfUid { get; init; } = "";
    public string Live2dModelName { get; init; } = "";
    /// <summary>Already falls back to ConfName when conf.yaml leaves it empty.</summary>
    public string CharacterName { get; init; } = "";
    public string HumanName { get; init; } = "Human";
    public string Avatar { get; init; } = "";
    public string PersonaPrompt { get; init; } = "";
    public AgentConfig Agent { get; init; } = new();
    public TtsConfig Tts { get; init; } = new();
    public AsrConfig Asr { get; init; } = new();
    public TtsPreprocessorConfig TtsPreprocessor { get; init; } = new();
    public VadConfig Vad { get; init; } = new();
    public LongTermMemoryConfig LongTermMemory { get; init; } = new();
}

public sealed record AgentConfig
{
    public string ConversationAgentChoice { get; init; } = "basic_memory_agent";
    public BasicMemoryAgentConfig BasicMemoryAgent { get; init; } = new();
    public LettaAgentConfig LettaAgent { get; init; } = new();
    /// <summary>llm_configs: provider key (e.g. openai_compatible_llm) → its settings.</summary>
    public IReadOnlyDictionary<string, LlmProviderConfig> LlmConfigs { get; init; } =
        new Dictionary<string, LlmProviderConfig>();
}

public sealed record BasicMemoryAgentConfig
{
    public string LlmProvider { get; init; } = "openai_compatible_llm";
    public bool FasterFirstResponse { get; init; } = true;
    /// <summary>"pysbd" or "regex".</summary>
    public string SegmentMethod { get; init; } = "pysbd";
    public bool UseMcpp { get; init; }
    public IReadOnlyList<string> McpEnabledServers { get; init; } = [];
}

/// <summary>One llm_configs entry. Null means "not given": the provider's OLV default applies.</summary>
public sealed record LlmProviderConfig
{
    public string? BaseUrl { get; init; }
    public string? LlmApiKey { get; init; }
    public string? Model { get; init; }
    public string? OrganizationId { get; init; }
    public string? ProjectId { get; init; }
    public double? Temperature { get; init; }
    /// <summary>"system" or "user".</summary>
    public string? InterruptMethod { get; init; }
    public double? KeepAlive { get; init; }
    public bool? UnloadAtExit { get; init; }
    /// <summary>llama_cpp_llm only: the local GGUF file (OLV key model_path; required for that provider).</summary>
    public string? ModelPath { get; init; }
    /// <summary>ollama_llm only (ours): "native" (/api/chat, default) or "openai" (its /v1 Chat Completions endpoint).</summary>
    public string? Api { get; init; }
    /// <summary>stateless_llm_with_template only: CHATML, LLAMA3 or ALPACA (OLV's templates; CHATML when absent).</summary>
    public string? Template { get; init; }
    /// <summary>Ours: seconds a turn waits for the first text of a reply (default 60).</summary>
    public double? FirstTokenTimeoutSeconds { get; init; }
    /// <summary>Ours: seconds a started reply may pause between two chunks (default 30).</summary>
    public double? IdleTimeoutSeconds { get; init; }
    /// <summary>Ours: the model's context window in tokens (default: the model's where known, else 8192).</summary>
    public int? ContextWindowTokens { get; init; }
    /// <summary>Ours: tokens of the window kept for the reply (default 1024, at most a quarter of the window).</summary>
    public int? ReplyReserveTokens { get; init; }
}

public sealed record TtsConfig
{
    public string TtsModel { get; init; } = "espeak_ng";
    public EspeakNgTtsConfig EspeakNg { get; init; } = new();
    public OpenAiTtsConfig OpenAiTts { get; init; } = new();
    public EdgeTtsConfig EdgeTts { get; init; } = new();
    public ElevenLabsTtsConfig ElevenLabsTts { get; init; } = new();
    public PiperTtsConfig PiperTts { get; init; } = new();
    public FliteTtsConfig Flite { get; init; } = new();
    public XTtsConfig XTts { get; init; } = new();
    public GptSovitsTtsConfig GptSovitsTts { get; init; } = new();
    public FishApiTtsConfig FishApiTts { get; init; } = new();
    public SiliconFlowTtsConfig SiliconFlowTts { get; init; } = new();
    public MinimaxTtsConfig MinimaxTts { get; init; } = new();
    public CartesiaTtsConfig CartesiaTts { get; init; } = new();
    public AzureTtsConfig AzureTts { get; init; } = new();
    public CosyVoiceTtsConfig CosyVoiceTts { get; init; } = new();
    public CosyVoiceTtsConfig CosyVoice2Tts { get; init; } = CosyVoiceTtsConfig.Version2Defaults;
    public SparkTtsConfig SparkTts { get; init; } = new();
    public TtsPostProcessingConfig PostProcessing { get; init; } = new();
}

/// <summary>espeak_ng (ours; OLV has no espeak engine): the espeak-ng program run as a separate process.</summary>
public sealed record EspeakNgTtsConfig
{
    public string Voice { get; init; } = "en-us";
    /// <summary>Words per minute (espeak-ng -s).</summary>
    public int Speed { get; init; } = 175;
    /// <summary>0..99 (espeak-ng -p).</summary>
    public int Pitch { get; init; } = 50;
    public string Executable { get; init; } = "espeak-ng";
}

/// <summary>openai_tts as OLV: any OpenAI /v1/audio/speech-compatible server.</summary>
public sealed record OpenAiTtsConfig
{
    public string Model { get; init; } = "kokoro";
    public string Voice { get; init; } = "af_sky+af_bella";
    public string ApiKey { get; init; } = "not-needed";
    public string BaseUrl { get; init; } = "http://localhost:8880/v1";
    /// <summary>"mp3" or "wav" (OLV key file_extension; sent as response_format).</summary>
    public string FileExtension { get; init; } = "mp3";
}

public sealed record TtsPreprocessorConfig
{
    public bool RemoveSpecialChar { get; init; } = true;
    public bool IgnoreBrackets { get; init; } = true;
    public bool IgnoreParentheses { get; init; } = true;
    public bool IgnoreAsterisks { get; init; } = true;
    public bool IgnoreAngleBrackets { get; init; } = true;
    public TranslatorConfig Translator { get; init; } = new();
}
