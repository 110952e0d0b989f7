using Vtuber.Domain.Groups;

namespace Vtuber.Domain.Tests.Groups;

public sealed class ChatGroupsTests
{
    private static ChatGroups Connected(params string[] uids)
    {
        var groups = new ChatGroups();
        foreach (var uid in uids) groups.Connect(uid);
        return groups;
    }

    private static string Describe(GroupNotice notice) => notice switch
    {
        MembershipNotice m => $"{m.ClientUid} update [{string.Join(",", m.Members)}]{(m.IsOwner ? " owner" : "")}",
        OperationNotice r => $"{r.ClientUid} {(r.Success ? "ok" : "failed")}: {r.Message}",
        _ => notice.ToString(),
    };

    [Fact]
    public void An_invite_creates_the_inviters_group_and_tells_both_in_olvs_order()
    {
        var groups = Connected("a", "b");

        var outcome = groups.Invite("a", "b");

        Assert.True(outcome.Changed);
        Assert.Equal([
            "b update [a,b]",
            "b ok: You have been invited to the group by a",
            "a ok: Successfully added b to the group",
            "a update [a,b] owner",
        ], outcome.Notices.Select(Describe));
        var group = groups.GroupOf("b")!;
        Assert.Equal(("group_a", "a"), (group.GroupId, group.OwnerUid));
        Assert.Equal(["a", "b"], group.Members);
    }

    [Fact]
    public void A_third_member_is_announced_to_the_members_already_there()
    {
        var groups = Connected("a", "b", "c");
        groups.Invite("a", "b");

        var outcome = groups.Invite("b", "c");

        Assert.Equal([
            "c update [a,b,c]",
            "c ok: You have been invited to the group by b",
            "b ok: Successfully added c to the group",
            "a update [a,b,c] owner",
            "a ok: Member c was added to the group",
            "b update [a,b,c]",
        ], outcome.Notices.Select(Describe));
    }

    [Theory]
    [InlineData("nobody", "Invitee nobody does not exist")]
    [InlineData("a", "You cannot invite yourself to a group")]
    [InlineData("b", "Invitee b is already in a group")]
    public void Bad_invites_fail_with_olvs_text_and_change_nothing(string invitee, string message)
    {
        var groups = Connected("a", "b", "c");
        groups.Invite("c", "b");

        var outcome = groups.Invite("a", invitee);

        Assert.False(outcome.Changed);
        Assert.Equal([$"a failed: {message}"], outcome.Notices.Select(Describe));
        Assert.Null(groups.GroupOf("a"));
        Assert.Equal(["c", "b"], groups.GroupOf("b")!.Members);
    }

    [Fact]
    public void Only_the_owner_or_the_member_itself_may_remove()
    {
        var groups = Connected("a", "b", "c", "d");
        groups.Invite("a", "b");
        groups.Invite("a", "c");

        Assert.Equal(["b failed: Only group owner or self can remove members"], groups.Remove("b", "c").Notices.Select(Describe));
        Assert.Equal(["d failed: Only group owner or self can remove members"], groups.Remove("d", "c").Notices.Select(Describe));
        Assert.Equal(["a failed: Target d is not in any group"], groups.Remove("a", "d").Notices.Select(Describe));
        Assert.Equal(["a", "b", "c"], groups.GroupOf("a")!.Members);

        var outcome = groups.Remove("a", "c");
        Assert.Equal([
            "a ok: Successfully removed c from the group",
            "c update []",
            "c ok: You have been removed from the group",
            "a update [a,b] owner",
            "b update [a,b]",
            "b ok: Member c was removed from the group",
        ], outcome.Notices.Select(Describe));
    }

    [Fact]
    public void Leaving_a_group_of_two_dissolves_it()
    {
        var groups = Connected("a", "b");
        groups.Invite("a", "b");

        var outcome = groups.Remove("b", "b");

        Assert.Equal([
            "b ok: Successfully removed b from the group",
            "b update []",
            "b ok: You have been removed from the group",
            "a update []",
            "a ok: Member b was removed from the group",
        ], outcome.Notices.Select(Describe));
        Assert.Null(groups.GroupOf("a"));
        Assert.True(groups.Invite("b", "a").Changed); // both are free again
    }

    [Fact]
    public void An_owner_who_leaves_or_disconnects_hands_the_group_to_the_first_remaining_member()
    {
        var groups = Connected("a", "b", "c", "d");
        groups.Invite("a", "b");
        groups.Invite("a", "c");
        groups.Invite("a", "d");

        groups.Remove("a", "a");
        Assert.Equal("b", groups.GroupOf("c")!.OwnerUid);

        var outcome = groups.Disconnect("b");
        Assert.Equal([
            "c update [c,d] owner",
            "c ok: Member b disconnected",
            "d update [c,d]",
            "d ok: Member b disconnected",
        ], outcome.Notices.Select(Describe));
        Assert.False(groups.IsConnected("b"));
        Assert.Equal(["a failed: Invitee b does not exist"], groups.Invite("a", "b").Notices.Select(Describe));
    }

    [Fact]
    public void A_member_left_alone_by_a_disconnect_keeps_a_group_of_one_as_olv()
    {
        var groups = Connected("a", "b");
        groups.Invite("a", "b");

        groups.Disconnect("a");

        Assert.True(groups.ViewOf("b").IsOwner);
        Assert.Equal(["b"], groups.ViewOf("b").Members);
        Assert.Equal(["b ok: Successfully removed b from the group", "b update []", "b ok: You have been removed from the group"],
            groups.Remove("b", "b").Notices.Select(Describe));
        Assert.Equal([], groups.Disconnect("nobody").Notices);
    }

    [Fact]
    public void A_new_group_never_takes_the_id_of_one_that_still_exists()
    {
        var groups = Connected("a", "b", "c", "d");
        groups.Invite("a", "b");
        groups.Invite("a", "c");
        groups.Remove("a", "a"); // group_a lives on, owned by b

        groups.Invite("a", "d");

        Assert.Equal("group_a", groups.GroupOf("b")!.GroupId);
        Assert.Equal("group_a_2", groups.GroupOf("d")!.GroupId);
        Assert.Equal(["b", "c"], groups.GroupOf("b")!.Members);
    }
}
