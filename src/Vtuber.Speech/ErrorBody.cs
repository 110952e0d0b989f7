namespace Vtuber.Speech;

/// <summary>The start of an upstream's error body, as quoted in an error frame or log line (bodies can be pages long).</summary>
internal static class ErrorBody
{
    private const int SnippetLength = 300;

    public static string Snippet(string body) =>
        body.Length <= SnippetLength ? body : body[..SnippetLength] + "…";

    public static string Snippet(byte[] body) =>
        Snippet(System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, SnippetLength * 4)));
}
