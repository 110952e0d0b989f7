using System.Text;

namespace Vtuber.Domain.Tests.Config;

/// <summary>A throw-away folder for config files; deleted with everything in it.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } =
        Directory.CreateDirectory(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vtuber-config-" + Guid.NewGuid().ToString("N"))).FullName;

    public string Write(string relativePath, string text) => Write(relativePath, new UTF8Encoding(false).GetBytes(text));

    public string Write(string relativePath, byte[] bytes)
    {
        var file = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, bytes);
        return file;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
