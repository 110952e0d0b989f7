using Vtuber.Domain.Config;
using Vtuber.Server.Commands;
using Vtuber.Server.Hosting;

if (OlvHistoryCommands.Handles(args))
{
    return await OlvHistoryCommands.RunAsync(args, Console.Out, Console.Error);
}

// dotnet run --project src/Vtuber.Server [-- --config PATH]
// The same program is the llama_cpp_llm model-check child: a malformed GGUF aborts that process, not the server.
if (Vtuber.Agents.LlamaModelCheck.IsChildInvocation(args)) return Vtuber.Agents.LlamaModelCheck.RunChild(args);
var configPath = ServerArguments.ConfigPath(args);
try
{
    // Before the host (and its logger) exists: one line per finding on stderr. Settings this server does not do are
    // warnings; values in sections of engines that are not selected are only of interest when debugging.
    var config = ConfigLoader.Load(configPath,
        unknownKey => Console.Error.WriteLine($"debug: {configPath}: ignoring unknown key {unknownKey}"),
        notice: notice => Console.Error.WriteLine($"{(notice.IsWarning ? "warning" : "debug")}: {notice}"));
    var app = VtuberServer.Build(config, ServerArguments.WithoutConfig(args));
    await app.StartAsync();
    await app.WaitForShutdownAsync();
    return 0;
}
catch (ConfigException e)
{
    Console.Error.WriteLine($"Configuration error: {ConfigSecrets.Describe(e)}");
    return 2;
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine($"Configuration error: {e.Message}");
    return 2;
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // Anything else that stops start-up (an engine that cannot start, a port in use): one line, not a stack trace.
    // Only start-up reaches here: once the host runs, request and actor failures are handled where they happen.
    Console.Error.WriteLine($"Start-up error: {StartupError.Describe(e)}");
    return 2;
}
