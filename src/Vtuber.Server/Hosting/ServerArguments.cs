namespace Vtuber.Server.Hosting;

/// <summary>--config PATH (default config/conf.yaml); everything else goes to ASP.NET (e.g. --urls).</summary>
public static class ServerArguments
{
    public const string DefaultConfigPath = "config/conf.yaml";

    public static string ConfigPath(string[] args)
    {
        var index = Array.IndexOf(args, "--config");
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : DefaultConfigPath;
    }

    public static string[] WithoutConfig(string[] args)
    {
        var index = Array.IndexOf(args, "--config");
        return index < 0 ? args : [.. args[..index], .. args[Math.Min(index + 2, args.Length)..]];
    }
}
