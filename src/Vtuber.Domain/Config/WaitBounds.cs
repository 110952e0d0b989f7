namespace Vtuber.Domain.Config;

/// <summary>
/// The upper bounds of every *_seconds key. Each is far above any sensible setting and far below what TimeSpan and
/// timers can hold, so no value that passes validation can overflow when a turn or a connection turns it into a
/// TimeSpan (a 1e300 s playback timeout used to crash every turn).
/// </summary>
public static class WaitBounds
{
    /// <summary>Deadlines of one outside call (a TTS sentence, an ASR utterance, an LLM's first token or pause): an hour.</summary>
    public const double MaxCallSeconds = 3600;

    /// <summary>Timers that are not an outside call (the playback wait, the WebSocket ping): a day.</summary>
    public const double MaxTimerSeconds = 86_400;

    /// <summary>The shortest deadline or timer: below it a bound fires before any real call can answer.</summary>
    public const double MinSeconds = 0.1;

    /// <summary>
    /// The overall bound of the shared HttpClient, a safety net for a call that got no deadline of its own: later than
    /// the longest per-call deadline, so that one always fires first and names the engine.
    /// </summary>
    public static TimeSpan HttpSafetyNet { get; } = TimeSpan.FromSeconds(MaxCallSeconds) + TimeSpan.FromMinutes(1);
}
