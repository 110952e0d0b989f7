namespace Vtuber.Domain.Config;

/// <summary>One choice in the frontend's character menu: a config file name and the name it shows.</summary>
public sealed record CharacterEntry(string FileName, string Name);

/// <summary>The config-files list: conf.yaml first, then every alternate character file under config_alts_dir.</summary>
public static class CharacterCatalog
{
    public static IReadOnlyList<CharacterEntry> List(VtuberConfig config)
    {
        var mainFile = Path.GetFileName(config.SourcePath);
        var entries = new List<CharacterEntry>
        {
            new(mainFile, config.Character.ConfName.Length > 0 ? config.Character.ConfName : mainFile),
        };
        if (!Directory.Exists(config.System.ConfigAltsDir)) return entries;

        foreach (var file in AlternateFiles(config.System.ConfigAltsDir))
        {
            if (string.Equals(file, config.SourcePath, StringComparison.Ordinal)) continue;
            var fileName = Path.GetFileName(file);
            entries.Add(new(fileName, ConfName(file) ?? fileName));
        }
        return entries;
    }

    /// <summary>The alternate with this bare file name (the first in menu order), or null.</summary>
    internal static string? FindAlternate(string folder, string fileName) =>
        fileName.Length == 0 || Path.GetFileName(fileName) != fileName || !Directory.Exists(folder)
            ? null
            : AlternateFiles(folder).FirstOrDefault(f => Path.GetFileName(f) == fileName);

    // Top-down like OLV's os.walk (a folder's files before its subfolders), but sorted so the menu is stable.
    private static IEnumerable<string> AlternateFiles(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            if (file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) ||
                file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                yield return file;
        foreach (var sub in Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal))
        foreach (var file in AlternateFiles(sub))
            yield return file;
    }

    // A broken alternate still appears under its file name, as in OLV; choosing it reports the actual error.
    private static string? ConfName(string file)
    {
        try
        {
            var text = ConfigText.SubstituteEnvironment(ConfigText.Read(file), null);
            var name = YamlSection.Parse(file, text).Section("character_config").String("conf_name");
            return string.IsNullOrEmpty(name) ? null : name;
        }
        catch (ConfigException)
        {
            return null;
        }
    }
}
