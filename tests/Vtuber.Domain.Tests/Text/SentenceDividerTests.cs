using Vtuber.Domain.Text;

namespace Vtuber.Domain.Tests.Text;

public class SentenceDividerTests
{
    [Fact]
    public void Exclamation_followed_by_space_finishes_a_sentence_before_the_stream_ends()
    {
        Assert.Equal(["Hi!"], DividerRun.BeforeComplete("Hi! N"));
    }

    [Fact]
    public void Last_sentence_waits_for_the_end_of_stream()
    {
        Assert.Equal(["Hi!"], DividerRun.BeforeComplete("Hi! Nice to meet you."));
        Assert.Equal(["Hi!", "Nice to meet you."], DividerRun.Texts("Hi! Nice to meet you."));
    }

    [Fact]
    public void Text_without_end_marks_is_flushed_as_one_segment_at_the_end()
    {
        Assert.Empty(DividerRun.BeforeComplete("just some words with no end"));
        Assert.Equal(["just some words with no end"], DividerRun.Texts("just some words with no end"));
    }

    [Fact]
    public void Segments_are_trimmed_and_blank_ones_dropped()
    {
        Assert.Equal(["One.", "Two."], DividerRun.Texts("  One.   \n  Two.  \n  "));
        Assert.Empty(DividerRun.Texts("   \n "));
    }

    [Theory]
    [InlineData("Mr. Smith met Dr. Jones at St. Mary's. Then they left.", "Mr. Smith met Dr. Jones at St. Mary's.")]
    [InlineData("Use tools, e.g. a hammer, i.e. the big one. Then stop.", "Use tools, e.g. a hammer, i.e. the big one.")]
    [InlineData("We met at 5 p.m. and left at 7 a.m. the next day. Fine.", "We met at 5 p.m. and left at 7 a.m. the next day.")]
    [InlineData("Apples vs. oranges, pears etc. are fruit. Yes.", "Apples vs. oranges, pears etc. are fruit.")]
    [InlineData("He moved to the U.S. last year. Good.", "He moved to the U.S. last year.")]
    [InlineData("Prof. Mrs. Ms. Jr. and Sr. are titles. Ok.", "Prof. Mrs. Ms. Jr. and Sr. are titles.")]
    public void Pysbd_does_not_split_after_abbreviations(string text, string first)
    {
        Assert.Equal(first, DividerRun.Texts(text)[0]);
        Assert.Equal(2, DividerRun.Texts(text).Count);
    }

    [Fact]
    public void Pysbd_does_not_split_after_single_initials()
    {
        Assert.Equal(["J. K. Rowling wrote it.", "Yes."], DividerRun.Texts("J. K. Rowling wrote it. Yes."));
    }

    [Fact]
    public void Pysbd_does_not_split_inside_decimal_numbers()
    {
        Assert.Equal(["Pi is 3.14 roughly.", "Nice."], DividerRun.Texts("Pi is 3.14 roughly. Nice."));
    }

    [Fact]
    public void A_period_streamed_before_its_decimals_is_not_a_sentence_end()
    {
        Assert.Empty(DividerRun.BeforeComplete("It costs 3."));
        Assert.Equal(["It costs 3.50 today."], DividerRun.Texts("It costs 3.50 today.", tokenSize: 1));
    }

    [Fact]
    public void Ellipsis_is_one_end_mark()
    {
        Assert.Equal(["Wait...", "What?"], DividerRun.Texts("Wait... What?", tokenSize: 1));
    }

    [Fact]
    public void Ellipsis_followed_by_a_lower_case_word_continues_the_sentence()
    {
        Assert.Equal(["Well... maybe not.", "Ok."], DividerRun.Texts("Well... maybe not. Ok.", tokenSize: 1));
    }

    [Fact]
    public void Ellipsis_waits_for_the_next_word_to_decide()
    {
        Assert.Empty(DividerRun.BeforeComplete("Well... "));
        Assert.Equal(["Well..."], DividerRun.BeforeComplete("Well... So"));
    }

    [Fact]
    public void Mixed_end_marks_stay_together()
    {
        Assert.Equal(["Really?!", "Yes!!"], DividerRun.Texts("Really?! Yes!!", tokenSize: 1));
    }

    [Fact]
    public void Closing_quotes_stay_with_their_sentence()
    {
        Assert.Equal(["She said \"Hi.\"", "Then left."], DividerRun.Texts("She said \"Hi.\" Then left."));
    }

    [Fact]
    public void Numbered_list_markers_at_line_start_do_not_end_a_sentence()
    {
        Assert.Equal(
            ["Tips:\n1. Drink water.", "2. Sleep."],
            DividerRun.Texts("Tips:\n1. Drink water.\n2. Sleep.", tokenSize: 1));
    }

    [Fact]
    public void Western_marks_without_following_space_do_not_split_in_pysbd_mode()
    {
        Assert.Equal(["Hi!Nice.", "Ok."], DividerRun.Texts("Hi!Nice. Ok."));
    }

    [Fact]
    public void Regex_mode_cuts_after_every_end_mark_run()
    {
        Assert.Equal(
            ["Hi!", "Nice.", "Mr.", "Smith is 3.", "14 m tall."],
            DividerRun.Texts("Hi!Nice. Mr. Smith is 3.14 m tall.", SegmentMethod.Regex));
    }

    [Fact]
    public void Regex_mode_keeps_an_ellipsis_whole()
    {
        Assert.Equal(["Wait...", "ok"], DividerRun.Texts("Wait...ok", SegmentMethod.Regex, tokenSize: 1));
    }

    [Theory]
    [InlineData(SegmentMethod.Pysbd)]
    [InlineData(SegmentMethod.Regex)]
    public void Chinese_end_marks_split_without_a_following_space(SegmentMethod method)
    {
        Assert.Equal(["你好。", "今天天气很好！", "你呢？"], DividerRun.Texts("你好。今天天气很好！你呢？", method));
    }

    [Fact]
    public void Chinese_sentence_is_emitted_as_soon_as_the_next_character_arrives()
    {
        Assert.Equal(["你好。"], DividerRun.BeforeComplete("你好。今"));
        Assert.Empty(DividerRun.BeforeComplete("你好。"));
    }

    [Fact]
    public void Chinese_closing_quote_stays_with_its_sentence()
    {
        Assert.Equal(["他说：「你好。」", "然后走了。"], DividerRun.Texts("他说：「你好。」然后走了。"));
    }

    [Fact]
    public void Faster_first_response_cuts_the_first_sentence_at_a_comma()
    {
        Assert.Equal(
            ["Well,", "I think this is fine, really.", "Yes, sure."],
            DividerRun.Texts("Well, I think this is fine, really. Yes, sure.", faster: true));
    }

    [Fact]
    public void Faster_first_response_cut_happens_as_the_comma_arrives()
    {
        Assert.Equal(["Well,"], DividerRun.BeforeComplete("Well,", faster: true));
    }

    [Fact]
    public void Without_faster_first_response_commas_do_not_cut()
    {
        Assert.Equal(["Well, I think so."], DividerRun.Texts("Well, I think so.", faster: false));
    }

    [Fact]
    public void Faster_first_response_cuts_at_the_first_comma_of_any_type()
    {
        Assert.Equal(["我、", "你,他。"], DividerRun.Texts("我、你,他。", faster: true));
    }

    [Fact]
    public void Faster_first_response_handles_chinese_commas()
    {
        Assert.Equal(["好的，", "我明白了。"], DividerRun.Texts("好的，我明白了。", faster: true, tokenSize: 1));
    }

    [Fact]
    public void Faster_first_response_applies_only_before_the_first_sentence()
    {
        Assert.Equal(["Hi.", "Well, ok."], DividerRun.Texts("Hi. Well, ok.", faster: true, tokenSize: 1));
    }

    [Fact]
    public void Think_tags_become_their_own_items_and_mark_the_text_inside()
    {
        var items = DividerRun.Items("<think>Let me see. Hmm</think>Hello there.");

        Assert.Equal(["<think>", "Let me see.", "Hmm", "</think>", "Hello there."], items.Select(i => i.Text));
        Assert.Equal(new TagInfo("think", TagState.Start), Assert.Single(items[0].Tags));
        Assert.Equal(new TagInfo("think", TagState.Inside), Assert.Single(items[1].Tags));
        Assert.Equal(new TagInfo("think", TagState.Inside), Assert.Single(items[2].Tags));
        Assert.Equal(new TagInfo("think", TagState.End), Assert.Single(items[3].Tags));
        Assert.Empty(items[4].Tags);
    }

    [Fact]
    public void Text_before_a_tag_is_emitted_without_punctuation()
    {
        var divider = new SentenceDivider(false, SegmentMethod.Pysbd);

        var items = divider.Push("Sure<think>");

        Assert.Equal(["Sure", "<think>"], items.Select(i => i.Text));
        Assert.Empty(items[0].Tags);
    }

    [Fact]
    public void Self_closing_think_tag_is_an_item_and_opens_nothing()
    {
        var items = DividerRun.Items("Hi.<think/>Bye.");

        Assert.Equal(["Hi.", "<think/>", "Bye."], items.Select(i => i.Text));
        Assert.Equal(TagState.SelfClosing, Assert.Single(items[1].Tags).State);
        Assert.Empty(items[2].Tags);
    }

    [Fact]
    public void Tag_split_across_tokens_is_not_emitted_as_text()
    {
        var divider = new SentenceDivider(false, SegmentMethod.Pysbd);

        var first = divider.Push("Ok. <thi");
        var second = divider.Push("nk>hmm</th");
        var third = divider.Push("ink>Done.");
        var last = divider.Complete();

        Assert.Equal(["Ok."], first.Select(i => i.Text));
        Assert.Equal(["<think>"], second.Select(i => i.Text));
        Assert.Equal(["hmm", "</think>"], third.Select(i => i.Text));
        Assert.Equal(["Done."], last.Select(i => i.Text));
        Assert.Equal(TagState.Inside, Assert.Single(third[0].Tags).State);
    }

    [Fact]
    public void Unfinished_tag_at_end_of_stream_is_plain_text()
    {
        var items = DividerRun.Items("Hi <thi");

        Assert.Equal("Hi <thi", Assert.Single(items).Text);
        Assert.Empty(items[0].Tags);
    }

    [Fact]
    public void Stray_closing_tag_does_not_break_later_text()
    {
        var items = DividerRun.Items("A.</think>B.");

        Assert.Equal(["A.", "</think>", "B."], items.Select(i => i.Text));
        Assert.Empty(items[2].Tags);
    }

    [Fact]
    public void Think_text_does_not_use_up_the_faster_first_response_cut()
    {
        Assert.Equal(
            ["<think>", "Hmm, the user says hi.", "</think>", "Hello,", "nice to see you."],
            DividerRun.Texts("<think>Hmm, the user says hi.</think>Hello, nice to see you.", faster: true));
    }

    public static TheoryData<string, SegmentMethod, bool> ChunkingCases => new()
    {
        { "[joy] Hi! Nice to meet you. Mr. Smith paid 3.14 dollars... Really? Yes.", SegmentMethod.Pysbd, true },
        { "[joy] Hi! Nice to meet you. Mr. Smith paid 3.14 dollars... Really? Yes.", SegmentMethod.Regex, false },
        { "<think>Okay, the user greets me. I reply.</think>Hello, friend! How are you?", SegmentMethod.Pysbd, true },
        { "你好，我是小助手。今天天气很好！你呢？<think/>嗯……我想想。", SegmentMethod.Pysbd, true },
        { "Tips:\n1. Drink water.\n2. Sleep well...\nDone!", SegmentMethod.Pysbd, false },
        { "Smile 😀! Emoji 👍🏽 ok. 𠀋字。", SegmentMethod.Pysbd, false },
    };

    [Theory]
    [MemberData(nameof(ChunkingCases))]
    public void Token_size_does_not_change_the_sentences(string text, SegmentMethod method, bool faster)
    {
        var whole = DividerRun.Items(text, method, faster);

        foreach (var size in new[] { 1, 2, 3, 5, 7 })
        {
            var chunked = DividerRun.Items(text, method, faster, size);
            Assert.Equal(whole.Select(Describe), chunked.Select(Describe));
        }

        Assert.True(whole.Count > 2);
    }

    private static string Describe(SentenceWithTags item) =>
        item.Text + " | " + string.Join(",", item.Tags.Select(tag => $"{tag.Name}:{tag.State}"));
}
