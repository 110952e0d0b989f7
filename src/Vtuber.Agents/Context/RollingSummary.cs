using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Vtuber.Agents.Context;

/// <summary>
/// A fold to run: the memory entries before <see cref="Cut"/> become the summary written by <see cref="Request"/>.
/// Generation ties it to the memory it was planned on (a loaded or new history makes it stale). CoversRecords is the
/// number of history records the new summary stands for (the position of the first kept turn's human record), or
/// null when the memory is not backed by a history; only then is the summary not journaled.
/// </summary>
public sealed record SummaryJob(long Generation, int Cut, int? CoversRecords, ChatRequest Request, int MaxTokens);

/// <summary>The texts of a rolling summary: what the model is asked, and how the result sits in the system prompt.</summary>
public static partial class RollingSummary
{
    /// <summary>The start of every summary request's user message (the fakes in the tests look for it).</summary>
    public const string InstructionStart = "Write down what has happened so far in this conversation";

    /// <summary>Summaries get at most this share of the budget (and at most MaxTokens), so the turns keep the rest.</summary>
    public const int BudgetShare = 8;

    public const int MinTokens = 64;
    public const int MaxTokens = 1024;

    public static int TokensFor(int budget) => Math.Clamp(budget / BudgetShare, MinTokens, MaxTokens);

    /// <summary>What the summary adds to the system prompt.</summary>
    public static string Note(string summary) =>
        "\n\n[What has happened so far in this conversation, in your own words; the older messages are not shown:]\n" + summary;

    /// <summary>The user message of a summary request; the system prompt is the character's, so it is in its voice.</summary>
    public static string Instruction(string? previous, string transcript, int maxTokens)
    {
        var words = Math.Max(30, maxTokens * 2 / 3);
        var text = new StringBuilder()
            .Append(InstructionStart)
            .Append(", as your own notes in your own voice (first person). Keep every fact the user told about ")
            .Append("themselves (names, preferences, plans), what you promised, and the topics still open. ")
            .Append("Start from your previous notes and add what the conversation below adds. ")
            .Append(FormattableString.Invariant($"At most {words} words, plain text, no expression tags."))
            .Append("\n\nYour previous notes:\n")
            .Append(previous ?? "(none)")
            .Append("\n\nThe conversation:\n")
            .Append(transcript);
        return text.ToString();
    }

    /// <summary>One line per message, "User: ..." / "You: ...", as the summary request quotes the conversation.</summary>
    public static string Transcript(IEnumerable<MemoryEntry> entries)
    {
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            text.Append(entry.Role switch
            {
                MemoryEntry.User => "User: ",
                MemoryEntry.Assistant => "You: ",
                _ => "(note) ",
            }).Append(entry.Content).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The model's answer as a summary: reasoning blocks removed, trimmed, at most twice what was asked.</summary>
    public static string Clean(string reply, PromptTokenCounter counter, int maxTokens) =>
        counter.Truncate(ThinkBlock().Replace(reply, "").Trim(), maxTokens * 2).Trim();

    public static ChatOptions Options(LlmProviderSettings provider, int maxTokens) =>
        new() { ModelId = provider.Model, Temperature = (float)provider.Temperature, MaxOutputTokens = maxTokens };

    [GeneratedRegex("<think>.*?(</think>|$)", RegexOptions.Singleline)]
    private static partial Regex ThinkBlock();
}
