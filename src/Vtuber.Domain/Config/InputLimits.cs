namespace Vtuber.Domain.Config;

/// <summary>
/// system_config.limits (ours): what one client message may carry. A message over a limit is refused with an
/// error frame naming the key, and the session goes on.
/// </summary>
public sealed record InputLimits
{
    /// <summary>Characters of typed text (text-input) and of heard text (interrupt-signal).</summary>
    public int MaxTextChars { get; init; } = 32_768;

    /// <summary>Images per text-input, mic-audio-end or ai-speak-signal (the frontend sends one per camera/screen).</summary>
    public int MaxImages { get; init; } = 8;

    /// <summary>Bytes of one image's data URL; websocket.max_message_bytes bounds the whole message as well.</summary>
    public int MaxImageBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// History requests (list, create, load, delete) waiting per session; they are answered one at a time in the
    /// client's order, and the frontend has at most a few outstanding.
    /// </summary>
    public int MaxHistoryRequests { get; init; } = 64;
}

internal static class InputLimitsReader
{
    public static InputLimits Read(YamlSection s)
    {
        var d = new InputLimits();
        return new InputLimits
        {
            MaxTextChars = s.Int("max_text_chars", 1, 1_000_000, "an integer 1..1000000") ?? d.MaxTextChars,
            MaxImages = s.Int("max_images", 0, 64, "an integer 0..64") ?? d.MaxImages,
            MaxImageBytes = s.Int("max_image_bytes", 1024, 256 * 1024 * 1024, "a number of bytes 1024..268435456")
                            ?? d.MaxImageBytes,
            MaxHistoryRequests = s.Int("max_history_requests", 1, 256, "an integer 1..256") ?? d.MaxHistoryRequests,
        };
    }
}
