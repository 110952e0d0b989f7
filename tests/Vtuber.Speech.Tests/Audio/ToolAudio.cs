using System.Diagnostics;

namespace Vtuber.Speech.Tests.Audio;

/// <summary>Real audio made by the test set-up with espeak-ng and sox (installed by .ci/run), in a temporary folder.</summary>
internal sealed class ToolAudio : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("vtuber-audio-").FullName;

    public string PathOf(string name) => Path.Combine(_folder, name);

    /// <summary>Runs a program with arguments (no shell) and returns the bytes of the file it wrote.</summary>
    public byte[] Make(string output, string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} failed: {errors}");
        return File.ReadAllBytes(PathOf(output));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
