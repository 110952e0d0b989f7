using Akka.Actor;
using Vtuber.Domain.History;

namespace Vtuber.Actors.History;

/// <summary>What happened to one file of an import; Path is relative to the imported chat_history folder.</summary>
public sealed record ImportedFile(string Path, ImportOutcome Outcome, string? Reason);

public sealed record ImportReport(IReadOnlyList<ImportedFile> Files)
{
    public int Count(ImportOutcome outcome) => Files.Count(f => f.Outcome == outcome);

    /// <summary>Files that did not end up in the journal as they are: invalid, refused by the journal, or in conflict.</summary>
    public IReadOnlyList<ImportedFile> Failures =>
        Files.Where(f => f.Outcome is ImportOutcome.Invalid or ImportOutcome.WriteFailed or ImportOutcome.Conflict).ToList();
}

/// <summary>
/// Imports an OLV chat_history/ folder (chat_history/&lt;conf_uid&gt;/&lt;history_uid&gt;.json) through the
/// <see cref="ChatHistories"/> façade. Every file is read and validated whole before anything is sent, and is
/// written as one batch by its history actor, so a history is imported whole or not at all. Idempotent: the history
/// actor skips a file whose records it already holds.
/// </summary>
public static class OlvHistoryImporter
{
    // Files are independent; a few in flight keep the journal's write batches full without flooding the façade.
    private const int FilesInFlight = 8;

    /// <param name="progress">Told of each file as it is done, with how many are done and how many there are in all
    /// (one call at a time, in the order of the count).</param>
    public static async Task<ImportReport> ImportAsync(string chatHistoryDir, IActorRef histories, TimeSpan writeTimeout,
        Action<ImportedFile, int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(chatHistoryDir))
        {
            throw new DirectoryNotFoundException($"no chat_history folder at {chatHistoryDir}");
        }
        var files = HistoryFiles(chatHistoryDir);
        var results = new ImportedFile[files.Count];
        var done = 0;
        var reporting = new Lock(); // counts and reports together, so the counts come out in order
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count),
            new ParallelOptions { MaxDegreeOfParallelism = FilesInFlight, CancellationToken = cancellationToken },
            async (i, _) =>
            {
                results[i] = await ImportFileAsync(chatHistoryDir, files[i], histories, writeTimeout);
                lock (reporting)
                {
                    progress?.Invoke(results[i], ++done, files.Count);
                }
            });
        return new ImportReport(results);
    }

    // OLV lists *.json in each conf_uid folder; other files and deeper folders are not histories. A .json at the
    // top level belongs to no character, so it is reported rather than silently left behind.
    private static List<string> HistoryFiles(string root) =>
        Directory.EnumerateFiles(root, "*.json")
            .Concat(Directory.EnumerateDirectories(root).SelectMany(dir => Directory.EnumerateFiles(dir, "*.json")))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static async Task<ImportedFile> ImportFileAsync(string root, string path, IActorRef histories, TimeSpan timeout)
    {
        var relative = Path.GetRelativePath(root, path);
        var folder = Path.GetDirectoryName(relative);
        if (string.IsNullOrEmpty(folder))
        {
            return new ImportedFile(relative, ImportOutcome.Invalid, "not inside a conf_uid folder");
        }
        string json;
        try
        {
            json = OlvHistoryFile.ReadText(await File.ReadAllBytesAsync(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
        {
            return new ImportedFile(relative, ImportOutcome.Invalid, $"cannot read: {e.Message}");
        }
        var parsed = OlvHistoryFile.Parse(folder, Path.GetFileNameWithoutExtension(path), json);
        if (parsed.History is null)
        {
            return new ImportedFile(relative, ImportOutcome.Invalid, parsed.Error);
        }
        try
        {
            return await histories.Ask<object>(new ImportHistory(parsed.History), timeout) switch
            {
                HistoryImported imported => new ImportedFile(relative, imported.Outcome, imported.Reason),
                HistoryWriteFailed failed => new ImportedFile(relative, ImportOutcome.WriteFailed, failed.Reason),
                var other => throw new InvalidOperationException($"unexpected reply {other}"),
            };
        }
        catch (AskTimeoutException)
        {
            // A late write may still land; the next run then reports the file as already imported.
            return new ImportedFile(relative, ImportOutcome.WriteFailed, $"no answer from the journal within {timeout}");
        }
    }
}
