namespace Vtuber.Domain.Config;

/// <summary>
/// Ours, per llm_configs entry: context_window_tokens and reply_reserve_tokens, the prompt budget of the agent. The
/// cross-check (the reserve at most half the window) needs the model's default window, so LlmProviders does it.
/// </summary>
internal static class ContextBudgetReader
{
    // Below 1,024 tokens a system prompt alone does not fit; 10 million is beyond every model there is.
    public const int MinWindow = 1024;
    public const int MaxWindow = 10_000_000;

    public static int? Window(YamlSection s) =>
        s.Int("context_window_tokens", MinWindow, MaxWindow, $"an integer {MinWindow}..{MaxWindow} (tokens)");

    public static int? Reserve(YamlSection s) =>
        s.Int("reply_reserve_tokens", 16, MaxWindow / 2, $"an integer 16..{MaxWindow / 2} (tokens)");
}
