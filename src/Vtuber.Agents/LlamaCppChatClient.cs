using System.Runtime.CompilerServices;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Sampling;
using Microsoft.Extensions.AI;

namespace Vtuber.Agents;

/// <summary>
/// llama_cpp_llm: a local GGUF model in this process through LLamaSharp (CPU backend). The model is checked in a child
/// process first (<see cref="LlamaModelCheck"/>), then its weights are loaded once and shared; each request renders
/// the messages with the model's own chat template (ChatML when the file has none) and streams the pieces of a
/// stateless generation (a fresh context per turn). Text only: images are not sent to a local text model. One
/// generation runs at a time: on CPU two at once only make both slow.
/// </summary>
public sealed class LlamaCppChatClient : IChatClient
{
    private readonly LLamaWeights _weights;
    private readonly ModelParams _parameters;
    private readonly LlmProviderSettings _settings;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    private LlamaCppChatClient(LLamaWeights weights, ModelParams parameters, LlmProviderSettings settings)
    {
        _weights = weights;
        _parameters = parameters;
        _settings = settings;
    }

    /// <exception cref="Vtuber.Domain.Config.ConfigException">The model file is missing or llama.cpp cannot load it.</exception>
    public static LlamaCppChatClient Load(LlmProviderSettings settings, LlamaModelCheck check, string keyPath)
    {
        var path = settings.ModelPath ?? throw new ArgumentException("llama_cpp_llm settings without a model path", nameof(settings));
        check.Verify(path, settings.ConfigFile, keyPath);
        var parameters = new ModelParams(path);
        return new LlamaCppChatClient(LLamaWeights.LoadFromFile(parameters), parameters, settings);
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
                                                     CancellationToken cancellationToken = default) =>
        await GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = Render(messages);
        // The reply ends where the context does (a fresh context per turn holds the prompt plus the reply), not
        // with an overflow error halfway through a sentence; 1024 tokens at most, as OLV's Claude.
        // (The executor stops with an overflow error once prompt + reply + 1 reaches the context size.)
        var room = _weights.ContextSize - _weights.Tokenize(prompt, true, true, Encoding.UTF8).Length - 1;
        var inference = new InferenceParams
        {
            MaxTokens = Math.Max(1, Math.Min(ClaudeChatClient.MaxTokens, room)),
            SamplingPipeline = new DefaultSamplingPipeline { Temperature = options?.Temperature ?? (float)_settings.Temperature },
        };
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            // The prompt is already rendered with the chat template.
            var executor = new StatelessExecutor(_weights, _parameters) { ApplyTemplate = false };
            await foreach (var piece in executor.InferAsync(prompt, inference, cancellationToken))
            {
                yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ModelId = _settings.Model };
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = ChatFinishReason.Stop, ModelId = _settings.Model };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
        _weights.Dispose();
        _oneAtATime.Dispose();
    }

    private string Render(IEnumerable<ChatMessage> messages)
    {
        LLamaTemplate template;
        try
        {
            template = new LLamaTemplate(_weights, strict: true);
        }
        catch (Exception)
        {
            // Files without tokenizer.chat_template: llama.cpp knows ChatML by name.
            template = new LLamaTemplate("chatml");
        }
        foreach (var message in messages)
        {
            template.Add(message.Role.Value, message.Text);
        }
        template.AddAssistant = true;
        return LLama.Transformers.PromptTemplateTransformer.ToModelPrompt(template);
    }
}
