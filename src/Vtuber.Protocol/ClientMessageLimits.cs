namespace Vtuber.Protocol;

/// <summary>
/// What one client message may carry, checked while parsing (the server fills it from system_config.limits, whose
/// key names the refusals quote).
/// </summary>
public sealed record ClientMessageLimits(int MaxTextChars, int MaxImages, int MaxImageBytes)
{
    /// <summary>The defaults of system_config.limits.</summary>
    public static readonly ClientMessageLimits Default = new(32_768, 8, 4 * 1024 * 1024);
}
