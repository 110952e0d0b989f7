namespace Vtuber.Server.Hosting;

/// <summary>An exception that stopped start-up, told in one line: its message and the messages of its causes.</summary>
public static class StartupError
{
    public static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (Exception? cause = e; cause is not null && parts.Count < 4; cause = cause.InnerException)
        {
            var message = cause.Message.ReplaceLineEndings(" ").Trim();
            if (parts.Count == 0 || !parts[^1].Contains(message, StringComparison.Ordinal)) parts.Add(message);
        }
        return string.Join(": ", parts) + $" ({e.GetType().Name})";
    }
}
