using Vtuber.Domain.Text;

namespace Vtuber.Domain.Tests.Text;

public class ExpressionExtractorTests
{
    private static readonly ExpressionExtractor Extractor = new(new Dictionary<string, Expression>
    {
        ["joy"] = Expression.Of(3), ["sadness"] = Expression.Of(1), ["smirk"] = Expression.Of("Smirk"),
    });

    [Fact]
    public void Tags_map_in_order_of_appearance_with_duplicates()
    {
        Assert.Equal(
            [Expression.Of(1), Expression.Of(3), Expression.Of(1)],
            Extractor.Extract("[sadness] oh. [joy] yay! [sadness] hm."));
    }

    [Fact]
    public void Matching_ignores_case()
    {
        Assert.Equal([Expression.Of(3), Expression.Of("Smirk")], Extractor.Extract("[JOY] and [Smirk]"));
    }

    [Fact]
    public void Keys_given_in_upper_case_are_lower_cased_like_olv()
    {
        var extractor = new ExpressionExtractor(new Dictionary<string, Expression> { ["Joy"] = Expression.Of(7) });

        Assert.Equal([Expression.Of(7)], extractor.Extract("[joy]"));
    }

    [Theory]
    [InlineData("joy without brackets")]
    [InlineData("[ joy ] spaced")]
    [InlineData("[joyful] longer word")]
    [InlineData("[unknown] tag")]
    [InlineData("[joy")]
    public void Only_the_exact_bracket_form_of_a_known_key_matches(string sentence)
    {
        Assert.Empty(Extractor.Extract(sentence));
    }

    [Fact]
    public void Nested_opening_bracket_still_finds_the_tag()
    {
        Assert.Equal([Expression.Of(3)], Extractor.Extract("[[joy]]"));
    }
}
