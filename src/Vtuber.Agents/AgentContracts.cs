namespace Vtuber.Agents;

/// <summary>An image sent with text-input / mic-audio-end: data is a data URL (data:image/jpeg;base64,...).</summary>
public sealed record ImageInput(string Source, string Data, string MimeType);

/// <summary>What the user said this turn. SkipMemory is set for proactive prompts (never stored in memory).</summary>
public sealed record UserInput(string Text, IReadOnlyList<ImageInput> Images, bool SkipMemory = false);

/// <summary>An LLM provider failed (connection refused, HTTP error, stream cut, timeout): names provider and cause.</summary>
public sealed class LlmProviderException(string provider, string cause, Exception? inner = null)
    : Exception($"{provider}: {cause}", inner)
{
    public string Provider { get; } = provider;
    public string Cause { get; } = cause;
}
