using System.Diagnostics;
using System.Text.Json;
using Vtuber.Domain.Config;

namespace Vtuber.Speech.Asr;

/// <summary>
/// Tries a sherpa-onnx model in a child process before this process loads it. sherpa-onnx's C API does not catch the
/// C++ exceptions of a model that fails to load (a file that is not ONNX: <c>terminate called after throwing an
/// instance of 'Ort::Exception'</c>, then abort), and some model readers call exit() on missing metadata, so a bad
/// file would end the whole server. The child is this very process's command line (/proc/self/cmdline) started again
/// with <see cref="StartupHook"/> in DOTNET_STARTUP_HOOKS: the hook runs before the program's Main, creates the
/// recognizer and exits, so none of the program runs. Costs one extra model load, once per engine.
/// </summary>
internal static class SherpaOnnxProbe
{
    public const string ConfigVariable = "VTUBER_SHERPA_ONNX_PROBE";
    private const int StderrTailLines = 6;
    // Far above any model's load time (a large Whisper loads in tens of seconds); only guards against a hung child.
    private static readonly TimeSpan LoadLimit = TimeSpan.FromMinutes(5);

    /// <summary>Null when the child created the recognizer, otherwise why it could not (its exit and stderr).</summary>
    public static string? Problem(SherpaOnnxAsrConfig config)
    {
        // Without startup hooks (a trimmed app can turn them off) the child would run the whole program instead.
        if (AppContext.TryGetSwitch("System.StartupHookProvider.IsSupported", out var hooks) && !hooks)
        {
            return "this build disables .NET startup hooks, which the model check process needs";
        }
        var commandLine = File.ReadAllText("/proc/self/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(commandLine[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in commandLine.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_STARTUP_HOOKS"] = typeof(SherpaOnnxProbe).Assembly.Location;
        start.Environment[ConfigVariable] = JsonSerializer.Serialize(config);
        start.Environment[SherpaOnnxLibrary.FolderVariable] = SherpaOnnxLibrary.Folder;

        using var child = Process.Start(start) ?? throw new AsrException(AsrEngineFactory.SherpaOnnx,
            $"cannot start the model check process {commandLine[0]}");
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderrRead = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(LoadLimit))
        {
            child.Kill(entireProcessTree: true);
            return $"the model check process did not finish within {LoadLimit.TotalMinutes} minutes";
        }
        _ = stdout.Result;
        var stderr = stderrRead.Result;
        if (child.ExitCode == 0)
        {
            return null;
        }
        var tail = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .TakeLast(StderrTailLines);
        return $"loading the model ended the check process with exit code {child.ExitCode}: {string.Join(" | ", tail)}";
    }

    /// <summary>The child's side: 0 when the recognizer was created, 1 when sherpa-onnx refused it (it logs why).</summary>
    internal static int RunInChild(string configJson)
    {
        var config = JsonSerializer.Deserialize<SherpaOnnxAsrConfig>(configJson)
                     ?? throw new InvalidOperationException($"{ConfigVariable} holds no config");
        try
        {
            using var recognizer = SherpaOnnxRecognizer.CreateNative(config);
            return 0;
        }
        catch (AsrException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
    }
}
