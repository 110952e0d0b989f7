namespace Vtuber.Domain.Config;

/// <summary>
/// edge_tts as OLV (which passes only <c>voice</c>); rate, pitch and volume use edge-tts's own forms ("+0%",
/// "+0Hz", "+0%"). base_url is ours, so tests (or a proxy) can stand in for Microsoft's endpoint.
/// </summary>
public sealed record EdgeTtsConfig
{
    public const string DefaultBaseUrl = "wss://speech.platform.bing.com/consumer/speech/synthesize/readaloud/edge/v1";

    public string Voice { get; init; } = "en-US-AvaMultilingualNeural";
    public string Rate { get; init; } = "+0%";
    public string Pitch { get; init; } = "+0Hz";
    public string Volume { get; init; } = "+0%";
    public string BaseUrl { get; init; } = DefaultBaseUrl;
}

/// <summary>elevenlabs_tts as OLV, on the streaming endpoint; base_url is ours.</summary>
public sealed record ElevenLabsTtsConfig
{
    public string ApiKey { get; init; } = "";
    public string VoiceId { get; init; } = "JBFqnCBsd6RMkjVDRZzb";
    public string ModelId { get; init; } = "eleven_multilingual_v2";
    /// <summary>codec_rate[_bitrate]: mp3_44100_128 (OLV's default), pcm_16000, wav_22050, ...</summary>
    public string OutputFormat { get; init; } = "mp3_44100_128";
    public double Stability { get; init; } = 0.5;
    public double SimilarityBoost { get; init; } = 0.5;
    public double Style { get; init; }
    public bool UseSpeakerBoost { get; init; } = true;
    public string BaseUrl { get; init; } = "https://api.elevenlabs.io";
}

/// <summary>
/// piper_tts as OLV: a Piper voice (<c>model_path</c>, with its config at model_path + ".json"). Scales left unset
/// come from the voice config's <c>inference</c> section, as Piper does. espeak_executable is ours (phonemes come
/// from the espeak-ng program). OLV's use_cuda is accepted; inference runs on the CPU.
/// </summary>
public sealed record PiperTtsConfig
{
    public string? ModelPath { get; init; }
    public int? SpeakerId { get; init; }
    public double? LengthScale { get; init; }
    public double? NoiseScale { get; init; }
    public double? NoiseW { get; init; }
    /// <summary>Gain applied to the voice's samples (OLV: 1.0 = unchanged).</summary>
    public double Volume { get; init; } = 1.0;
    /// <summary>Scale each sentence to full peak, as OLV's piper engine does by default.</summary>
    public bool NormalizeAudio { get; init; } = true;
    public string EspeakExecutable { get; init; } = "espeak-ng";
}

/// <summary>flite (ours; OLV has no flite engine): the CMU flite program, BSD-style licensed, as a process.</summary>
public sealed record FliteTtsConfig
{
    /// <summary>A built-in voice (kal, kal16, awb, rms, slt) or a .flitevox file.</summary>
    public string Voice { get; init; } = "slt";
    public string Executable { get; init; } = "flite";
}

/// <summary>
/// tts_config.post_processing (ours): applied to every engine's audio before it is sent. Everything is off by
/// default, so the frontend gets the engine's own rate and level, as with OLV.
/// </summary>
public sealed record TtsPostProcessingConfig
{
    /// <summary>Resample to this rate (Hz); null keeps the engine's rate.</summary>
    public int? SampleRate { get; init; }
    /// <summary>Scale so the peak sits at this level (dBFS, ≤ 0); null leaves the level alone.</summary>
    public double? NormalizeDbfs { get; init; }
    /// <summary>Cut leading and trailing silence (quieter than trim_threshold_dbfs), keeping trim_keep_ms of it.</summary>
    public bool TrimSilence { get; init; }
    public double TrimThresholdDbfs { get; init; } = -50;
    public int TrimKeepMs { get; init; } = 50;
}
