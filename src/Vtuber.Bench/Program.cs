using Vtuber.Bench;

// dotnet run -c Release --project src/Vtuber.Bench -- [first-audio [--turns N] | vad [--clients N] [--loops N]]
var turns = args.SkipWhile(a => a != "--turns").Skip(1).Select(int.Parse).FirstOrDefault(100);
var scenario = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _)) ?? "first-audio";
switch (scenario)
{
    case "first-audio":
        await FirstAudioBench.RunAsync(turns);
        return 0;
    case "turn-parts":
        await TurnPartsBench.RunAsync(turns);
        return 0;
    case "vad":
        await VadBench.RunAsync(
            args.SkipWhile(a => a != "--clients").Skip(1).Select(int.Parse).FirstOrDefault(512),
            args.SkipWhile(a => a != "--loops").Skip(1).Select(int.Parse).FirstOrDefault(2));
        return 0;
    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}' (known: first-audio, turn-parts, vad)");
        return 2;
}
