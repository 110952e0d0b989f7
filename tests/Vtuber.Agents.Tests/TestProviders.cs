using Vtuber.Agents;

namespace Vtuber.Agents.Tests;

internal static class TestProviders
{
    public const string SystemPrompt = "You are Mao.";

    public const string Png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    public const string Jpeg = "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2w==";

    public static LlmProviderSettings Settings(Uri baseUrl, InterruptMethod method = InterruptMethod.User,
                                               string apiKey = "", double temperature = 0.7) =>
        new("openai_compatible_llm", baseUrl, apiKey, "test-model", temperature, method, null, null);

    /// <summary>An agent whose client is never called (memory-only tests).</summary>
    public static ChatAgent OfflineAgent(InterruptMethod method = InterruptMethod.User)
    {
        var settings = Settings(new Uri("http://127.0.0.1:1/v1"), method);
        return new ChatAgent(LlmProviders.CreateClient(settings), settings, SystemPrompt);
    }

    public static UserInput Text(string text) => new(text, []);
}
