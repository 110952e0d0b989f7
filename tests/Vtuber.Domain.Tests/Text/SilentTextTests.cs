using Vtuber.Domain.Text;

namespace Vtuber.Domain.Tests.Text;

public class SilentTextTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   \n\t")]
    [InlineData("...")]
    [InlineData("!?,.")]
    [InlineData("，。！？")]
    [InlineData("'\"』」）】")]
    [InlineData(" . ! ")]
    public void Whitespace_and_olv_punctuation_only_is_silent(string ttsText)
    {
        Assert.True(SilentText.IsSilent(ttsText));
    }

    [Theory]
    [InlineData("Hi")]
    [InlineData("a.")]
    [InlineData("…")]
    [InlineData("、")]
    [InlineData("-")]
    [InlineData("好")]
    public void Anything_else_is_spoken(string ttsText)
    {
        Assert.False(SilentText.IsSilent(ttsText));
    }
}
