using System.Diagnostics;
using System.Reflection;
using System.Text;
using LLama;
using LLama.Common;
using Vtuber.Domain.Config;

namespace Vtuber.Agents;

/// <summary>
/// Loads a GGUF model in a CHILD process before this process touches it. llama.cpp answers a malformed model (e.g.
/// duplicate token pieces) with GGML_ASSERT, which aborts the whole process instead of throwing; so the server first
/// lets a throw-away child load the file and tokenize a probe, and only a model that passed is loaded in-process.
/// The child is the host program run with <see cref="ChildArgument"/>: its entry point must hand such a command line
/// to <see cref="RunChild"/> (the server's Program does; test assemblies use <see cref="ForAssembly"/>).
/// </summary>
public sealed record LlamaModelCheck(string FileName, IReadOnlyList<string> ArgumentsBeforePath)
{
    public const string ChildArgument = "--llama-model-check";

    /// <summary>A real model is memory-mapped, so loading it twice costs seconds, not minutes.</summary>
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(2);

    /// <summary>This program run again (the apphost, or dotnet exec with the entry assembly).</summary>
    public static LlamaModelCheck Default
    {
        get
        {
            var process = Environment.ProcessPath ?? "dotnet";
            return Path.GetFileNameWithoutExtension(process) == "dotnet"
                ? ForAssembly(Assembly.GetEntryAssembly()!.Location)
                : new LlamaModelCheck(process, [ChildArgument]);
        }
    }

    /// <summary>dotnet exec of an assembly whose Main dispatches <see cref="ChildArgument"/> to <see cref="RunChild"/>.</summary>
    public static LlamaModelCheck ForAssembly(string assemblyPath) => new("dotnet", ["exec", assemblyPath, ChildArgument]);

    /// <summary>True when a process was started as a model-check child: args are [ChildArgument, modelPath].</summary>
    public static bool IsChildInvocation(string[] args) => args is [ChildArgument, _];

    /// <summary>The child's work: load, tokenize a probe, report on stdout. Exit code 0 when the model is usable.</summary>
    public static int RunChild(string[] args)
    {
        try
        {
            using var weights = LLamaWeights.LoadFromFile(new ModelParams(args[1]));
            var tokens = weights.Tokenize("Hello, world.", true, false, Encoding.UTF8);
            Console.Out.WriteLine($"ok vocab={weights.Vocab.Count} probe_tokens={tokens.Length}");
            return tokens.Length > 0 ? 0 : 1;
        }
        catch (Exception e)
        {
            Console.Out.WriteLine($"error {e.GetType().Name}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Runs the child for <paramref name="modelPath"/>.</summary>
    /// <exception cref="ConfigException">The file is missing, or the child failed, aborted or hung; names the cause.</exception>
    public void Verify(string modelPath, string configFile, string keyPath)
    {
        if (!File.Exists(modelPath))
        {
            throw new ConfigException(configFile, keyPath, modelPath, "the path of an existing GGUF model file");
        }
        var start = new ProcessStartInfo(FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in ArgumentsBeforePath)
        {
            start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add(modelPath);

        using var child = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {FileName}");
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(ChildTimeout))
        {
            child.Kill(entireProcessTree: true);
            throw new ConfigException(configFile, keyPath, modelPath,
                $"a GGUF model llama.cpp can load (the load check did not finish within {ChildTimeout.TotalSeconds} s)");
        }
        child.WaitForExit();
        var output = stdout.Result.Trim();
        if (child.ExitCode == 0 && output.StartsWith("ok ", StringComparison.Ordinal))
        {
            return;
        }
        throw new ConfigException(configFile, keyPath, modelPath,
            $"a GGUF model llama.cpp can load ({Cause(child.ExitCode, output, stderr.Result)})");
    }

    // An abort leaves no .NET message: the last assertion line llama.cpp printed says why.
    private static string Cause(int exitCode, string output, string errors)
    {
        var error = output.Split('\n').LastOrDefault(l => l.StartsWith("error ", StringComparison.Ordinal));
        if (error is not null)
        {
            return error["error ".Length..];
        }
        var assertion = errors.Split('\n').LastOrDefault(l => l.Contains("GGML_ASSERT", StringComparison.Ordinal)
                                                             || l.Contains("error", StringComparison.OrdinalIgnoreCase));
        var how = exitCode is 134 or -6 ? "llama.cpp aborted while loading it" : $"the load check exited with code {exitCode}";
        return assertion is null ? how : $"{how}: {assertion.Trim()}";
    }
}
