namespace Vtuber.Agents;

/// <summary>
/// One llm_configs entry with OLV's per-provider defaults applied (see <see cref="LlmProviders.Resolve"/>).
/// ApiKey may be empty: local servers need none, and <see cref="LlmProviders.CreateClient"/> sends a placeholder.
/// </summary>
public sealed record LlmProviderSettings(
    string Key,
    Uri BaseUrl,
    string ApiKey,
    string Model,
    double Temperature,
    InterruptMethod InterruptMethod,
    string? OrganizationId,
    string? ProjectId);
