using Akka.Actor;
using Vtuber.Domain.Groups;
using Vtuber.Domain.History;
using Vtuber.Protocol;

namespace Vtuber.Actors.Groups;

/// <summary>
/// One group conversation (olv-protocol 9.1), from a member's trigger until it is interrupted, its rounds are used
/// up (system_config.group.max_rounds) or fewer than two members are left. It only sequences: each member speaks
/// in its own session, as its own character with its own memory and turn graph, and reports back; the order is
/// <see cref="GroupRoundRobin"/>. The frames around a turn are sent as OLV sends them: chain start and "Thinking..."
/// to all, audio only to the speaker (its frontend's audio-play-start forwards silent copies), tool statuses to all,
/// then force-new-message to the others and chain end to all (the speaker has both from its own turn already, so it
/// gets the chain end twice, as from OLV). Every member's history gets the human's input and every reply.
/// </summary>
public sealed class GroupConversationActor : ReceiveActor
{
    private readonly IActorRef _registry;
    private readonly GroupRoundRobin _turns;
    private readonly GroupInput _input;
    private readonly string _initiatorUid;
    private IReadOnlyList<string> _members;
    private IReadOnlyDictionary<string, MemberProfile> _profiles;
    private long _seq;

    public GroupConversationActor(string groupId, IReadOnlyList<string> members,
        IReadOnlyDictionary<string, MemberProfile> profiles, string initiatorUid, GroupInput input, IActorRef registry)
    {
        GroupId = groupId;
        _registry = registry;
        _members = members;
        _profiles = profiles;
        _input = input;
        _turns = new GroupRoundRobin(members, input.HumanName, input.Text, input.MaxRounds);

        Receive<GroupTrigger>(_ => { }); // as OLV: a trigger while the group's conversation runs is dropped
        Receive<MemberSpoke>(OnSpoke);
        Receive<BroadcastToOthers>(m => Broadcast(new ClientFrame(m.Message), except: m.SpeakerUid));
        Receive<Interrupt>(m =>
        {
            OnInterrupt(m.Heard);
            foreach (var delivery in m.Then)
            {
                _registry.Tell(delivery);
            }
        });
        Receive<MembersChanged>(m =>
        {
            _members = m.Members;
            _profiles = m.Profiles;
            _turns.MembersAre(m.Members);
            if (_turns.Members.Count < 2)
            {
                OnInterrupt(""); // nobody left to talk with: stopped as if interrupted, so the last one stops too
            }
        });
        _initiatorUid = initiatorUid;
    }

    public string GroupId { get; }

    protected override void PreStart()
    {
        // The trigger's own text reached the initiator already (its chat or its transcription).
        Broadcast(new ClientFrame(new UserInputTranscription(_input.Text)), except: _initiatorUid);
        if (!_input.Proactive) // the proactive prompt is an instruction, never history
        {
            Broadcast(new GroupRecord(ChatRecord.Human, _input.Text, _input.HumanName, null));
        }
        NextTurn();
    }

    private void NextTurn()
    {
        if (_turns.Next() is not { } turn)
        {
            End();
            return;
        }
        _seq++;
        // The speaker's session opens its turn with the same two frames itself.
        Broadcast(new ClientFrame(new Control(Control.ConversationChainStart)), except: turn.MemberUid);
        Broadcast(new ClientFrame(new FullText(FullText.Thinking)), except: turn.MemberUid);
        // As OLV, the trigger's images go with every member's turn.
        _registry.Tell(new DeliverToClient(turn.MemberUid, new SpeakInGroup(Self, _seq, turn.Context, _input.Images)));
    }

    private void OnSpoke(MemberSpoke spoke)
    {
        if (spoke.Seq != _seq)
        {
            return; // a turn of before an interrupt
        }
        Broadcast(new ClientFrame(new ForceNewMessage()), except: spoke.ClientUid);
        Broadcast(new ClientFrame(new Control(Control.ConversationChainEnd)));
        if (spoke.Reply.Length > 0)
        {
            Broadcast(new GroupRecord(ChatRecord.Ai, spoke.Reply, spoke.Name, spoke.Avatar));
        }
        _turns.Spoke(spoke.ClientUid, spoke.Name, spoke.Reply);
        NextTurn();
    }

    private void OnInterrupt(string heard)
    {
        var speaker = _turns.Speaker;
        if (speaker is not null)
        {
            _registry.Tell(new DeliverToClient(speaker, new CancelGroupTurn(_seq)));
        }
        // As OLV: the heard text is named after the speaker, or the first member between turns.
        var named = speaker ?? (_members.Count > 0 ? _members[0] : null);
        var profile = named is not null ? _profiles.GetValueOrDefault(named) : null;
        foreach (var member in _members)
        {
            _registry.Tell(new DeliverToClient(member,
                new GroupTurnInterrupted(heard, profile?.CharacterName ?? "", profile?.Avatar ?? "", member == speaker)));
        }
        Broadcast(new ClientFrame(new GroupInterrupted()));
        End();
    }

    /// <summary>
    /// The groups actor forgets this conversation and then stops it with a PoisonPill, which queues behind any trigger
    /// it forwarded meanwhile: such a trigger came after the end, so it goes back to start the next conversation.
    /// </summary>
    private void End()
    {
        Context.Parent.Tell(new Ended(GroupId));
        Become(() =>
        {
            Receive<GroupTrigger>(trigger => Context.Parent.Forward(trigger));
            ReceiveAny(_ => { }); // late news of a finished conversation
        });
    }

    private void Broadcast(object message, string? except = null)
    {
        foreach (var member in _members.Where(m => m != except))
        {
            _registry.Tell(new DeliverToClient(member, message));
        }
    }

    /// <summary>
    /// Stops the conversation: the speaker's turn is cancelled, the heard text recorded, all members told; then the
    /// deliveries of Then go out (the notices of a member's departure, after the interrupt as OLV sends them).
    /// </summary>
    public sealed record Interrupt(string Heard, IReadOnlyList<DeliverToClient> Then);

    /// <summary>To the groups actor: this conversation is over (ended or interrupted) and takes no more triggers.</summary>
    public sealed record Ended(string GroupId);

    /// <summary>The group's members now (from the groups actor, after an invite, a removal or a disconnect).</summary>
    public sealed record MembersChanged(IReadOnlyList<string> Members, IReadOnlyDictionary<string, MemberProfile> Profiles);
}
