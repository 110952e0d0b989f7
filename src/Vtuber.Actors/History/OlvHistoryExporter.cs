namespace Vtuber.Actors.History;

/// <summary>One written file of an export, relative to the output folder, with its record count.</summary>
public sealed record ExportedFile(string Path, int Records);

/// <summary>
/// Writes every history of every character in OLV's layout, OUT/&lt;conf_uid&gt;/&lt;history_uid&gt;.json, so the
/// folder can be dropped in as OLV's chat_history/. Existing files of the same name are replaced.
/// </summary>
public static class OlvHistoryExporter
{
    public static async Task<IReadOnlyList<ExportedFile>> ExportAsync(ChatHistoryReader reader, string outDir,
        CancellationToken cancellationToken = default)
    {
        var written = new List<ExportedFile>();
        foreach (var history in (await reader.ReadAllAsync())
                     .OrderBy(h => h.ConfUid, StringComparer.Ordinal).ThenBy(h => h.HistoryUid, StringComparer.Ordinal))
        {
            var relative = Path.Combine(history.ConfUid, history.HistoryUid + ".json");
            var path = Path.Combine(outDir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, Domain.History.OlvHistoryFile.Write(history), cancellationToken);
            written.Add(new ExportedFile(relative, history.Records.Count));
        }
        return written;
    }
}
