using System.ComponentModel;
using System.Diagnostics;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// flite: CMU's small offline synthesiser (BSD-style licence; apt install flite), run as a program per sentence.
/// It cannot write audio to stdout, so each sentence goes through a temporary WAV (16 kHz mono) that is deleted
/// at once. The text is one argument of an argument list, never parsed by a shell.
/// </summary>
public sealed class FliteTts(FliteTtsConfig config) : ITtsEngine
{
    public const string Model = "flite";

    public string Name => Model;

    /// <summary>
    /// The voices the program has built in (<c>flite -lv</c>). flite quietly falls back to its default voice for an
    /// unknown name, so the factory checks the configured one against this list at start-up.
    /// </summary>
    public static IReadOnlyList<string> ListVoices(string executable)
    {
        using var process = new Process { StartInfo = StartInfo(executable, ["-lv"]) };
        Start(process, executable);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        // Run while the config is built (start-up, reload, switch-config): a program that hangs must not hang those.
        if (!process.WaitForExit(VoiceListBound))
        {
            Kill(process);
            throw new TtsException(Model,
                $"'{executable} -lv' gave no voice list within {VoiceListBound.TotalSeconds:0} s and was stopped");
        }
        process.WaitForExit(); // the redirected output is complete only after this one
        if (process.ExitCode != 0)
            throw new TtsException(Model, $"'{executable} -lv' exited with code {process.ExitCode}: {errors.Result.Trim()}");
        var voices = output.Result;
        var colon = voices.IndexOf(':');
        return voices[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    // flite prints its built-in list at once; only a broken or wrong program takes longer.
    private static readonly TimeSpan VoiceListBound = TimeSpan.FromSeconds(10);

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var wavFile = Path.Combine(Path.GetTempPath(), $"vtuber-flite-{Guid.NewGuid():N}.wav");
        try
        {
            var (exitCode, _, errors) = await RunAsync(config.Executable,
                ["-voice", config.Voice, "-t", text, "-o", wavFile], cancellationToken);
            if (exitCode != 0 || !File.Exists(wavFile))
                throw new TtsException(Name, $"'{config.Executable}' exited with code {exitCode}: {errors.Trim()}");
            return AudioDecoder.Decode(await File.ReadAllBytesAsync(wavFile, cancellationToken));
        }
        catch (InvalidDataException e)
        {
            throw new TtsException(Name, $"'{config.Executable}' wrote no usable WAV: {e.Message}", e);
        }
        finally
        {
            File.Delete(wavFile);
        }
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(
        string executable, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = StartInfo(executable, arguments) };
        Start(process, executable);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, await output, await errors);
        }
        catch (OperationCanceledException)
        {
            Kill(process); // cancelled or past its deadline: nothing of it may keep running
            throw;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static ProcessStartInfo StartInfo(string executable, string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        return start;
    }

    private static void Start(Process process, string executable)
    {
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new TtsException(Model,
                $"cannot run '{executable}' ({e.Message}); install flite (apt install flite) or set " +
                "character_config.tts_config.flite.executable to its path", e);
        }
    }
}
