using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Vtuber.Speech.Tts.Piper;

/// <summary>
/// IPA phonemes from the espeak-ng program (<c>espeak-ng -q --ipa</c>, text on stdin), shaped like Piper's
/// phonemizer output: espeak-ng prints one line per clause and drops the punctuation, Piper keeps each clause's
/// terminator (<c>həlˈoʊ, wˈɜːld.</c>), and the voices are trained on it. So the text is cut into clauses the way
/// espeak-ng cuts it (a run of , . ; : ! ? before a space or the end) and each line gets its terminator back. When
/// the counts differ (espeak-ng made its own cut), the lines are joined without punctuation.
/// </summary>
public sealed partial class EspeakPhonemizer(string executable)
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public async Task<string> PhonemizeAsync(string text, string voice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = await RunEspeakAsync(text, voice, cancellationToken);
        var terminators = ClauseTerminators(text);
        if (lines.Count != terminators.Count)
            return string.Join(' ', lines);
        return string.Join(' ', lines.Select((line, i) => line + terminators[i]));
    }

    /// <summary>The punctuation that ends each clause of the text ("" for a clause without any).</summary>
    public static IReadOnlyList<string> ClauseTerminators(string text) =>
        Clause().Matches(text).Where(m => m.Groups["body"].Value.Any(char.IsLetterOrDigit))
            .Select(m => m.Groups["end"].Value.Length == 0 ? "" : m.Groups["end"].Value[^1..]).ToList();

    private async Task<IReadOnlyList<string>> RunEspeakAsync(string text, string voice, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8NoBom,
            StandardOutputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in new[] { "-q", "--ipa", "-b", "1", "-v", voice })
            start.ArgumentList.Add(argument);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new TtsException(PiperTts.Model,
                $"cannot run '{executable}' for phonemes ({e.Message}); install espeak-ng or set " +
                "character_config.tts_config.piper_tts.espeak_executable", e);
        }
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.StandardInput.WriteAsync(text.AsMemory(), cancellationToken);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0)
                throw new TtsException(PiperTts.Model,
                    $"'{executable}' exited with code {process.ExitCode}: {(await errors).Trim()}");
            return (await output).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }
            if (e is IOException)
                throw new TtsException(PiperTts.Model, $"'{executable}' failed: {e.Message}", e);
            throw;
        }
    }

    [GeneratedRegex(@"(?<body>.+?)(?<end>[.,;:!?]+(?=\s|$)|$)", RegexOptions.Singleline)]
    private static partial Regex Clause();
}
