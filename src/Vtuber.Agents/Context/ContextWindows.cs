namespace Vtuber.Agents.Context;

/// <summary>
/// Default of llm_configs.&lt;provider&gt;.context_window_tokens: the window of well-known model families, matched by the
/// start of the model name, else <see cref="Fallback"/>. Local servers often run a model with a smaller window than
/// the model supports (Ollama's default is 2,048–8,192 tokens whatever the model): their users set the key.
/// </summary>
public static class ContextWindows
{
    public const int Fallback = 8192;

    /// <summary>Default of reply_reserve_tokens (claude_llm's max_tokens), at most a quarter of the window.</summary>
    public const int DefaultReplyReserve = 1024;

    // Longest prefix first, so "gpt-4o" is not taken for "gpt-4".
    private static readonly (string Prefix, int Tokens)[] Known =
    [
        ("gpt-4.1", 1_047_576),
        ("gpt-4o", 128_000),
        ("gpt-4-turbo", 128_000),
        ("gpt-4", 8_192),
        ("gpt-3.5-turbo", 16_385),
        ("gpt-5", 400_000),
        ("chatgpt-4o", 128_000),
        ("o1", 200_000),
        ("o3", 200_000),
        ("o4", 200_000),
        ("claude", 200_000),
        ("gemini", 1_048_576),
        ("deepseek", 65_536),
        ("mistral-large", 131_072),
        ("glm-4", 128_000),
    ];

    public static int DefaultFor(string model)
    {
        var name = model.Trim();
        foreach (var (prefix, tokens) in Known.OrderByDescending(k => k.Prefix.Length))
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return tokens;
            }
        }
        return Fallback;
    }

    public static int DefaultReserveFor(int window) => Math.Min(DefaultReplyReserve, window / 4);
}
