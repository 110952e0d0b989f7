namespace Vtuber.Agents.Context;

/// <summary>One remembered message as the fold sees it: its token count, and whether a user turn starts with it.</summary>
public readonly record struct FoldEntry(int Tokens, bool StartsTurn);

/// <summary>
/// The two decisions of a bounded context, over token counts only (pure, no model calls).
/// <see cref="KeepFrom"/>: which of the remembered messages go into this turn's prompt: the newest that fit, starting
/// at a turn, so the oldest turns are dropped whole. <see cref="PlanFold"/>: whether the oldest turns should now be
/// folded into the rolling summary, and up to where.
/// </summary>
public static class PromptFold
{
    /// <summary>A fold starts once the prompt without a new message fills this share of the budget...</summary>
    public const double FoldAbove = 0.75;

    /// <summary>...and folds enough turns that the rest fills at most this share: room for several turns before the next.</summary>
    public const double FoldDownTo = 0.5;

    /// <summary>
    /// The index of the first entry sent, so that <paramref name="fixedTokens"/> (system prompt, summary, the new user
    /// message, framing) plus the entries from there on stay within <paramref name="budget"/>. Cuts at a turn start
    /// when one fits; when not even the newest turn fits whole, the longest tail that fits. Entries.Count: none fit.
    /// </summary>
    public static int KeepFrom(IReadOnlyList<FoldEntry> entries, int fixedTokens, int budget)
    {
        var used = fixedTokens;
        var fits = entries.Count;
        var wholeTurn = entries.Count;
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            used += entries[i].Tokens;
            if (used > budget)
            {
                break;
            }
            fits = i;
            if (entries[i].StartsTurn)
            {
                wholeTurn = i;
            }
        }
        return fits == 0 || wholeTurn == entries.Count ? fits : wholeTurn;
    }

    /// <summary>
    /// Where to cut for a fold: entries before the returned index go into the summary, or null when no fold is due
    /// (the prompt is under <see cref="FoldAbove"/> of the budget, or nothing precedes the newest turn). The newest turn
    /// is never folded. The folded part must fit <paramref name="chunkBudget"/> (what a summary request has room for
    /// besides its instructions and the previous summary); when it would not, fewer turns are folded now and the rest
    /// in the next fold. A first turn bigger than the chunk on its own is folded alone (its text is cut to fit).
    /// </summary>
    public static int? PlanFold(IReadOnlyList<FoldEntry> entries, int fixedTokens, int budget, int chunkBudget)
    {
        var total = fixedTokens;
        var lastTurn = -1;
        for (var i = 0; i < entries.Count; i++)
        {
            total += entries[i].Tokens;
            if (entries[i].StartsTurn)
            {
                lastTurn = i;
            }
        }
        if (total <= budget * FoldAbove || lastTurn <= 0)
        {
            return null;
        }

        // The smallest turn start (longest kept tail) whose tail fits the target; else the newest turn alone.
        var target = budget * FoldDownTo;
        var cut = lastTurn;
        var tail = fixedTokens;
        for (var i = entries.Count - 1; i > 0; i--)
        {
            tail += entries[i].Tokens;
            if (tail > target)
            {
                break;
            }
            if (entries[i].StartsTurn)
            {
                cut = i;
            }
        }

        // The largest turn start up to the cut whose head fits the chunk.
        var head = 0;
        int? fitting = null;
        int? firstTurn = null;
        for (var i = 0; i < cut; i++)
        {
            head += entries[i].Tokens;
            if (entries[i + 1].StartsTurn)
            {
                firstTurn ??= i + 1;
                if (head <= chunkBudget)
                {
                    fitting = i + 1;
                }
            }
        }
        return fitting ?? firstTurn ?? cut;
    }
}
