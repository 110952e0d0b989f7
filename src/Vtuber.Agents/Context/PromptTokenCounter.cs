using System.Collections.Concurrent;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Vtuber.Agents.Context;

/// <summary>
/// Counts the tokens of a prompt for one model. OpenAI models are counted with their own tiktoken encoding
/// (o200k_base, cl100k_base; Microsoft.ML.Tokenizers maps the model name). Every other model (Qwen, Llama, Claude,
/// Gemma, ...) has no tokenizer we can load offline: it is counted with a deliberate over-estimate, one token per
/// three UTF-8 bytes, which is above what those tokenizers give for English (about four characters a token) and for
/// CJK text (a character is three bytes and one to two tokens), so a budget kept by the estimate is kept for real.
/// Each chat message costs <see cref="PerMessage"/> tokens of framing on top of its text (OpenAI's documented
/// count), and every reply is primed with <see cref="ReplyPriming"/> more.
/// </summary>
public sealed class PromptTokenCounter
{
    public const int PerMessage = 4;
    public const int ReplyPriming = 3;
    private const int BytesPerEstimatedToken = 3;

    private static readonly ConcurrentDictionary<string, PromptTokenCounter> ByModel = new(StringComparer.OrdinalIgnoreCase);

    private readonly Tokenizer? _tokenizer;

    private PromptTokenCounter(Tokenizer? tokenizer, string name)
    {
        _tokenizer = tokenizer;
        Name = name;
    }

    /// <summary>The estimate used for models whose tokenizer is unknown.</summary>
    public static PromptTokenCounter Estimate { get; } = new(null, "estimate (UTF-8 bytes / 3)");

    /// <summary>"tiktoken gpt-4o" or the estimate's name, for logs and the bench.</summary>
    public string Name { get; }

    public bool IsEstimate => _tokenizer is null;

    /// <summary>The counter for a model name; loading a tiktoken vocabulary takes a moment, so each is made once.</summary>
    public static PromptTokenCounter For(string model) => ByModel.GetOrAdd(model.Trim(), static name =>
    {
        try
        {
            return new PromptTokenCounter(TiktokenTokenizer.CreateForModel(name), $"tiktoken {name}");
        }
        catch (NotSupportedException)
        {
            return Estimate; // not an OpenAI model name
        }
        catch (ArgumentException)
        {
            return Estimate;
        }
    });

    public int Count(string text)
    {
        if (text.Length == 0)
        {
            return 0;
        }
        return _tokenizer is { } tokenizer
            ? tokenizer.CountTokens(text, considerPreTokenization: true, considerNormalization: true)
            : (Encoding.UTF8.GetByteCount(text) + BytesPerEstimatedToken - 1) / BytesPerEstimatedToken;
    }

    /// <summary>One chat message: its text plus the framing every message costs.</summary>
    public int CountMessage(string text) => Count(text) + PerMessage;

    /// <summary>The longest start of <paramref name="text"/> that counts at most <paramref name="maxTokens"/>.</summary>
    public string Truncate(string text, int maxTokens)
    {
        if (maxTokens <= 0)
        {
            return "";
        }
        if (Count(text) <= maxTokens)
        {
            return text;
        }
        if (_tokenizer is { } tokenizer)
        {
            var end = tokenizer.GetIndexByTokenCount(text, maxTokens, out _, out _);
            return text[..end];
        }
        // The estimate: whole characters whose UTF-8 bytes fit, never half a surrogate pair.
        var budget = maxTokens * BytesPerEstimatedToken;
        var length = 0;
        var bytes = 0;
        while (length < text.Length)
        {
            var width = char.IsHighSurrogate(text[length]) && length + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(length, width));
            if (bytes + size > budget)
            {
                break;
            }
            bytes += size;
            length += width;
        }
        return text[..length];
    }
}
