using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Vtuber.Domain.Config;

/// <summary>conf.yaml on disk as text: read as the loader reads it, hashed, replaced atomically, shown masked.</summary>
public static partial class ConfigFile
{
    /// <summary>The suffix of the copy of the previous conf.yaml that <see cref="Replace"/> keeps.</summary>
    public const string BackupSuffix = ".bak";

    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    /// <summary>The text of a config file, decoded the way <see cref="ConfigLoader.Load"/> decodes it.</summary>
    public static string ReadText(string path) => ConfigText.Read(Path.GetFullPath(path));

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Utf8.GetBytes(text)));

    /// <summary>
    /// Replaces the file with <paramref name="text"/> (UTF-8, no BOM) atomically: written to a temporary file in
    /// the same folder and renamed over the old one, so a reader (the watcher, a crash) sees the old file or the
    /// new one, never half of one. The previous file is kept as path + <see cref="BackupSuffix"/> (one level).
    /// </summary>
    public static void Replace(string path, string text)
    {
        var target = Path.GetFullPath(path);
        var temporary = target + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Utf8.GetBytes(text));
            stream.Flush(flushToDisk: true); // on disk before the rename makes it the config
        }
        if (File.Exists(target))
        {
            File.Replace(temporary, target, target + BackupSuffix);
        }
        else
        {
            File.Move(temporary, target);
        }
    }

    /// <summary>
    /// The text with the values of secret keys (<see cref="ConfigSecrets.IsSecret"/>) replaced by the mask, line by
    /// line so comments and layout stay: for showing a version, never for writing it back.
    /// </summary>
    public static string MaskSecrets(string text) =>
        SecretLine().Replace(text, m => ConfigSecrets.IsSecret(m.Groups["key"].Value)
            ? $"{m.Groups["lead"].Value}'{ConfigSecrets.Mask}'"
            : m.Value);

    // "  api_key: value  # comment" (a value on the key's line; empty values and nested blocks are not secrets).
    [GeneratedRegex("""^(?<lead>[ \t]*(?:-[ \t]+)?["']?(?<key>[A-Za-z0-9_]+)["']?[ \t]*:[ \t]+)(?<value>[^\s#].*?)[ \t]*(?=\r?$)""",
        RegexOptions.Multiline)]
    private static partial Regex SecretLine();
}
