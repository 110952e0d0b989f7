using System.Globalization;

namespace Vtuber.Bench.Sessions;

/// <summary>N sessions at about one turn per second: latencies in ms, CPU in ms per completed turn.</summary>
public sealed record PacedResult(double[] FirstAudioMs, double[] ConnectMs, double CpuMsPerTurn, double TurnsPerSecond);

/// <summary>Clients without think time.</summary>
public sealed record BusyResult(double TurnsPerSecond, double CpuMsPerTurn);

/// <summary>Idle connections: how many were opened, the target's RSS growth per connection, and the open rate.</summary>
public sealed record IdleResult(int Connections, double RssBytesPerConnection, double ConnectsPerSecond);

/// <summary>mic-audio-data pushed and read, in MB (10^6 bytes) per second.</summary>
public sealed record MicResult(double MegabytesPerSecond);

/// <summary>Interrupted turns, their frames still in flight when the interrupt was read, and frames sent after it.</summary>
public sealed record InterruptResult(int Turns, int InFlightFrames, int StaleFrames);

/// <summary>Everything one target did under the scenario; ErrorFrames counts error frames outside the mic phase.</summary>
public sealed record TargetResult(PacedResult Paced, BusyResult Busy, MicResult Mic, InterruptResult Interrupt, IdleResult Idle,
    int ErrorFrames);

/// <summary>The scenario's table: each measure for the floor and the server, and the server's value over the floor's.</summary>
public static class Measurements
{
    public static double Percentile(double[] values, double p)
    {
        if (values.Length == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Floor(p * sorted.Length))];
    }

    public static void Print(SessionsOptions options, TargetResult floor, TargetResult server, TextWriter output)
    {
        var rows = new List<(string Measure, string Floor, string Server, string Ratio)>();
        void Row(string measure, double f, double s, string unit, string format = "F2") =>
            rows.Add((measure, Format(f, format) + unit, Format(s, format) + unit, Ratio(s, f)));

        var paced = $"{options.Sessions} sessions × ~1 turn/s";
        Row($"{paced}: text-input → first audio p50", Percentile(floor.Paced.FirstAudioMs, 0.5), Percentile(server.Paced.FirstAudioMs, 0.5), " ms");
        Row($"{paced}: text-input → first audio p99", Percentile(floor.Paced.FirstAudioMs, 0.99), Percentile(server.Paced.FirstAudioMs, 0.99), " ms");
        Row($"{paced}: CPU per turn", floor.Paced.CpuMsPerTurn, server.Paced.CpuMsPerTurn, " ms");
        Row($"{paced}: connect + four replies p50", Percentile(floor.Paced.ConnectMs, 0.5), Percentile(server.Paced.ConnectMs, 0.5), " ms", "F0");
        Row($"{paced}: turns/s done", floor.Paced.TurnsPerSecond, server.Paced.TurnsPerSecond, "", "F0");
        var busy = $"{options.BusyClients} clients, no think time";
        Row($"{busy}: turns/s", floor.Busy.TurnsPerSecond, server.Busy.TurnsPerSecond, "", "F0");
        Row($"{busy}: CPU per turn", floor.Busy.CpuMsPerTurn, server.Busy.CpuMsPerTurn, " ms");
        var idle = $"{options.Idle} idle connections";
        Row($"{idle}: RSS per connection", floor.Idle.RssBytesPerConnection / 1024, server.Idle.RssBytesPerConnection / 1024, " KB", "F1");
        Row($"{idle}: connects/s", floor.Idle.ConnectsPerSecond, server.Idle.ConnectsPerSecond, "", "F0");
        Row($"{options.MicClients} clients pushing mic-audio-data: MB/s read", floor.Mic.MegabytesPerSecond, server.Mic.MegabytesPerSecond, "", "F0");
        rows.Add(($"interrupt at first audio ({options.Interrupts} turns): stale frames (in flight)",
            $"{floor.Interrupt.StaleFrames} ({floor.Interrupt.InFlightFrames})",
            $"{server.Interrupt.StaleFrames} ({server.Interrupt.InFlightFrames})",
            server.Interrupt.StaleFrames == 0 ? "met" : "NOT met"));

        var widths = new[]
        {
            Math.Max(7, rows.Max(r => r.Measure.Length)), Math.Max(5, rows.Max(r => r.Floor.Length)),
            Math.Max(6, rows.Max(r => r.Server.Length)), Math.Max(5, rows.Max(r => r.Ratio.Length)),
        };
        void Line(string a, string b, string c, string d) =>
            output.WriteLine($"| {a.PadRight(widths[0])} | {b.PadLeft(widths[1])} | {c.PadLeft(widths[2])} | {d.PadLeft(widths[3])} |");
        Line("measure", "floor", "server", "ratio");
        output.WriteLine($"|{new string('-', widths[0] + 2)}|{new string('-', widths[1] + 1)}:|{new string('-', widths[2] + 1)}:|{new string('-', widths[3] + 1)}:|");
        foreach (var row in rows)
        {
            Line(row.Measure, row.Floor, row.Server, row.Ratio);
        }
        if (floor.ErrorFrames + server.ErrorFrames > 0)
        {
            output.WriteLine($"error frames received (the mic phase's expected ones not counted): floor {floor.ErrorFrames}, server {server.ErrorFrames}");
        }
        if (floor.Idle.Connections < options.Idle || server.Idle.Connections < options.Idle)
        {
            output.WriteLine($"idle connections opened: floor {floor.Idle.Connections}, server {server.Idle.Connections} of {options.Idle}");
        }
    }

    private static string Format(double value, string format) =>
        double.IsNaN(value) ? "n/a" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>server / floor: above 1 the server takes more (time, CPU, memory) or, for rates, does more.</summary>
    private static string Ratio(double server, double floor)
    {
        if (double.IsNaN(server) || double.IsNaN(floor) || floor == 0) return "n/a";
        var ratio = server / floor;
        var format = ratio >= 100 ? "F0" : ratio >= 10 ? "F1" : ratio >= 0.1 ? "F2" : "F3";
        return ratio.ToString(format, CultureInfo.InvariantCulture) + "×";
    }
}
