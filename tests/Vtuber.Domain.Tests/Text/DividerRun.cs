using Vtuber.Domain.Text;

namespace Vtuber.Domain.Tests.Text;

/// <summary>Feeds text to a fresh divider in tokens of a given size and records what came out, and when.</summary>
internal static class DividerRun
{
    public static List<SentenceWithTags> Items(
        string text, SegmentMethod method = SegmentMethod.Pysbd, bool faster = false, int tokenSize = int.MaxValue)
    {
        var divider = new SentenceDivider(faster, method);
        var items = new List<SentenceWithTags>();
        foreach (var token in Tokens(text, tokenSize))
        {
            items.AddRange(divider.Push(token));
        }

        items.AddRange(divider.Complete());
        return items;
    }

    public static List<string> Texts(
        string text, SegmentMethod method = SegmentMethod.Pysbd, bool faster = false, int tokenSize = int.MaxValue) =>
        Items(text, method, faster, tokenSize).Select(item => item.Text).ToList();

    /// <summary>Sentences finished by Push alone, before the stream is completed.</summary>
    public static List<string> BeforeComplete(string text, SegmentMethod method = SegmentMethod.Pysbd, bool faster = false)
    {
        var divider = new SentenceDivider(faster, method);
        return divider.Push(text).Select(item => item.Text).ToList();
    }

    public static IEnumerable<string> Tokens(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
