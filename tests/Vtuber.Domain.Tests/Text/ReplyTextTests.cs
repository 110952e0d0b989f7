using Vtuber.Domain.Text;

namespace Vtuber.Domain.Tests.Text;

public class ReplyTextTests
{
    [Fact]
    public void Sentences_are_joined_with_one_space()
    {
        Assert.Equal("[joy] Hi! Nice to meet you.", ReplyText.JoinForHistory(["[joy] Hi!", "Nice to meet you."]));
    }

    [Fact]
    public void Chinese_sentences_are_joined_without_space()
    {
        Assert.Equal("你好。今天很好！", ReplyText.JoinForHistory(["你好。", "今天很好！"]));
    }

    [Fact]
    public void Chinese_and_latin_text_are_separated_by_a_space()
    {
        Assert.Equal("你好。 Hello.", ReplyText.JoinForHistory(["你好。", "Hello."]));
    }

    [Fact]
    public void Empty_texts_add_no_space()
    {
        Assert.Equal("Hi! Bye.", ReplyText.JoinForHistory(["", "Hi!", "", "Bye.", ""]));
        Assert.Equal("", ReplyText.JoinForHistory([]));
    }

    [Fact]
    public void Think_parentheses_hug_their_text()
    {
        Assert.Equal(
            "(Let me see. Ok.) Hello!",
            ReplyText.JoinForHistory(["(", "Let me see.", "Ok.", ")", "Hello!"]));
    }

    [Fact]
    public void Japanese_kana_are_joined_without_space()
    {
        Assert.Equal("こんにちは。げんき？", ReplyText.JoinForHistory(["こんにちは。", "げんき？"]));
    }
}
