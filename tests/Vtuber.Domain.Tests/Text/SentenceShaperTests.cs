using Vtuber.Domain.Config;
using Vtuber.Domain.Text;

namespace Vtuber.Domain.Tests.Text;

public class SentenceShaperTests
{
    // The mao_pro emotionMap of the OLV template (olv-protocol.md 2.19).
    private static readonly Dictionary<string, Expression> MaoEmotions = new()
    {
        ["neutral"] = Expression.Of(0), ["anger"] = Expression.Of(2), ["disgust"] = Expression.Of(2),
        ["fear"] = Expression.Of(1), ["joy"] = Expression.Of(3), ["smirk"] = Expression.Of(3),
        ["sadness"] = Expression.Of(1), ["surprise"] = Expression.Of(3),
    };

    private static SentenceShaper Mao(bool faster = true) =>
        new(new ShaperOptions(faster, SegmentMethod.Pysbd, MaoEmotions, new TtsPreprocessorConfig(), "Mao", "mao.png"));

    [Fact]
    public void Olv_example_b_first_sentence_arrives_before_the_stream_ends()
    {
        var shaper = Mao();
        var beforeEnd = new List<SentenceOutput>();
        foreach (var token in new[] { "[", "joy", "]", " Hi", "!", " Nice", " to", " meet", " you", "." })
        {
            beforeEnd.AddRange(shaper.Push(token));
        }

        var atEnd = shaper.Complete();

        var first = Assert.Single(beforeEnd);
        Assert.Equal(new DisplayText("[joy] Hi!", "Mao", "mao.png"), first.Display);
        Assert.Equal("Hi!", first.TtsText);
        Assert.Equal([Expression.Of(3)], first.Actions.Expressions);

        var second = Assert.Single(atEnd);
        Assert.Equal(new DisplayText("Nice to meet you.", "Mao", "mao.png"), second.Display);
        Assert.Equal("Nice to meet you.", second.TtsText);
        Assert.Empty(second.Actions.Expressions);
    }

    [Fact]
    public void Olv_example_b_first_sentence_is_out_once_the_buffer_reads_hi_and_n()
    {
        var shaper = Mao();

        Assert.Empty(shaper.Push("[joy] Hi!"));
        var out1 = shaper.Push(" N");

        Assert.Equal("[joy] Hi!", Assert.Single(out1).Display.Text);
    }

    [Fact]
    public void Think_block_is_shown_in_parentheses_and_silent()
    {
        var shaper = Mao(faster: false);
        var outputs = shaper.Push("<think>The user, [joy] greets me.</think>Hello!").Concat(shaper.Complete()).ToList();

        Assert.Equal(["(", "The user, [joy] greets me.", ")", "Hello!"], outputs.Select(o => o.Display.Text));
        Assert.Equal(["", "", "", "Hello!"], outputs.Select(o => o.TtsText));
    }

    [Fact]
    public void Think_start_and_end_items_carry_no_expressions_but_think_text_does()
    {
        var shaper = Mao(faster: false);
        var outputs = shaper.Push("<think>[joy] yay.</think>Ok.").Concat(shaper.Complete()).ToList();

        Assert.Same(SentenceActions.None, outputs[0].Actions);
        Assert.Equal([Expression.Of(3)], outputs[1].Actions.Expressions);
        Assert.Same(SentenceActions.None, outputs[2].Actions);
    }

    [Fact]
    public void Self_closing_think_tag_is_an_empty_silent_thought()
    {
        var shaper = Mao(faster: false);
        var outputs = shaper.Push("<think/>Hi.").Concat(shaper.Complete()).ToList();

        Assert.Equal(["()", "Hi."], outputs.Select(o => o.Display.Text));
        Assert.Equal("", outputs[0].TtsText);
    }

    [Fact]
    public void Bare_emotion_tag_gives_an_expression_and_silent_tts()
    {
        var shaper = Mao();
        var output = Assert.Single(shaper.Push("[sadness]").Concat(shaper.Complete()));

        Assert.Equal("[sadness]", output.Display.Text);
        Assert.Equal([Expression.Of(1)], output.Actions.Expressions);
        Assert.True(SilentText.IsSilent(output.TtsText));
    }

    [Fact]
    public void Tts_text_follows_the_filter_config()
    {
        var keepAll = new TtsPreprocessorConfig
        {
            RemoveSpecialChar = false, IgnoreBrackets = false, IgnoreParentheses = false, IgnoreAsterisks = false,
            IgnoreAngleBrackets = false,
        };
        var shaper = new SentenceShaper(new ShaperOptions(false, SegmentMethod.Regex, MaoEmotions, keepAll, "Mao", "m.png"));

        var output = Assert.Single(shaper.Push("[joy] *waves* Hi 😀!").Concat(shaper.Complete()));

        Assert.Equal("[joy] *waves* Hi 😀!", output.TtsText);
        Assert.Equal([Expression.Of(3)], output.Actions.Expressions);
    }

    [Fact]
    public void Faster_first_response_reaches_the_shaper()
    {
        var shaper = Mao(faster: true);

        var output = Assert.Single(shaper.Push("[joy] Well, "));

        Assert.Equal("[joy] Well,", output.Display.Text);
        Assert.Equal("Well,", output.TtsText);
        Assert.Equal([Expression.Of(3)], output.Actions.Expressions);
    }

    [Fact]
    public void Complete_on_an_empty_stream_yields_nothing()
    {
        Assert.Empty(Mao().Complete());
    }
}
