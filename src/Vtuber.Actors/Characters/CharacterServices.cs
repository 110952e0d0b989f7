using System.Text.Json;
using Microsoft.Extensions.AI;
using Vtuber.Agents;
using Vtuber.Actors.Memory;
using Vtuber.Agents.Memory;
using Vtuber.Agents.Tools;
using Vtuber.Domain.Config;
using Vtuber.Domain.Live2d;
using Vtuber.Domain.Text;
using Vtuber.Speech.Asr;
using Vtuber.Speech.Translation;
using Vtuber.Speech.Tts;

namespace Vtuber.Actors.Characters;

/// <summary>
/// Everything a session needs from one validated character config: the Live2D model, the TTS engine, the LLM client,
/// the composed system prompt and the sentence options. Engines and clients are stateless and shared by the sessions
/// of a character; conversation state (agent memory) is never shared: each session gets its own ChatAgent.
/// </summary>
public sealed class CharacterServices
{
    private readonly HttpClient _http;
    private readonly McpToolHost _mcp;

    private CharacterServices(VtuberConfig config, HttpClient http, McpToolHost mcp, Live2dModelInfo model, ITtsEngine tts,
        ITranslator? translator, ISpeechRecognizer recognizer, LlmProviderSettings llm, IChatClient chatClient,
        string systemPrompt, string proactiveSpeakPrompt, IEmbeddingGenerator<string, Embedding<float>>? embeddings,
        EmbeddingHealth embeddingHealth)
    {
        Embeddings = embeddings;
        EmbeddingHealth = embeddingHealth;
        _http = http;
        _mcp = mcp;
        Translator = translator;
        var agentSettings = config.Character.Agent.BasicMemoryAgent;
        // OLV gives tools to every provider but llama_cpp (olv-protocol 7.5); ours runs without them too.
        Tools = agentSettings.UseMcpp && agentSettings.McpEnabledServers.Count > 0 && llm.Key != "llama_cpp_llm"
            ? new AgentTools(mcp, agentSettings.McpEnabledServers, LoadPromptModeTemplate(config.System))
            : null;
        Recognizer = recognizer;
        ProactiveSpeakPrompt = proactiveSpeakPrompt;
        Config = config;
        Model = model;
        using (var document = JsonDocument.Parse(model.RawJson))
        {
            ModelInfo = document.RootElement.Clone();
        }
        Tts = tts;
        Llm = llm;
        ChatClient = chatClient;
        SystemPrompt = systemPrompt;
        var character = config.Character;
        Shaper = new ShaperOptions(
            character.Agent.BasicMemoryAgent.FasterFirstResponse,
            character.Agent.BasicMemoryAgent.SegmentMethod == "regex" ? SegmentMethod.Regex : SegmentMethod.Pysbd,
            model.EmotionMap,
            character.TtsPreprocessor,
            character.CharacterName,
            character.Avatar);
    }

    public VtuberConfig Config { get; }
    public CharacterConfig Character => Config.Character;
    public Live2dModelInfo Model { get; }
    /// <summary>The model_dict.json entry, parsed once, sent verbatim in set-model-and-conf.</summary>
    public JsonElement ModelInfo { get; }
    public ITtsEngine Tts { get; }
    /// <summary>translator_config's translator of the TTS text; null when translate_audio is off.</summary>
    public ITranslator? Translator { get; }
    /// <summary>The ASR engine of asr_config, shared by the sessions (engines are safe to call concurrently).</summary>
    public ISpeechRecognizer Recognizer { get; }
    public LlmProviderSettings Llm { get; }
    public IChatClient ChatClient { get; }
    /// <summary>The MCP tools of the character's enabled servers; null when use_mcpp is off or none is enabled.</summary>
    public AgentTools? Tools { get; }
    public string SystemPrompt { get; }
    /// <summary>long_term_memory's embedding provider; null when long-term memory is off.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings { get; }
    /// <summary>Whether <see cref="Embeddings"/> is failing, shared by the sessions (one warning per outage).</summary>
    public EmbeddingHealth EmbeddingHealth { get; }
    public ShaperOptions Shaper { get; }
    /// <summary>The instruction of an ai-speak-signal turn (tool_prompts.proactive_speak_prompt).</summary>
    public string ProactiveSpeakPrompt { get; }

    /// <summary>Builds and checks everything up front, so a bad config fails at start-up with a ConfigException.</summary>
    public static CharacterServices Build(VtuberConfig config, HttpClient http, McpToolHost? mcp = null) =>
        Build(config, http, mcp ?? McpToolHost.None, null);

    /// <summary>
    /// The services of a changed config (switch-config, hot reload), validated like <see cref="Build(VtuberConfig, HttpClient)"/>.
    /// Engines whose config section is unchanged are reused (OLV rebuilds ASR/TTS/agent only when their config
    /// differs): the same TTS engine when tts_config is equal, the same LLM client when the resolved provider
    /// settings are equal. The Live2D entry is always re-read from model_dict.json, as OLV does.
    /// </summary>
    public CharacterServices Rebuild(VtuberConfig config) => Build(config, _http, _mcp, this);

    /// <summary>
    /// Whether <see cref="Build(VtuberConfig, HttpClient)"/> would accept a config, by cheap probes only (POST
    /// /api/config/validate): the model entry, the prompt files, each selected engine's files and keys. Nothing is
    /// built: no model loaded, no program run, nothing sent to an LLM or TTS server.
    /// </summary>
    /// <exception cref="ConfigException">The first thing that would stop the config.</exception>
    public static void Check(VtuberConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var file = config.SourcePath;
        var model = ModelDictionary.Find(ModelDictionary.Load(config.System.ModelDictPath),
            config.Character.Live2dModelName, file);
        TtsEngineFactory.Check(config.Character.Tts, file);
        AsrEngineFactory.Check(config.Character.Asr, file);
        var llm = LlmProviders.Resolve(config.Character.Agent, file);
        if (llm.Key == "llama_cpp_llm" && !File.Exists(llm.ModelPath))
            throw new ConfigException(file, "character_config.agent_config.llm_configs.llama_cpp_llm.model_path",
                llm.ModelPath, "the path of an existing GGUF model file");
        SystemPromptComposer.Compose(config.System, config.Character, model, llm.InterruptMethod, file);
    }

    private static CharacterServices Build(VtuberConfig config, HttpClient http, McpToolHost mcp, CharacterServices? previous)
    {
        var file = config.SourcePath;
        var model = ModelDictionary.Find(ModelDictionary.Load(config.System.ModelDictPath),
            config.Character.Live2dModelName, file);
        var tts = previous is not null && EffectiveConfig.Same(previous.Character.Tts, config.Character.Tts)
            ? previous.Tts
            : TtsEngineFactory.Create(config.Character.Tts, http, file);
        var translator = previous is not null &&
                         EffectiveConfig.Same(previous.Character.TtsPreprocessor.Translator, config.Character.TtsPreprocessor.Translator)
            ? previous.Translator
            : TranslatorFactory.Create(config.Character.TtsPreprocessor.Translator, http);
        var recognizer = previous is not null && EffectiveConfig.Same(previous.Character.Asr, config.Character.Asr)
            ? previous.Recognizer
            : AsrEngineFactory.Create(config.Character.Asr, http, file);
        var llm = LlmProviders.Resolve(config.Character.Agent, file);
        var client = previous is not null && previous.Llm == llm
            ? previous.ChatClient
            : LlmProviders.CreateClient(llm, http);
        var prompt = SystemPromptComposer.Compose(config.System, config.Character, model, llm.InterruptMethod, file);
        var memory = config.Character.LongTermMemory;
        // The same generator while the embedding section is unchanged: the embedded model is loaded once.
        var embeddings = !memory.Enabled ? null
            : previous?.Embeddings is { } same && previous.Character.LongTermMemory.Embedding == memory.Embedding ? same
            : EmbeddingProviders.Create(memory.Embedding, http);
        return new CharacterServices(config, http, mcp, model, tts, translator, recognizer, llm, client, prompt,
            LoadProactivePrompt(config.System), embeddings,
            embeddings is not null && embeddings == previous?.Embeddings ? previous.EmbeddingHealth : new EmbeddingHealth());
    }

    private const string FallbackProactivePrompt =
        "Say something to the user now, on your own initiative, that fits the conversation so far.";

    private static string LoadProactivePrompt(SystemConfig system)
    {
        var stem = system.ToolPrompts.FirstOrDefault(p => p.Key == "proactive_speak_prompt").Value;
        var path = stem is null ? null : PromptFiles.Find(system.PromptsDir, stem);
        return path is not null ? File.ReadAllText(path).Trim() : FallbackProactivePrompt;
    }

    // Prompt mode's instructions: tool_prompts.mcp_prompt when listed (OLV ships that file for this), else ours.
    private static string LoadPromptModeTemplate(SystemConfig system)
    {
        var stem = system.ToolPrompts.FirstOrDefault(p => p.Key == "mcp_prompt").Value;
        var path = stem is null ? null : Path.Combine(system.PromptsDir, "utils", stem + ".txt");
        return path is not null && File.Exists(path) && File.ReadAllText(path) is var text && text.Contains(PromptMode.Placeholder)
            ? text
            : PromptMode.DefaultTemplate;
    }

    public ChatAgent CreateAgent() => new(ChatClient, Llm, SystemPrompt, Tools);
}
