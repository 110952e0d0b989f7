namespace Vtuber.Domain.Groups;

/// <summary>A group: its owner and its members in the order they joined (the first one inherits ownership).</summary>
public sealed record ChatGroup(string GroupId, string OwnerUid, IReadOnlyList<string> Members);

/// <summary>What one client is told after a group change, in order: its group-update and/or a group-operation-result.</summary>
public abstract record GroupNotice(string ClientUid);

/// <summary>group-update: the client's members (empty when in no group) and whether it owns the group.</summary>
public sealed record MembershipNotice(string ClientUid, IReadOnlyList<string> Members, bool IsOwner) : GroupNotice(ClientUid);

/// <summary>group-operation-result with one of OLV's texts.</summary>
public sealed record OperationNotice(string ClientUid, bool Success, string Message) : GroupNotice(ClientUid);

/// <summary>The notices of one operation in the order OLV sends them, and whether the membership changed.</summary>
public sealed record GroupOutcome(IReadOnlyList<GroupNotice> Notices, bool Changed);

/// <summary>
/// Who is connected and who is in which group: OLV's ChatGroupManager (chat_group.py), with its texts and the order
/// of its notices, and three of its slips fixed: inviting yourself is refused (OLV makes a group of one), an owner who
/// leaves hands the group over as one who disconnects does (OLV keeps an owner outside its group), and a new group
/// never takes the id of one that still exists (OLV would overwrite it). Plain state owned by one actor.
/// </summary>
public sealed class ChatGroups
{
    private readonly Dictionary<string, string?> _groupOf = []; // connected client → its group id, null: none
    private readonly Dictionary<string, Group> _groups = [];

    public bool IsConnected(string clientUid) => _groupOf.ContainsKey(clientUid);

    public ChatGroup? GroupOf(string clientUid) =>
        _groupOf.GetValueOrDefault(clientUid) is { } id && _groups.TryGetValue(id, out var group) ? group.View() : null;

    public ChatGroup? ById(string groupId) => _groups.TryGetValue(groupId, out var group) ? group.View() : null;

    public MembershipNotice ViewOf(string clientUid) => GroupOf(clientUid) is { } group
        ? new MembershipNotice(clientUid, group.Members, group.OwnerUid == clientUid)
        : new MembershipNotice(clientUid, [], false);

    public void Connect(string clientUid) => _groupOf.TryAdd(clientUid, null);

    /// <summary>add-client-to-group (olv-protocol 2.12).</summary>
    public GroupOutcome Invite(string inviterUid, string inviteeUid)
    {
        if (!_groupOf.TryGetValue(inviteeUid, out var inviteeGroup))
        {
            return Refused(inviterUid, $"Invitee {inviteeUid} does not exist");
        }
        if (inviteeGroup is not null)
        {
            return Refused(inviterUid, $"Invitee {inviteeUid} is already in a group");
        }
        if (inviteeUid == inviterUid)
        {
            return Refused(inviterUid, "You cannot invite yourself to a group");
        }
        var affected = MembersOf(inviterUid).ToList();
        if (_groupOf.GetValueOrDefault(inviterUid) is not { } groupId)
        {
            groupId = NewGroupId(inviterUid);
            _groups[groupId] = new Group(groupId, inviterUid, [inviterUid]);
            _groupOf[inviterUid] = groupId;
        }
        _groups[groupId].Members.Add(inviteeUid);
        _groupOf[inviteeUid] = groupId;

        var notices = new List<GroupNotice>
        {
            ViewOf(inviteeUid),
            new OperationNotice(inviteeUid, true, $"You have been invited to the group by {inviterUid}"),
            new OperationNotice(inviterUid, true, $"Successfully added {inviteeUid} to the group"),
        };
        Tell(notices, affected.Union(MembersOf(inviterUid)), inviterUid, inviteeUid, $"Member {inviteeUid} was added to the group");
        return new GroupOutcome(notices, true);
    }

    /// <summary>remove-client-from-group: by the owner, or by the target itself to leave.</summary>
    public GroupOutcome Remove(string removerUid, string targetUid)
    {
        if (_groupOf.GetValueOrDefault(targetUid) is not { } groupId)
        {
            return Refused(removerUid, $"Target {targetUid} is not in any group");
        }
        var group = _groups[groupId];
        if (removerUid != group.OwnerUid && removerUid != targetUid)
        {
            return Refused(removerUid, "Only group owner or self can remove members");
        }
        var affected = MembersOf(removerUid).Union(group.Members).ToList();
        Leave(group, targetUid);
        _groupOf[targetUid] = null;
        if (group.Members.Count <= 1)
        {
            // A group of one is no group: the last member is let go too.
            foreach (var last in group.Members)
            {
                _groupOf[last] = null;
            }
            _groups.Remove(groupId);
        }

        var notices = new List<GroupNotice> { new OperationNotice(removerUid, true, $"Successfully removed {targetUid} from the group") };
        if (IsConnected(targetUid))
        {
            notices.Add(ViewOf(targetUid));
            notices.Add(new OperationNotice(targetUid, true, "You have been removed from the group"));
        }
        Tell(notices, affected.Union(MembersOf(removerUid)), removerUid, targetUid, $"Member {targetUid} was removed from the group");
        return new GroupOutcome(notices, true);
    }

    /// <summary>
    /// The client's socket is gone: it leaves its group (an owner hands over to the first remaining member) and the
    /// others are told. As OLV, a group left with one member stays a group of one.
    /// </summary>
    public GroupOutcome Disconnect(string clientUid)
    {
        if (!_groupOf.Remove(clientUid, out var groupId) || groupId is null || !_groups.TryGetValue(groupId, out var group))
        {
            return new GroupOutcome([], false);
        }
        Leave(group, clientUid);
        if (group.Members.Count == 0)
        {
            _groups.Remove(groupId);
        }
        var notices = new List<GroupNotice>();
        foreach (var member in group.Members)
        {
            notices.Add(ViewOf(member));
            notices.Add(new OperationNotice(member, true, $"Member {clientUid} disconnected"));
        }
        return new GroupOutcome(notices, true);
    }

    private static void Leave(Group group, string clientUid)
    {
        group.Members.Remove(clientUid);
        if (group.OwnerUid == clientUid && group.Members.Count > 0)
        {
            group.OwnerUid = group.Members[0];
        }
    }

    /// <summary>Every affected member but the target gets its group-update; those other than the initiator also hear why.</summary>
    private void Tell(List<GroupNotice> notices, IEnumerable<string> affected, string initiatorUid, string targetUid, string news)
    {
        foreach (var member in affected.Where(m => m != targetUid && IsConnected(m)))
        {
            notices.Add(ViewOf(member));
            if (member != initiatorUid)
            {
                notices.Add(new OperationNotice(member, true, news));
            }
        }
    }

    private IReadOnlyList<string> MembersOf(string clientUid) => GroupOf(clientUid)?.Members ?? [];

    private string NewGroupId(string ownerUid)
    {
        var id = "group_" + ownerUid;
        for (var n = 2; _groups.ContainsKey(id); n++)
        {
            id = $"group_{ownerUid}_{n}";
        }
        return id;
    }

    private static GroupOutcome Refused(string clientUid, string message) =>
        new([new OperationNotice(clientUid, false, message)], false);

    private sealed class Group(string groupId, string ownerUid, List<string> members)
    {
        public string GroupId { get; } = groupId;
        public string OwnerUid { get; set; } = ownerUid;
        public List<string> Members { get; } = members;

        public ChatGroup View() => new(GroupId, OwnerUid, Members.ToArray());
    }
}
