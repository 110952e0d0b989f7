using System.Buffers;
using System.Text;

namespace Vtuber.Domain.Text;

/// <summary>Scripts written without spaces between words or sentences (Chinese, Japanese), plus their punctuation.</summary>
internal static class CjkScript
{
    public static bool IsCjk(Rune rune) => rune.Value is
        (>= 0x3000 and <= 0x303F)      // CJK symbols and punctuation: 。、「」
        or (>= 0x3040 and <= 0x30FF)   // hiragana, katakana
        or (>= 0x3400 and <= 0x4DBF)   // ideographs, extension A
        or (>= 0x4E00 and <= 0x9FFF)   // unified ideographs
        or (>= 0xF900 and <= 0xFAFF)   // compatibility ideographs
        or (>= 0xFF00 and <= 0xFFEF)   // full-width forms: ！？，（）
        or (>= 0x20000 and <= 0x3FFFF); // ideographs, extensions B and later

    public static bool StartsWithCjk(ReadOnlySpan<char> text) =>
        Rune.DecodeFromUtf16(text, out var rune, out _) == OperationStatus.Done && IsCjk(rune);

    public static bool EndsWithCjk(ReadOnlySpan<char> text) =>
        Rune.DecodeLastFromUtf16(text, out var rune, out _) == OperationStatus.Done && IsCjk(rune);
}
