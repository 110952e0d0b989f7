using Vtuber.Bench;
using Vtuber.Bench.Sessions;

// dotnet run -c Release --project src/Vtuber.Bench -- [first-audio | turn-parts] [--turns N]
// dotnet run -c Release --project src/Vtuber.Bench -- group [--turns N] [--members N]   (group chat's extra latency per member)
// dotnet run -c Release --project src/Vtuber.Bench -- vad [--clients N] [--loops N]
// dotnet run -c Release --project src/Vtuber.Bench -- journal [--appends N] [--messages N] [--postgres CONNECTION_STRING]
// dotnet run -c Release --project src/Vtuber.Bench -- sessions [--quick] [--sessions N] [--busy-clients N] [--idle N] [--soak-minutes M]
//     [--mic-clients N] [--interrupts N] [--warmup S] [--paced-seconds S] [--busy-seconds S] [--mic-seconds S]
//   the server (child process, Release build) against a bare WebSocket floor under many sessions (issue 10)
// dotnet run -c Release --project src/Vtuber.Bench -- context [--turns N] [--window TOKENS]
//   prompt tokens per turn with the context budget and without it (issue 14)
// dotnet run -c Release --project src/Vtuber.Bench -- memory [--memories N] [--queries N]
//   long-term recall: the search over N memories, the memory actor's round trip, the query embedding per provider
// serve-floor --port P --frames FILE --parent PID: the floor of `sessions`, started by it as a child process
string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var turns = int.Parse(Option("--turns") ?? "100");
var scenario = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _)) ?? "first-audio";
switch (scenario)
{
    case "first-audio":
        await FirstAudioBench.RunAsync(turns);
        return 0;
    case "group":
        await GroupTurnBench.RunAsync(turns, int.Parse(Option("--members") ?? "3"));
        return 0;
    case "turn-parts":
        await TurnPartsBench.RunAsync(turns);
        return 0;
    case "vad":
        await VadBench.RunAsync(int.Parse(Option("--clients") ?? "512"), int.Parse(Option("--loops") ?? "2"));
        return 0;
    case "journal":
        await JournalBench.RunAsync(int.Parse(Option("--appends") ?? "500"), int.Parse(Option("--messages") ?? "10000"),
            Option("--postgres") ?? Environment.GetEnvironmentVariable("VTUBER_TEST_POSTGRES"));
        return 0;
    case "context":
        await ContextBench.RunAsync(int.Parse(Option("--turns") ?? "500"), int.Parse(Option("--window") ?? "8192"));
        return 0;
    case "memory":
        await MemoryBench.RunAsync(int.Parse(Option("--memories") ?? "10000"), int.Parse(Option("--queries") ?? "1000"));
        return 0;
    case "sessions":
        return await SessionsBench.RunAsync(SessionsOptions.Parse(args));
    case "serve-floor":
        return await FloorServer.RunAsync(args);
    default:
        Console.Error.WriteLine($"unknown scenario '{scenario}' (known: first-audio, turn-parts, group, vad, journal, sessions, context, memory)");
        return 2;
}
