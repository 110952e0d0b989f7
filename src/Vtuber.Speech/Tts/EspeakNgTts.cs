using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Vtuber.Domain.Audio;
using Vtuber.Domain.Config;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>
/// espeak-ng, the offline default voice. It runs as a separate program (it is GPL-3+; a process boundary avoids
/// any linking question) and writes a 22050 Hz mono WAV to stdout. The text goes in on stdin, never on a command
/// line, so no text can be read as an option or reach a shell.
/// </summary>
public sealed class EspeakNgTts(EspeakNgTtsConfig config) : ITtsEngine
{
    public const string Model = "espeak_ng";
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public string Name => Model;

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        cancellationToken.ThrowIfCancellationRequested();

        using var process = new Process { StartInfo = CreateStartInfo() };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new TtsException(Name,
                $"cannot run '{config.Executable}' ({e.Message}); install espeak-ng (apt install espeak-ng) or set " +
                "character_config.tts_config.espeak_ng.executable to its path", e);
        }

        try
        {
            var stdout = new MemoryStream();
            var readingAudio = process.StandardOutput.BaseStream.CopyToAsync(stdout, cancellationToken);
            var readingErrors = process.StandardError.ReadToEndAsync(cancellationToken);

            await process.StandardInput.WriteAsync(text.AsMemory(), cancellationToken);
            process.StandardInput.Close();

            await Task.WhenAll(readingAudio, readingErrors);
            await process.WaitForExitAsync(cancellationToken);

            if (process.ExitCode != 0)
                throw new TtsException(Name,
                    $"'{config.Executable}' exited with code {process.ExitCode}: {(await readingErrors).Trim()}");
            return DecodeOutput(stdout.ToArray());
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
        catch (IOException e)
        {
            // The program died while we were writing the text (broken pipe) or reading its audio.
            Kill(process);
            throw new TtsException(Name, $"'{config.Executable}' failed: {e.Message}", e);
        }
    }

    private ProcessStartInfo CreateStartInfo()
    {
        var startInfo = new ProcessStartInfo(config.Executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8NoBom,
            StandardErrorEncoding = Utf8NoBom,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var argument in new[]
                 {
                     "--stdout", "--stdin", "-b", "1",
                     "-v", config.Voice,
                     "-s", config.Speed.ToString(CultureInfo.InvariantCulture),
                     "-p", config.Pitch.ToString(CultureInfo.InvariantCulture),
                 })
            startInfo.ArgumentList.Add(argument);
        return startInfo;
    }

    private Pcm16Audio DecodeOutput(byte[] wav)
    {
        try
        {
            return AudioDecoder.Decode(wav);
        }
        catch (InvalidDataException e)
        {
            throw new TtsException(Name, $"'{config.Executable}' did not write a WAV to stdout: {e.Message}", e);
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
            // Already exited: nothing left to stop.
        }
    }
}
