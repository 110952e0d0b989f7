using Vtuber.Domain.Config;
using Vtuber.Server.Commands;
using Vtuber.Server.Hosting;

if (OlvHistoryCommands.Handles(args))
{
    return await OlvHistoryCommands.RunAsync(args, Console.Out, Console.Error);
}

// dotnet run --project src/Vtuber.Server [-- --config PATH]
var configPath = ServerArguments.ConfigPath(args);
try
{
    var config = ConfigLoader.Load(configPath,
        unknownKey => Console.Error.WriteLine($"debug: {configPath}: ignoring unknown key {unknownKey}"));
    var app = VtuberServer.Build(config, ServerArguments.WithoutConfig(args));
    await app.RunAsync();
    return 0;
}
catch (ConfigException e)
{
    Console.Error.WriteLine($"Configuration error: {e.Message}");
    return 2;
}
catch (FileNotFoundException e)
{
    Console.Error.WriteLine($"Configuration error: {e.Message}");
    return 2;
}
