using Vtuber.Bench;

// dotnet run -c Release --project src/Vtuber.Bench -- [first-audio] [--turns N]
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
    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}' (known: first-audio, turn-parts)");
        return 2;
}
