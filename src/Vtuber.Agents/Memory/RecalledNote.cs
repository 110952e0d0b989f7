using System.Globalization;
using Vtuber.Agents.Context;

namespace Vtuber.Agents.Memory;

/// <summary>
/// The one system note that carries a turn's recalled memories into the prompt: marked as recalled from earlier
/// conversations, each memory with its date, so the model neither takes them for the current conversation nor for
/// instructions.
/// </summary>
public static class RecalledNote
{
    /// <summary>The most tokens the note may take; the prompt budget keeps this much free when memory is on.</summary>
    public const int MaxTokens = 400;

    public const string Heading =
        "Recalled from earlier conversations with this user (long-term memory; not part of the current conversation):";

    /// <summary>The memory text stored for a finished turn.</summary>
    public static string TurnText(string userText, string reply) => $"User: {userText}\nYou: {reply}";

    /// <summary>The note, cut to <see cref="MaxTokens"/>; null when nothing was recalled.</summary>
    public static string? Format(IReadOnlyList<RecalledMemory> recalled, PromptTokenCounter tokens)
    {
        if (recalled.Count == 0)
        {
            return null;
        }
        var lines = recalled.Select(r =>
            $"[{r.Memory.Created.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}] {r.Memory.Text.ReplaceLineEndings(" / ")}");
        return tokens.Truncate(Heading + "\n" + string.Join("\n", lines), MaxTokens);
    }
}
