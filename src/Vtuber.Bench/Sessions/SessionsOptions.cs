using System.Globalization;

namespace Vtuber.Bench.Sessions;

/// <summary>
/// The sizes and durations of the sessions scenario. The defaults keep a full run (server and floor, every phase)
/// within about five minutes on two cores; --quick is a smoke run that only shows the scenario works.
/// </summary>
public sealed record SessionsOptions
{
    /// <summary>Clients of the paced phase, each doing about one turn per second.</summary>
    public int Sessions { get; init; } = 200;

    /// <summary>Mean think time between turns of the paced phase; each pause is drawn from ±50 % of it.</summary>
    public TimeSpan Think { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Clients of the saturated phase (no think time).</summary>
    public int BusyClients { get; init; } = 50;

    /// <summary>Connections opened (and kept idle) for the memory and connect-rate phase.</summary>
    public int Idle { get; init; } = 10_000;

    /// <summary>Connections being opened at once in the idle phase (a frontend tab opens one; many tabs open in parallel).</summary>
    public int ConnectConcurrency { get; init; } = 64;

    /// <summary>Clients pushing mic-audio-data back to back.</summary>
    public int MicClients { get; init; } = 4;

    /// <summary>Interrupted turns in the interrupt phase.</summary>
    public int Interrupts { get; init; } = 20;

    /// <summary>Load before a phase's measurement starts (JIT, pools, caches).</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan PacedDuration { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan BusyDuration { get; init; } = TimeSpan.FromSeconds(20);
    public TimeSpan MicDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When set: a soak instead of the table. The server alone runs paced rounds (each PacedDuration) back to back for
    /// this long, and each round prints its RSS, turns, first-audio percentiles and error frames.
    /// </summary>
    public TimeSpan? Soak { get; init; }

    /// <summary>Upper bound on opening the idle connections; a slower target is reported with what it reached.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public static SessionsOptions Parse(string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, int fallback, int min, int max)
        {
            if (Option(name) is not { } text) return fallback;
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw new ArgumentException($"{name} {text}: expected an integer {min}..{max}");
        }
        TimeSpan Seconds(string name, TimeSpan fallback) => TimeSpan.FromSeconds(Int(name, (int)fallback.TotalSeconds, 1, 3600));

        var defaults = args.Contains("--quick")
            ? new SessionsOptions
            {
                Sessions = 20, BusyClients = 10, Idle = 500, Interrupts = 5, Warmup = TimeSpan.FromSeconds(2),
                PacedDuration = TimeSpan.FromSeconds(10), BusyDuration = TimeSpan.FromSeconds(10),
                MicDuration = TimeSpan.FromSeconds(10), IdleTimeout = TimeSpan.FromSeconds(60),
            }
            : new SessionsOptions();
        return defaults with
        {
            Sessions = Int("--sessions", defaults.Sessions, 1, 5000),
            BusyClients = Int("--busy-clients", defaults.BusyClients, 1, 5000),
            Idle = Int("--idle", defaults.Idle, 1, 15_000), // each idle connection is one fd in the server and one here
            MicClients = Int("--mic-clients", defaults.MicClients, 1, 64),
            Interrupts = Int("--interrupts", defaults.Interrupts, 1, 1000),
            Warmup = Seconds("--warmup", defaults.Warmup),
            PacedDuration = Seconds("--paced-seconds", defaults.PacedDuration),
            BusyDuration = Seconds("--busy-seconds", defaults.BusyDuration),
            MicDuration = Seconds("--mic-seconds", defaults.MicDuration),
            Soak = Option("--soak-minutes") is null ? null : TimeSpan.FromMinutes(Int("--soak-minutes", 30, 1, 24 * 60)),
        };
    }
}
