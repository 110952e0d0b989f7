using Vtuber.Domain.Groups;

namespace Vtuber.Domain.Tests.Groups;

public sealed class GroupRoundRobinTests
{
    [Fact]
    public void Members_take_turns_and_each_gets_what_was_said_since_its_last_turn()
    {
        var turns = new GroupRoundRobin(["a", "b", "c"], "Human", "hello", maxRounds: 0);

        Assert.Equal(new GroupTurn("a", "Human: hello"), turns.Next());
        turns.Spoke("a", "Mao", "Hi!");
        Assert.Equal(new GroupTurn("b", "Human: hello\nMao: Hi!"), turns.Next());
        turns.Spoke("b", "Grumble", "Sigh.");
        Assert.Equal(new GroupTurn("c", "Human: hello\nMao: Hi!\nGrumble: Sigh."), turns.Next());
        turns.Spoke("c", "Third", "Yo.");
        Assert.Equal(new GroupTurn("a", "Grumble: Sigh.\nThird: Yo."), turns.Next());
        Assert.Equal("a", turns.Speaker);
    }

    [Fact]
    public void Without_a_bound_the_rotation_never_ends_and_with_one_each_member_speaks_that_often()
    {
        var endless = new GroupRoundRobin(["a", "b"], "Human", "go", maxRounds: 0);
        for (var i = 0; i < 100; i++)
        {
            var turn = endless.Next()!;
            endless.Spoke(turn.MemberUid, turn.MemberUid, "line");
        }
        Assert.NotNull(endless.Next());

        var bounded = new GroupRoundRobin(["a", "b"], "Human", "go", maxRounds: 2);
        var speakers = new List<string>();
        while (bounded.Next() is { } turn)
        {
            speakers.Add(turn.MemberUid);
            bounded.Spoke(turn.MemberUid, turn.MemberUid, "line");
        }
        Assert.Equal(["a", "b", "a", "b"], speakers);
        Assert.Null(bounded.Speaker);
    }

    [Fact]
    public void A_round_without_any_reply_ends_the_conversation()
    {
        var turns = new GroupRoundRobin(["a", "b"], "Human", "go", maxRounds: 0);
        turns.Spoke(turns.Next()!.MemberUid, "A", "");
        var second = turns.Next()!;
        Assert.Equal("Human: go", second.Context);
        turns.Spoke(second.MemberUid, "B", "");

        Assert.Null(turns.Next());
    }

    [Fact]
    public void Members_who_leave_drop_out_and_new_ones_join_the_end_of_the_rotation()
    {
        var turns = new GroupRoundRobin(["a", "b", "c"], "Human", "go", maxRounds: 0);
        turns.Spoke(turns.Next()!.MemberUid, "A", "one"); // a spoke; b is next

        turns.MembersAre(["a", "c", "d"]);

        Assert.Equal(["c", "a", "d"], turns.Members);
        Assert.Equal(new GroupTurn("c", "Human: go\nA: one"), turns.Next());
        turns.MembersAre(["c"]);
        Assert.Null(turns.Next()); // one member is no group conversation
    }
}
