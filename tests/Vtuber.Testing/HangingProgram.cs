using System.Globalization;
using System.Runtime.Versioning;

namespace Vtuber.Testing;

/// <summary>
/// A stand-in for espeak-ng, flite or any child program that hangs: a shell script in a temp folder that starts a
/// child of its own (sleep, holding the same stdout) and waits for it, writing both pids first. A caller that kills
/// only the script, or nothing, leaves a process behind; one that kills the whole tree leaves none.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class HangingProgram : IDisposable
{
    private readonly DirectoryInfo _folder;

    private HangingProgram(DirectoryInfo folder)
    {
        _folder = folder;
        Path = System.IO.Path.Combine(folder.FullName, "hanging-program");
        // One file per run (runs may overlap), written with a rename so a reader never sees half of it.
        File.WriteAllText(Path, $$"""
            #!/bin/sh
            sleep 600 &
            echo "$$ $!" > '{{folder.FullName}}/pids.$$.tmp' && mv '{{folder.FullName}}/pids.$$.tmp' '{{folder.FullName}}/run.$$'
            wait

            """);
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The script to configure as the engine's executable.</summary>
    public string Path { get; }

    public static HangingProgram Create() => new(Directory.CreateTempSubdirectory("vtuber-hanging-"));

    /// <summary>The pids (script, its child) of every run so far.</summary>
    public IReadOnlyList<(int Script, int Child)> Runs =>
        _folder.EnumerateFiles("run.*").Select(f => File.ReadAllText(f.FullName).Trim().Split(' '))
            .Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>A process that no longer runs: gone, or a zombie nobody has reaped yet (it runs nothing any more).</summary>
    public static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // pid (comm) state ...: the state follows the last ')' (comm may itself hold parentheses).
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
        }
    }

    /// <summary>Every process any run started is gone.</summary>
    public bool AllGone => Runs.All(r => IsGone(r.Script) && IsGone(r.Child));

    public void Dispose()
    {
        // A failed test must not leave sleeps behind either.
        foreach (var (script, child) in Runs)
        {
            foreach (var pid in new[] { child, script })
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Already gone.
                }
            }
        }
        _folder.Delete(recursive: true);
    }
}
