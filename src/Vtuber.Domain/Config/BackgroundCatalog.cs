namespace Vtuber.Domain.Config;

/// <summary>background-files: the names (no paths) of every image under the backgrounds folder, recursively, as OLV.</summary>
public static class BackgroundCatalog
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".jpg", ".jpeg", ".png", ".gif",
    };

    public static IReadOnlyList<string> List(string backgroundsDir)
    {
        if (!Directory.Exists(backgroundsDir))
        {
            return [];
        }
        return Directory.EnumerateFiles(backgroundsDir, "*", SearchOption.AllDirectories)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
