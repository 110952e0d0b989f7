using Akka.Actor;
using Akka.Event;
using Vtuber.Domain.Groups;
using Vtuber.Protocol;

namespace Vtuber.Actors.Groups;

/// <summary>
/// /user/groups: who is in which group (the rules live in <see cref="ChatGroups"/>), and one
/// <see cref="GroupConversationActor"/> child per running group conversation. Every notice goes to its client through
/// the registry, by uid. On a cluster this actor becomes a singleton (or is sharded by group id); it holds no socket.
/// </summary>
public sealed class GroupsActor : ReceiveActor
{
    private readonly ChatGroups _groups = new();
    private readonly Dictionary<string, MemberProfile> _profiles = [];
    private readonly Dictionary<string, IActorRef> _conversations = []; // group id → its running conversation
    private readonly IActorRef _registry;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _lastConversation;

    public GroupsActor(IActorRef registry)
    {
        _registry = registry;
        Receive<ClientJoined>(m => _groups.Connect(m.ClientUid));
        Receive<ClientLeft>(OnClientLeft);
        Receive<MemberProfile>(m => _profiles[m.ClientUid] = m);
        Receive<InviteToGroup>(m => Apply(_groups.Invite(m.InviterUid, m.InviteeUid), m.InviterUid, m.InviteeUid));
        Receive<RemoveFromGroup>(m => Apply(_groups.Remove(m.RemoverUid, m.TargetUid), m.RemoverUid, m.TargetUid));
        Receive<GroupTrigger>(OnTrigger);
        Receive<InterruptGroup>(m => InterruptConversationOf(m.ClientUid, m.Heard));
        Receive<GroupConversationActor.Ended>(m =>
        {
            if (_conversations.TryGetValue(m.GroupId, out var current) && current.Equals(Sender))
            {
                _conversations.Remove(m.GroupId);
            }
            Sender.Tell(PoisonPill.Instance);
        });
        Receive<Terminated>(t =>
        {
            foreach (var (groupId, conversation) in _conversations.Where(c => c.Value.Equals(t.ActorRef)).ToList())
            {
                _conversations.Remove(groupId);
            }
        });
    }

    protected override void PreStart() => _registry.Tell(SubscribeClientEvents.Instance);

    private void OnClientLeft(ClientLeft left)
    {
        // olv-protocol 2.12: a running conversation is interrupted (nothing heard) before the member is removed, so
        // its members hear the interrupt first and the departure after it; the conversation passes the notices on.
        var conversation = _groups.GroupOf(left.ClientUid) is { } group && _conversations.Remove(group.GroupId, out var running)
            ? running
            : null;
        var before = _groups.GroupOf(left.ClientUid);
        var outcome = _groups.Disconnect(left.ClientUid);
        _profiles.Remove(left.ClientUid);
        if (conversation is not null)
        {
            conversation.Tell(new GroupConversationActor.Interrupt("", outcome.Notices.Select(Delivery).ToList()));
            return;
        }
        Apply(outcome, left.ClientUid, left.ClientUid, before);
    }

    private void Apply(GroupOutcome outcome, string initiatorUid, string targetUid, ChatGroup? before = null)
    {
        foreach (var notice in outcome.Notices)
        {
            _registry.Tell(Delivery(notice));
        }
        if (!outcome.Changed)
        {
            return;
        }
        // A running conversation follows its group: who left drops out of the turns, who joined gets one.
        var groupIds = new[] { before?.GroupId, _groups.GroupOf(initiatorUid)?.GroupId, _groups.GroupOf(targetUid)?.GroupId };
        foreach (var (groupId, conversation) in _conversations.Where(c => groupIds.Contains(c.Key)))
        {
            var members = _groups.ById(groupId)?.Members ?? [];
            conversation.Tell(new GroupConversationActor.MembersChanged(members, Profiles(members)));
        }
    }

    private static DeliverToClient Delivery(GroupNotice notice) => new(notice.ClientUid, notice switch
    {
        MembershipNotice m => new GroupMembership(m.Members, m.IsOwner),
        OperationNotice r => new ClientFrame(new GroupOperationResult(r.Success, r.Message)),
        _ => throw new InvalidOperationException($"unknown notice {notice.GetType().Name}"),
    });

    private void OnTrigger(GroupTrigger trigger)
    {
        if (_groups.GroupOf(trigger.InitiatorUid) is not { Members.Count: > 1 } group)
        {
            Sender.Tell(new GroupTriggerDeclined(trigger.Input)); // the group went away meanwhile
            return;
        }
        if (_conversations.TryGetValue(group.GroupId, out var running))
        {
            // As OLV, one conversation per group: it drops a trigger while it runs, and hands back one that reaches it
            // after it ended (its Ended is then on the way here).
            _log.Info("Group {0}: a conversation is running, the trigger of {1} goes to it", group.GroupId, trigger.InitiatorUid);
            running.Forward(trigger);
            return;
        }
        // A conversation that fails stops (default supervision would restart it mid-turn with a fresh rotation); its
        // members' sessions are untouched and the next trigger starts a new one.
        var conversation = Context.ActorOf(Props.Create(() => new GroupConversationActor(
                group.GroupId, group.Members, Profiles(group.Members), trigger.InitiatorUid, trigger.Input, _registry)),
            $"conversation-{++_lastConversation}");
        Context.Watch(conversation);
        _conversations[group.GroupId] = conversation;
    }

    private void InterruptConversationOf(string clientUid, string heard)
    {
        if (_groups.GroupOf(clientUid) is { } group && _conversations.Remove(group.GroupId, out var conversation))
        {
            // Forgotten here at once: a trigger right behind the interrupt (the frontend sends interrupt-signal,
            // then text-input) starts the next conversation instead of being dropped.
            conversation.Tell(new GroupConversationActor.Interrupt(heard, []));
        }
    }

    private Dictionary<string, MemberProfile> Profiles(IEnumerable<string> members) =>
        members.Where(_profiles.ContainsKey).ToDictionary(m => m, m => _profiles[m]);

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);
}
