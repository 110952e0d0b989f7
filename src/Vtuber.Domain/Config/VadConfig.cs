namespace Vtuber.Domain.Config;

/// <summary>
/// character_config.vad_config (olv-protocol.md 8.3): the server-side detector for raw-audio-data. OLV's keys and
/// defaults; ServerStartsTurn is ours.
/// </summary>
public sealed record VadConfig
{
    public const string SileroVad = "silero_vad";

    /// <summary>null (OLV's template default: raw-audio-data is refused) or "silero_vad".</summary>
    public string? VadModel { get; init; }
    public SileroVadConfig Silero { get; init; } = new();
    /// <summary>
    /// Ours (server_starts_turn): at speech end the server transcribes and starts the turn itself instead of sending
    /// control mic-audio-end and waiting for the client's mic-audio-end (OLV's behaviour, the default).
    /// </summary>
    public bool ServerStartsTurn { get; init; }
}

/// <summary>vad_config.silero_vad, OLV's defaults. Windows are 512 samples (32 ms) at 16 kHz.</summary>
public sealed record SileroVadConfig
{
    /// <summary>raw-audio-data is 16 kHz mono; any other rate is refused at load (we do not resample).</summary>
    public int OrigSr { get; init; } = 16000;
    public int TargetSr { get; init; } = 16000;
    public double ProbThreshold { get; init; } = 0.4;
    /// <summary>In dB of int16-scaled RMS (OLV's scale): 60 ≈ −30 dBFS.</summary>
    public double DbThreshold { get; init; } = 60;
    public int RequiredHits { get; init; } = 3;
    public int RequiredMisses { get; init; } = 24;
    public int SmoothingWindow { get; init; } = 5;
}

/// <summary>Reads vad_config; called once from ConfigLoader.ReadCharacter.</summary>
internal static class VadConfigReader
{
    public static VadConfig Read(YamlSection s, VadConfig d)
    {
        var model = s.OneOf("vad_model", VadConfig.SileroVad);
        var silero = s.Section(VadConfig.SileroVad, model == VadConfig.SileroVad,
            $"vad_model is {(model is null ? "null" : $"'{model}'")}");
        var ds = d.Silero;
        return new VadConfig
        {
            VadModel = model,
            ServerStartsTurn = s.Bool("server_starts_turn") ?? d.ServerStartsTurn,
            Silero = new SileroVadConfig
            {
                OrigSr = silero.Int("orig_sr", 16000, 16000, "16000 (raw-audio-data is 16 kHz mono)") ?? ds.OrigSr,
                TargetSr = silero.Int("target_sr", 16000, 16000, "16000 (Silero runs on 512-sample windows at 16 kHz)") ?? ds.TargetSr,
                ProbThreshold = silero.Number("prob_threshold", 0, 1, "a number 0..1") ?? ds.ProbThreshold,
                DbThreshold = silero.Number("db_threshold", 0, 120, "a number 0..120 (dB of int16-scaled RMS)") ?? ds.DbThreshold,
                RequiredHits = silero.Int("required_hits", 1, 1000, "an integer 1..1000 (32 ms windows)") ?? ds.RequiredHits,
                RequiredMisses = silero.Int("required_misses", 1, 1000, "an integer 1..1000 (32 ms windows)") ?? ds.RequiredMisses,
                SmoothingWindow = silero.Int("smoothing_window", 1, 100, "an integer 1..100 (windows)") ?? ds.SmoothingWindow,
            },
        };
    }
}
