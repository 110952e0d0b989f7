using Vtuber.Agents.Context;

namespace Vtuber.Agents.Tests.Context;

public sealed class PromptTokenCounterTests
{
    [Fact]
    public void OpenAI_models_are_counted_with_their_tiktoken_encoding()
    {
        // Reference counts from OpenAI's tiktoken: o200k_base (gpt-4o) and cl100k_base (gpt-4, gpt-3.5-turbo).
        var gpt4o = PromptTokenCounter.For("gpt-4o");
        var gpt4 = PromptTokenCounter.For("gpt-4");
        Assert.False(gpt4o.IsEstimate);
        Assert.Equal(4, gpt4o.Count("Hello, world!"));
        Assert.Equal(4, gpt4.Count("Hello, world!"));
        Assert.Equal(6, gpt4.Count("tiktoken is great!")); // the OpenAI cookbook's example
        Assert.Equal(0, gpt4o.Count(""));
    }

    [Fact]
    public void Unknown_models_get_the_estimate_of_one_token_per_three_utf8_bytes()
    {
        var counter = PromptTokenCounter.For("qwen2.5:latest");
        Assert.True(counter.IsEstimate);
        Assert.Equal(5, counter.Count("Hello, world!")); // 13 bytes
        Assert.Equal(3, counter.Count("你好吗")); // 9 bytes: one token per character, as Qwen's tokenizer about gives
        Assert.Equal(5 + PromptTokenCounter.PerMessage, counter.CountMessage("Hello, world!"));
    }

    [Fact]
    public void The_estimate_is_not_below_the_real_count_of_ordinary_text()
    {
        var real = PromptTokenCounter.For("gpt-4o");
        var estimate = PromptTokenCounter.Estimate;
        foreach (var text in new[]
                 {
                     "My cat is named Biscuit and she likes to sleep on the keyboard while I work.",
                     "今日はとても良い天気ですね。散歩に行きましょう。",
                     "[joy] Of course! I remember you told me about your trip to Kyoto last spring.",
                 })
        {
            Assert.True(estimate.Count(text) >= real.Count(text), text);
        }
    }

    [Theory]
    [InlineData("gpt-4o-mini")]
    [InlineData("qwen2.5:latest")]
    public void Truncate_keeps_the_longest_start_within_the_limit(string model)
    {
        var counter = PromptTokenCounter.For(model);
        var text = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. 狐 ", 50));

        var cut = counter.Truncate(text, 40);

        Assert.StartsWith(cut, text);
        Assert.InRange(counter.Count(cut), 35, 40);
        Assert.Equal("short", counter.Truncate("short", 40));
        Assert.Equal("", counter.Truncate(text, 0));
    }

    [Theory]
    [InlineData("gpt-4o", 128_000)]
    [InlineData("gpt-4o-mini", 128_000)]
    [InlineData("gpt-4", 8_192)]
    [InlineData("gpt-4.1-nano", 1_047_576)]
    [InlineData("claude-3-5-sonnet-latest", 200_000)]
    [InlineData("qwen2.5:latest", ContextWindows.Fallback)]
    public void Context_window_defaults_follow_the_model(string model, int window) =>
        Assert.Equal(window, ContextWindows.DefaultFor(model));
}
