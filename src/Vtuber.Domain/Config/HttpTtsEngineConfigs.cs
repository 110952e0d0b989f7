namespace Vtuber.Domain.Config;

/// <summary>x_tts as OLV: xtts-api-server's <c>POST /tts_to_audio</c> (JSON text, speaker_wav, language → WAV).</summary>
public sealed record XTtsConfig
{
    public string ApiUrl { get; init; } = "http://127.0.0.1:8020/tts_to_audio";
    public string SpeakerWav { get; init; } = "female";
    public string Language { get; init; } = "en";
}

/// <summary>
/// gpt_sovits_tts as OLV: GPT-SoVITS api_v2's <c>GET /tts</c> with every setting as a query parameter, bracketed
/// tags removed from the text. The string-typed keys (batch_size, streaming_mode) stay strings, as OLV sends them.
/// </summary>
public sealed record GptSovitsTtsConfig
{
    public string ApiUrl { get; init; } = "http://127.0.0.1:9880/tts";
    public string TextLang { get; init; } = "zh";
    public string RefAudioPath { get; init; } = "";
    public string PromptLang { get; init; } = "zh";
    public string PromptText { get; init; } = "";
    public string TextSplitMethod { get; init; } = "cut5";
    public string BatchSize { get; init; } = "1";
    /// <summary>Only wav is decoded here (OLV also passes ogg, aac, raw through to the browser).</summary>
    public string MediaType { get; init; } = "wav";
    public string StreamingMode { get; init; } = "false";
}

/// <summary>
/// fish_api_tts as OLV: Fish Audio's <c>POST {base_url}/v1/tts</c>. OLV's SDK sends MessagePack; the service takes
/// the same fields as JSON, which is what is sent here (the SDK's defaults: mp3 at 128 kbps, chunk_length 200).
/// </summary>
public sealed record FishApiTtsConfig
{
    public string ApiKey { get; init; } = "";
    public string ReferenceId { get; init; } = "7f92f8afb8ec43bf81429cc1c9199cb1";
    /// <summary>normal or balanced (balanced is faster, lower quality).</summary>
    public string Latency { get; init; } = "balanced";
    public string BaseUrl { get; init; } = "https://api.fish.audio";
}

/// <summary>siliconflow_tts as OLV: SiliconFlow's OpenAI-style <c>POST /v1/audio/speech</c> with its extra fields.</summary>
public sealed record SiliconFlowTtsConfig
{
    public string ApiUrl { get; init; } = "https://api.siliconflow.cn/v1/audio/speech";
    public string ApiKey { get; init; } = "";
    public string DefaultModel { get; init; } = "FunAudioLLM/CosyVoice2-0.5B";
    public string DefaultVoice { get; init; } = "speech:Dreamflowers:5bdstvc39i:xkqldnpasqmoqbakubom";
    public int SampleRate { get; init; } = 32000;
    /// <summary>mp3, wav or pcm (headerless s16le at sample_rate); OLV's opus is not decoded here.</summary>
    public string ResponseFormat { get; init; } = "mp3";
    public bool Stream { get; init; } = true;
    public double Speed { get; init; } = 1;
    public int Gain { get; init; }
}

/// <summary>
/// minimax_tts as OLV: MiniMax's <c>POST /v1/t2a_v2?GroupId=…</c> streamed as server-sent events whose
/// <c>data.audio</c> is hex-encoded MP3 (32 kHz, 128 kbps, mono, OLV's fixed audio_setting). base_url is ours.
/// </summary>
public sealed record MinimaxTtsConfig
{
    public string GroupId { get; init; } = "";
    public string ApiKey { get; init; } = "";
    public string Model { get; init; } = "speech-02-turbo";
    public string VoiceId { get; init; } = "male-qn-qingse";
    /// <summary>A JSON object such as {"tone": ["测试/(ce4)(shi4)"]}; empty sends {"tone": []}.</summary>
    public string PronunciationDict { get; init; } = "";
    public string BaseUrl { get; init; } = "https://api.minimax.chat";
}

/// <summary>
/// cartesia_tts as OLV (which uses Cartesia's SDK): the REST call it makes, <c>POST /tts/bytes</c> with X-API-Key
/// and Cartesia-Version; wav is 44.1 kHz pcm_f32le, mp3 44.1 kHz 128 kbps, as OLV asks. base_url is ours.
/// </summary>
public sealed record CartesiaTtsConfig
{
    public const string ApiVersion = "2025-04-16";

    public string ApiKey { get; init; } = "";
    public string VoiceId { get; init; } = "6ccbfb76-1fc6-48f7-b71d-91ac6298247b";
    public string ModelId { get; init; } = "sonic-3";
    public string OutputFormat { get; init; } = "wav";
    public string Language { get; init; } = "en";
    public string Emotion { get; init; } = "neutral";
    public double Volume { get; init; } = 1.0;
    public double Speed { get; init; } = 1.0;
    public string BaseUrl { get; init; } = "https://api.cartesia.ai";
}

/// <summary>
/// azure_tts as OLV (which uses the Speech SDK): the service's REST call, SSML to
/// <c>https://{region}.tts.speech.microsoft.com/cognitiveservices/v1</c> answered as 24 kHz 16-bit mono WAV. pitch
/// is OLV's percentage, rate its prosody rate; base_url is ours (empty = the region's endpoint).
/// </summary>
public sealed record AzureTtsConfig
{
    public string ApiKey { get; init; } = "";
    public string Region { get; init; } = "eastus";
    public string Voice { get; init; } = "en-US-AshleyNeural";
    public string Pitch { get; init; } = "0";
    public string Rate { get; init; } = "1.0";
    public string BaseUrl { get; init; } = "";

    public string Endpoint => BaseUrl.Length > 0
        ? $"{BaseUrl.TrimEnd('/')}/cognitiveservices/v1"
        : $"https://{Region}.tts.speech.microsoft.com/cognitiveservices/v1";
}
