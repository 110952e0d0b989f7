using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Vtuber.Domain.Config;

namespace Vtuber.Domain.Text;

/// <summary>
/// OLV's tts_filter (utils/tts_preprocessor.py): turns a display sentence into what the TTS engine should say.
/// The display text itself is never changed.
/// </summary>
public sealed partial class TtsTextFilter(TtsPreprocessorConfig config)
{
    // *action*, **bold**, ***...***: a run of asterisks, the shortest text without an asterisk, another run.
    [GeneratedRegex(@"\*+((?!\*).)*?\*+")]
    private static partial Regex AsteriskSpan();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    public string Filter(string text)
    {
        var removedSpans = config.IgnoreAsterisks || config.IgnoreBrackets || config.IgnoreParentheses ||
                           config.IgnoreAngleBrackets;
        if (config.IgnoreAsterisks)
        {
            text = AsteriskSpan().Replace(text, "").Replace("*", "", StringComparison.Ordinal);
        }

        if (config.IgnoreBrackets)
        {
            text = RemoveNested(text, '[', ']');
        }

        if (config.IgnoreParentheses)
        {
            text = RemoveNested(text, '(', ')');
        }

        if (config.IgnoreAngleBrackets)
        {
            text = RemoveNested(text, '<', '>');
        }

        if (removedSpans)
        {
            text = Whitespace().Replace(text, " ").Trim();
        }

        return config.RemoveSpecialChar ? KeepLettersNumbersPunctuation(text) : text;
    }

    /// <summary>Drops everything between <paramref name="open"/> and its matching close, nesting included; a stray close goes too.</summary>
    private static string RemoveNested(string text, char open, char close)
    {
        var kept = new StringBuilder(text.Length);
        var depth = 0;
        foreach (var c in text)
        {
            if (c == open)
            {
                depth++;
            }
            else if (c == close)
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }

    /// <summary>NFKC, then only letters, numbers, punctuation and whitespace survive: emoji and symbols go.</summary>
    private static string KeepLettersNumbersPunctuation(string text)
    {
        var kept = new StringBuilder(text.Length);
        foreach (var rune in text.Normalize(NormalizationForm.FormKC).EnumerateRunes())
        {
            var keep = Rune.IsWhiteSpace(rune) || Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                    or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
                UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
                UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
                    or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
                    or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
                    or UnicodeCategory.OtherPunctuation => true,
                _ => false,
            };
            if (keep)
            {
                kept.Append(rune);
            }
        }

        return kept.ToString();
    }
}
