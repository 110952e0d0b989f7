using Vtuber.Agents.Context;

namespace Vtuber.Agents.Tests.Context;

public sealed class PromptFoldTests
{
    // n turns of a user message and a reply, each message `tokens` long.
    private static List<FoldEntry> Turns(int n, int tokens = 10) =>
        Enumerable.Range(0, n).SelectMany(_ => new[] { new FoldEntry(tokens, true), new FoldEntry(tokens, false) }).ToList();

    [Fact]
    public void Everything_is_kept_while_it_fits()
    {
        Assert.Equal(0, PromptFold.KeepFrom(Turns(5), fixedTokens: 50, budget: 150));
        Assert.Equal(0, PromptFold.KeepFrom([], fixedTokens: 50, budget: 100));
    }

    [Fact]
    public void The_oldest_turns_are_dropped_whole_when_the_budget_is_reached()
    {
        // 10 turns of 20 tokens, 50 fixed, budget 125: 75 left = 3 whole turns (60); a 4th half turn would also fit.
        var keep = PromptFold.KeepFrom(Turns(10), fixedTokens: 50, budget: 125);

        Assert.Equal(14, keep); // entries 14..19: the newest three turns
    }

    [Fact]
    public void When_not_even_the_newest_turn_fits_the_tail_that_fits_is_kept()
    {
        List<FoldEntry> entries = [new(10, true), new(10, false), new(5, true), new(200, false)];

        Assert.Equal(4, PromptFold.KeepFrom(entries, fixedTokens: 50, budget: 100)); // nothing of memory fits
        Assert.Equal(3, PromptFold.KeepFrom(entries, fixedTokens: 50, budget: 252)); // the reply without its question
    }

    [Fact]
    public void No_fold_is_due_below_three_quarters_of_the_budget()
    {
        // 50 + 100 = 150 of 200 is exactly three quarters: not over it.
        Assert.Null(PromptFold.PlanFold(Turns(5), fixedTokens: 50, budget: 200, chunkBudget: 1000));
    }

    [Fact]
    public void A_fold_leaves_at_most_half_the_budget_starting_at_a_turn()
    {
        // 50 + 200 = 250 of 300: due. Half is 150: the tail may hold 100 tokens, i.e. the newest five turns.
        var cut = PromptFold.PlanFold(Turns(10), fixedTokens: 50, budget: 300, chunkBudget: 1000);

        Assert.Equal(10, cut);
    }

    [Fact]
    public void The_newest_turn_is_never_folded()
    {
        List<FoldEntry> entries = [new(10, true), new(10, false), new(500, true), new(500, false)];

        Assert.Equal(2, PromptFold.PlanFold(entries, fixedTokens: 50, budget: 1000, chunkBudget: 1000));
        // Only one turn: nothing precedes it.
        Assert.Null(PromptFold.PlanFold([new(500, true), new(500, false)], 50, 1000, 1000));
    }

    [Fact]
    public void A_fold_takes_no_more_than_one_summary_request_can_hold()
    {
        // Due, and the target would fold 8 turns (160 tokens), but a request holds 50: two turns now, more later.
        var cut = PromptFold.PlanFold(Turns(10), fixedTokens: 50, budget: 300, chunkBudget: 50);

        Assert.Equal(4, cut);
    }

    [Fact]
    public void A_first_turn_bigger_than_a_request_is_folded_alone()
    {
        List<FoldEntry> entries = [new(400, true), new(400, false), new(10, true), new(10, false), new(10, true), new(10, false)];

        Assert.Equal(2, PromptFold.PlanFold(entries, fixedTokens: 50, budget: 1000, chunkBudget: 100));
    }

    [Fact]
    public void Messages_before_the_first_user_turn_are_folded_with_it()
    {
        // A loaded history may start with the AI's greeting.
        List<FoldEntry> entries = [new(30, false), .. Turns(10)];

        var cut = PromptFold.PlanFold(entries, fixedTokens: 50, budget: 300, chunkBudget: 1000);

        Assert.Equal(11, cut);
        Assert.True(entries[cut!.Value].StartsTurn);
    }
}
