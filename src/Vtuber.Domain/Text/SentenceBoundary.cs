using System.Globalization;
using System.Text.RegularExpressions;

namespace Vtuber.Domain.Text;

/// <summary>
/// Finds where the first certainly finished sentence of a streaming buffer ends. "Certainly" matters: the buffer
/// grows one token at a time, so a boundary is only reported once the text after the end marks is known
/// (the run of marks may still grow into "...", a "." may turn out to be "3.14" or "Mr. Smith").
/// </summary>
internal static partial class SentenceBoundary
{
    private const string CjkEndMarks = "。！？";

    // pysbd's abbreviation knowledge, reduced to the ones LLM replies actually use. Lower case, no final dot.
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "etc", "inc", "ltd", "co", "corp", "rd", "mt",
        "ave", "approx", "dept", "fig", "gen", "gov", "sgt", "capt", "col", "lt", "rev", "hon", "ph.d",
        "jan", "feb", "aug", "sept", "oct", "nov", "dec",
    };

    /// <summary>Dotted letters: e.g. i.e. a.m. p.m. U.S. U.S.A.</summary>
    [GeneratedRegex(@"^(\p{L}\.){2,}$", RegexOptions.CultureInvariant)]
    private static partial Regex Initialism();

    private enum Verdict { End, NotEnd, Undecided }

    /// <summary>Index just past the first finished sentence in <paramref name="text"/>, or -1 if there is none yet.</summary>
    public static int FindEnd(string text, SegmentMethod method)
    {
        for (var start = 0; start < text.Length; start++)
        {
            if (!IsEndMark(text[start]))
            {
                continue;
            }

            var marksEnd = start;
            while (marksEnd < text.Length && IsEndMark(text[marksEnd]))
            {
                marksEnd++;
            }

            // Closing quotes and brackets belong to the sentence they close: 「你好。」 "Hi!"
            var runEnd = marksEnd;
            while (runEnd < text.Length && IsCloser(text[runEnd]))
            {
                runEnd++;
            }

            if (runEnd == text.Length)
            {
                return -1;
            }

            var verdict = method == SegmentMethod.Regex
                ? Verdict.End
                : JudgeLikePysbd(text, start, marksEnd, runEnd);
            switch (verdict)
            {
                case Verdict.End:
                    return runEnd;
                case Verdict.Undecided:
                    return -1;
                default:
                    start = runEnd - 1;
                    break;
            }
        }

        return -1;
    }

    public static bool IsEndMark(char c) => c is '.' or '!' or '?' or '…' or '。' or '！' or '？';

    private static bool IsCloser(char c) =>
        c is '"' or '\''
        || char.GetUnicodeCategory(c) is UnicodeCategory.ClosePunctuation or UnicodeCategory.FinalQuotePunctuation;

    private static Verdict JudgeLikePysbd(string text, int start, int marksEnd, int runEnd)
    {
        var marks = text.AsSpan(start, marksEnd - start);
        if (marks.IndexOfAny(CjkEndMarks) >= 0)
        {
            return Verdict.End;
        }

        // Western marks end a sentence only before a space (or CJK text): "3.14", "Hi!Nice", "example.com".
        var next = text.AsSpan(runEnd);
        if (!char.IsWhiteSpace(next[0]) && !CjkScript.StartsWithCjk(next))
        {
            return Verdict.NotEnd;
        }

        if (IsEllipsis(marks))
        {
            // "Well... maybe" goes on; "Well... Maybe" is a new sentence. Wait until the next word shows.
            var nextWord = next.TrimStart();
            if (nextWord.IsEmpty)
            {
                return Verdict.Undecided;
            }

            return char.IsLower(nextWord[0]) ? Verdict.NotEnd : Verdict.End;
        }

        return marks is "." && EndsWithAbbreviation(text, start) ? Verdict.NotEnd : Verdict.End;
    }

    private static bool IsEllipsis(ReadOnlySpan<char> marks) =>
        !marks.ContainsAny('!', '?') && (marks.Length >= 2 || marks[0] == '…');

    /// <summary>Whether the word ending with the "." at <paramref name="dot"/> is an abbreviation, initial or list number.</summary>
    private static bool EndsWithAbbreviation(string text, int dot)
    {
        var wordStart = dot;
        while (wordStart > 0 && !char.IsWhiteSpace(text[wordStart - 1]))
        {
            wordStart--;
        }

        var atLineStart = wordStart == 0 || text[wordStart - 1] == '\n';
        while (wordStart < dot && IsOpener(text[wordStart]))
        {
            wordStart++;
        }

        var word = text.AsSpan(wordStart, dot + 1 - wordStart);
        var stem = word[..^1];
        if (stem.IsEmpty)
        {
            return false;
        }

        if (stem.Length == 1 && char.IsUpper(stem[0]))
        {
            return true; // an initial: "J. K. Rowling"
        }

        if (atLineStart && IsAllDigits(stem))
        {
            return true; // a numbered list item: "1. Drink water."
        }

        return Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(stem) || Initialism().IsMatch(word);
    }

    private static bool IsOpener(char c) =>
        c is '"' or '\''
        || char.GetUnicodeCategory(c) is UnicodeCategory.OpenPunctuation or UnicodeCategory.InitialQuotePunctuation;

    private static bool IsAllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
