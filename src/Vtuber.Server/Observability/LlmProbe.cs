using System.Diagnostics;
using System.Net;
using Vtuber.Agents;

namespace Vtuber.Server.Observability;

/// <summary>
/// One bounded request to the configured LLM server at start-up, so the operator learns at once whether it is there
/// rather than when the first turn fails. It asks for something cheap (the model list, Ollama's version): any HTTP
/// answer means the server is reachable; 401/403 means it is there but refuses the key.
/// </summary>
public static class LlmProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>One phrase for the banner, e.g. "answered (HTTP 200 in 12 ms)"; never throws.</summary>
    public static async Task<string> ProbeAsync(LlmProviderSettings llm, HttpClient http, CancellationToken cancellationToken)
    {
        if (llm.Api == LlmApi.LlamaCpp)
        {
            return "runs in this process (no endpoint to ask)";
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, ProbeUri(llm));
        switch (llm.Api)
        {
            case LlmApi.AnthropicMessages:
                request.Headers.Add("x-api-key", llm.ApiKey);
                request.Headers.Add("anthropic-version", "2023-06-01");
                break;
            case LlmApi.OpenAiChatCompletions when llm.ApiKey.Length > 0:
                request.Headers.Authorization = new("Bearer", llm.ApiKey);
                break;
        }
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bounded.Token);
            var status = (int)response.StatusCode;
            var elapsed = $"{Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms";
            return response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? $"answered but refused the API key (HTTP {status} in {elapsed})"
                : $"answered (HTTP {status} in {elapsed})";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"did not answer within {Timeout.TotalSeconds:0} s";
        }
        catch (HttpRequestException e)
        {
            return $"did not answer: {e.Message}";
        }
    }

    private static Uri ProbeUri(LlmProviderSettings llm)
    {
        var root = llm.BaseUrl.AbsoluteUri.TrimEnd('/');
        return new Uri(llm.Api switch
        {
            LlmApi.OllamaNative => root + "/api/version",
            LlmApi.AnthropicMessages => root + "/v1/models",
            _ => root + "/models",
        });
    }
}
