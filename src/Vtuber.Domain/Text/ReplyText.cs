using System.Globalization;
using System.Text;

namespace Vtuber.Domain.Text;

/// <summary>The stored "ai" history content of a reply, built from its sentences' display texts.</summary>
public static class ReplyText
{
    /// <summary>
    /// OLV joins with nothing ("[joy] Hi!Nice to meet you."); we put one space between sentences so the history
    /// reads as written. No space where both sides are CJK (that script has none), inside the "(" ... ")" of a
    /// think block, or next to an empty text.
    /// </summary>
    public static string JoinForHistory(IEnumerable<string> displayTexts)
    {
        var joined = new StringBuilder();
        string? previous = null;
        foreach (var text in displayTexts)
        {
            if (text.Length == 0)
            {
                continue;
            }

            if (previous is not null && NeedsSpace(previous, text))
            {
                joined.Append(' ');
            }

            joined.Append(text);
            previous = text;
        }

        return joined.ToString();
    }

    private static bool NeedsSpace(string before, string after)
    {
        if (char.IsWhiteSpace(before[^1]) || char.IsWhiteSpace(after[0]))
        {
            return false;
        }

        if (char.GetUnicodeCategory(before[^1]) == UnicodeCategory.OpenPunctuation ||
            char.GetUnicodeCategory(after[0]) == UnicodeCategory.ClosePunctuation)
        {
            return false;
        }

        return !(CjkScript.EndsWithCjk(before) && CjkScript.StartsWithCjk(after));
    }
}
