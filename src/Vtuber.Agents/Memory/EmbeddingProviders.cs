using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OllamaSharp;
using OpenAI;
using OpenAI.Embeddings;
using Vtuber.Domain.Config;

namespace Vtuber.Agents.Memory;

/// <summary>long_term_memory.embedding → an IEmbeddingGenerator (Microsoft.Extensions.AI) for each provider.</summary>
public static class EmbeddingProviders
{
    public static IEmbeddingGenerator<string, Embedding<float>> Create(EmbeddingConfig config, HttpClient http) =>
        config.Provider switch
        {
            LongTermMemoryConfig.Embedded => new MiniLmEmbeddingGenerator(),
            // POST {base_url}/api/embed; OLV-style URLs end in /v1, the native API lives at the root.
            LongTermMemoryConfig.Ollama => new OllamaApiClient(new HttpClient
            {
                BaseAddress = new Uri(OllamaRoot(config.BaseUrl)),
                Timeout = TimeSpan.FromMinutes(1),
            }, config.Model),
            // Any OpenAI-compatible POST {base_url}/embeddings.
            _ => new EmbeddingClient(config.Model, new ApiKeyCredential(config.ApiKey.Length == 0 ? "none" : config.ApiKey),
                new OpenAIClientOptions
                {
                    Endpoint = new Uri(config.BaseUrl),
                    Transport = new HttpClientPipelineTransport(http),
                    // A recall that waits through backoff delays the turn: a failure means this turn goes without.
                    RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                }).AsIEmbeddingGenerator(),
        };

    private static string OllamaRoot(string baseUrl)
    {
        var root = baseUrl.TrimEnd('/');
        return root.EndsWith("/v1", StringComparison.Ordinal) ? root[..^3] : root;
    }
}
