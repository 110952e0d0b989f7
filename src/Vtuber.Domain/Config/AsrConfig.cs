namespace Vtuber.Domain.Config;

// character_config.asr_config: OLV's keys for the engines OLV has (olv-protocol.md 8.1), plus pocketsphinx (our
// offline default) and openai_whisper (any OpenAI-compatible /v1/audio/transcriptions server). Relative paths are
// resolved against the conf.yaml's folder when loading.

public sealed record AsrConfig
{
    /// <summary>pocketsphinx, whisper_cpp, sherpa_onnx_asr, openai_whisper or groq_whisper_asr.</summary>
    public string AsrModel { get; init; } = "pocketsphinx";
    public PocketsphinxAsrConfig Pocketsphinx { get; init; } = new();
    public WhisperCppAsrConfig WhisperCpp { get; init; } = new();
    public SherpaOnnxAsrConfig SherpaOnnxAsr { get; init; } = new();
    public OpenAiWhisperAsrConfig OpenAiWhisper { get; init; } = new();
    public GroqWhisperAsrConfig GroqWhisperAsr { get; init; } = new();
    public AzureAsrConfig AzureAsr { get; init; } = new();
}

/// <summary>CMU pocketsphinx 5prealpha as Debian ships it (pocketsphinx + pocketsphinx-en-us).</summary>
public sealed record PocketsphinxAsrConfig
{
    public const string DebianModelDir = "/usr/share/pocketsphinx/model/en-us";

    /// <summary>The acoustic model folder (pocketsphinx -hmm).</summary>
    public string AcousticModel { get; init; } = DebianModelDir + "/en-us";
    /// <summary>The pronunciation dictionary (-dict).</summary>
    public string Dictionary { get; init; } = DebianModelDir + "/cmudict-en-us.dict";
    /// <summary>The statistical language model (-lm), used when no grammar is given.</summary>
    public string LanguageModel { get; init; } = DebianModelDir + "/en-us.lm.bin";
    /// <summary>A JSGF grammar (-jsgf): recognition is limited to its sentences, and then exact.</summary>
    public string? JsgfGrammar { get; init; }
    /// <summary>Decoders kept for concurrent utterances (each is single-threaded and takes ~1.4 s to create).</summary>
    public int Decoders { get; init; } = 2;
}

/// <summary>whisper_cpp as OLV (pywhispercpp keys), run through Whisper.net.</summary>
public sealed record WhisperCppAsrConfig
{
    /// <summary>"base", "small.en", ... (the file is model_dir/ggml-NAME.bin) or a path to a ggml .bin file.</summary>
    public string ModelName { get; init; } = "base";
    public string ModelDir { get; init; } = "models";
    /// <summary>"auto" or a language code such as "en".</summary>
    public string Language { get; init; } = "auto";
    public string Prompt { get; init; } = "";
}

/// <summary>sherpa_onnx_asr as OLV: which model paths are needed depends on model_type.</summary>
public sealed record SherpaOnnxAsrConfig
{
    public string ModelType { get; init; } = "sense_voice";
    public string? Encoder { get; init; }
    public string? Decoder { get; init; }
    public string? Joiner { get; init; }
    public string? Paraformer { get; init; }
    public string? NemoCtc { get; init; }
    public string? WenetCtc { get; init; }
    public string? TdnnModel { get; init; }
    public string? WhisperEncoder { get; init; }
    public string? WhisperDecoder { get; init; }
    public string? SenseVoice { get; init; }
    public string? FireRedAsrEncoder { get; init; }
    public string? FireRedAsrDecoder { get; init; }
    public string? Tokens { get; init; }
    public int NumThreads { get; init; } = 4;
    public bool UseItn { get; init; } = true;
    /// <summary>"cpu", "cuda" or "rocm".</summary>
    public string Provider { get; init; } = "cpu";
}

/// <summary>openai_whisper (ours): POST {base_url}/audio/transcriptions with a 16 kHz 16-bit WAV.</summary>
public sealed record OpenAiWhisperAsrConfig
{
    public string BaseUrl { get; init; } = "https://api.openai.com/v1";
    public string ApiKey { get; init; } = "";
    public string Model { get; init; } = "whisper-1";
    /// <summary>ISO-639-1 code; empty lets the server detect it.</summary>
    public string? Language { get; init; }
    public string? Prompt { get; init; }
}

/// <summary>groq_whisper_asr as OLV (api_key, model, lang), plus base_url (Groq's OpenAI-compatible API by default).</summary>
public sealed record GroqWhisperAsrConfig
{
    public string BaseUrl { get; init; } = "https://api.groq.com/openai/v1";
    public string ApiKey { get; init; } = "";
    public string Model { get; init; } = "whisper-large-v3-turbo";
    public string? Lang { get; init; }
}

/// <summary>
/// azure_asr as OLV (api_key, region, languages: the locales the language is detected among), plus base_url (ours;
/// by default the region's Cognitive Services endpoint). Sent to Azure's fast transcription REST API.
/// </summary>
public sealed record AzureAsrConfig
{
    public string ApiKey { get; init; } = "";
    public string Region { get; init; } = "eastus";
    // One shared default: records compare lists by reference, and two loads of the same file must be equal.
    private static readonly IReadOnlyList<string> DefaultLanguages = ["en-US", "zh-CN"];

    public IReadOnlyList<string> Languages { get; init; } = DefaultLanguages;
    public string? BaseUrl { get; init; }
}

/// <summary>system_config.voice: limits of voice input (ours).</summary>
public sealed record VoiceOptions
{
    /// <summary>The longest utterance buffered from mic-audio-data (at 16 kHz); longer ones are dropped with an error.</summary>
    public double MaxUtteranceSeconds { get; init; } = 60;
}
