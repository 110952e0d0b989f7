using Vtuber.Domain.Config;
using Vtuber.Domain.Text;

namespace Vtuber.Domain.Tests.Text;

public class TtsTextFilterTests
{
    private static readonly TtsPreprocessorConfig Off = new()
    {
        RemoveSpecialChar = false, IgnoreBrackets = false, IgnoreParentheses = false, IgnoreAsterisks = false,
        IgnoreAngleBrackets = false,
    };

    private static string Filter(TtsPreprocessorConfig config, string text) => new TtsTextFilter(config).Filter(text);

    [Fact]
    public void All_switches_off_leave_the_text_alone()
    {
        Assert.Equal(" [a] (b) <c> *d* 😀  e ", Filter(Off, " [a] (b) <c> *d* 😀  e "));
    }

    [Theory]
    [InlineData("Hi *waves* there", "Hi there")]
    [InlineData("Hi **bold** there", "Hi there")]
    [InlineData("Hi ***very*** there *", "Hi there")]
    [InlineData("a * b", "a b")]
    public void Ignore_asterisks_removes_starred_spans_and_stray_stars(string text, string expected)
    {
        Assert.Equal(expected, Filter(Off with { IgnoreAsterisks = true }, text));
    }

    [Theory]
    [InlineData("[joy] Hi!", "Hi!")]
    [InlineData("a [b [c] d] e", "a e")]
    [InlineData("a ] b", "a b")]
    public void Ignore_brackets_removes_square_bracket_spans_nested_included(string text, string expected)
    {
        Assert.Equal(expected, Filter(Off with { IgnoreBrackets = true }, text));
    }

    [Fact]
    public void Ignore_parentheses_removes_round_bracket_spans_nested_included()
    {
        Assert.Equal("Hi there.", Filter(Off with { IgnoreParentheses = true }, "Hi (quietly (very)) there."));
        Assert.Equal("[joy] Hi", Filter(Off with { IgnoreParentheses = true }, "[joy] Hi (x)"));
    }

    [Fact]
    public void Ignore_angle_brackets_removes_angle_bracket_spans_nested_included()
    {
        Assert.Equal("Hi there", Filter(Off with { IgnoreAngleBrackets = true }, "Hi <b<i>>there"));
    }

    [Fact]
    public void Span_removal_collapses_whitespace_and_trims()
    {
        Assert.Equal("a b c", Filter(Off with { IgnoreBrackets = true }, "  a \n\t [x]  b   c  "));
    }

    [Fact]
    public void Remove_special_char_drops_emoji_and_symbols_but_keeps_letters_numbers_punctuation()
    {
        // Nothing is collapsed afterwards (as in OLV), so the removed "♥" leaves two spaces.
        Assert.Equal("Hi ! 3  你好。 café", Filter(Off with { RemoveSpecialChar = true }, "Hi 😀👍🏽! 3 ♥ 你好。 café"));
    }

    [Fact]
    public void Remove_special_char_normalises_nfkc_first()
    {
        // Full-width letters and the "ﬁ" ligature are compatibility forms: NFKC turns them into plain letters.
        Assert.Equal("ABC fine", Filter(Off with { RemoveSpecialChar = true }, "ＡＢＣ ﬁne"));
    }

    [Fact]
    public void Remove_special_char_alone_does_not_collapse_whitespace()
    {
        Assert.Equal("a  b ", Filter(Off with { RemoveSpecialChar = true }, "a  b ★"));
    }

    [Fact]
    public void Defaults_strip_tags_actions_and_emoji()
    {
        // The emoji goes after the whitespace clean-up, so its space stays, as in OLV.
        Assert.Equal(
            "Hi! Nice. ",
            Filter(new TtsPreprocessorConfig(), "[joy] *smiles* Hi! (aside) <break/> Nice. 😀"));
    }
}
