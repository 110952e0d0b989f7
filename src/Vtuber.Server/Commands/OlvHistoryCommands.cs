using Akka.Actor;
using Akka.Hosting;
using Vtuber.Actors.History;
using Vtuber.Domain.Config;
using Vtuber.Domain.History;
using Vtuber.Server.Hosting;

namespace Vtuber.Server.Commands;

/// <summary>
/// dotnet run --project src/Vtuber.Server -- import-olv-history PATH [--config conf.yaml]
/// dotnet run --project src/Vtuber.Server -- export-olv-history OUT_DIR [--config conf.yaml]
/// Both run the actor system on the server's journal (system_config.journal), without the HTTP listener. Run them
/// while the server is stopped: a running server keeps recovered histories in memory and would not see an import.
/// Exit codes: 0 done, 1 some files failed or conflicted, 2 bad arguments or config.
/// </summary>
public static class OlvHistoryCommands
{
    public const string Import = "import-olv-history";
    public const string Export = "export-olv-history";

    // One file is one journal write; a journal that cannot write in this long is not going to.
    private static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(30);

    public static bool Handles(string[] args) => args is [Import or Export, ..];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var rest = ServerArguments.WithoutConfig(args[1..]);
        if (rest is not [var folder])
        {
            await error.WriteLineAsync($"usage: {args[0]} {(args[0] == Import ? "CHAT_HISTORY_DIR" : "OUT_DIR")} [--config conf.yaml]");
            return 2;
        }
        var configPath = ServerArguments.ConfigPath(args);
        VtuberConfig config;
        try
        {
            config = ConfigLoader.Load(configPath);
        }
        catch (Exception e) when (e is ConfigException or FileNotFoundException)
        {
            await error.WriteLineAsync($"Configuration error: {e.Message}");
            return 2;
        }
        if (args[0] == Import && !Directory.Exists(folder))
        {
            await error.WriteLineAsync($"{folder}: no such folder (expected OLV's chat_history/ with one folder per conf_uid)");
            return 2;
        }

        using var host = BuildHost(config.System.Journal);
        await host.StartAsync();
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            return args[0] == Import
                ? await ImportAsync(folder, await ActorRegistry.For(system).GetAsync<ChatHistories>(), output)
                : await ExportAsync(new ChatHistoryReader(system), folder, output);
        }
        finally
        {
            // CoordinatedShutdown drains the histories: index updates trailing the imports are written before exit.
            await host.StopAsync();
        }
    }

    private static async Task<int> ImportAsync(string folder, IActorRef histories, TextWriter output)
    {
        // Each file is reported as soon as it is written, with a count: a large chat_history folder shows progress.
        var report = await OlvHistoryImporter.ImportAsync(folder, histories, WriteTimeout, progress: (file, done, total) =>
        {
            output.WriteLine($"[{done}/{total}] {Label(file.Outcome),-16} {file.Path}{(file.Reason is null ? "" : ": " + file.Reason)}");
            output.Flush();
        });
        var failed = report.Failures.Count;
        await output.WriteLineAsync(
            $"{report.Count(ImportOutcome.Imported)} imported, {report.Count(ImportOutcome.AlreadyImported)} skipped (already imported), " +
            $"{failed} failed");
        return failed == 0 ? 0 : 1;
    }

    private static async Task<int> ExportAsync(ChatHistoryReader reader, string outDir, TextWriter output)
    {
        var files = await OlvHistoryExporter.ExportAsync(reader, outDir);
        foreach (var file in files)
        {
            await output.WriteLineAsync($"exported         {file.Path} ({file.Records} records)");
        }
        await output.WriteLineAsync($"{files.Count} histories exported to {Path.GetFullPath(outDir)}");
        return 0;
    }

    private static string Label(ImportOutcome outcome) => outcome switch
    {
        ImportOutcome.Imported => "imported",
        ImportOutcome.AlreadyImported => "skipped",
        ImportOutcome.Conflict => "failed: conflict",
        ImportOutcome.Invalid => "failed: invalid",
        _ => "failed: write",
    };

    private static IHost BuildHost(JournalOptions journal)
    {
        var builder = Host.CreateApplicationBuilder();
        // The summary goes to stdout; only problems of the journal and actor system are worth showing, on stderr.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAkka("vtuber", (akka, _) => akka
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = Akka.Event.LogLevel.WarningLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .WithChatHistories(journal));
        return builder.Build();
    }
}
