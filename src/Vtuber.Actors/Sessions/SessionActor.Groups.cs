using Akka.Actor;
using Vtuber.Actors.Groups;
using Vtuber.Agents;
using Vtuber.Domain.History;
using Vtuber.Protocol;

namespace Vtuber.Actors.Sessions;

/// <summary>The session's part in group chat (olv-protocol 2.12, 9.1): the rest lives in Actors/Groups.</summary>
public sealed partial class SessionActor
{
    private readonly GroupLinks _groupLinks;
    // The group as this client last heard of it (its last group-update): decides whether a trigger is the group's.
    private GroupMembership _groupMembership;

    /// <summary>The group conversation a running turn belongs to, and which of its turns it is.</summary>
    private sealed record GroupTurnLink(IActorRef Conversation, long Seq);

    private bool InGroup => _groupMembership.Members.Count > 1;

    private void ReceiveGroupMessages()
    {
        Receive<AddClientToGroup>(m => _groupLinks.Groups.Tell(new InviteToGroup(_clientUid, m.InviteeUid)));
        Receive<RemoveClientFromGroup>(m => _groupLinks.Groups.Tell(new RemoveFromGroup(_clientUid, m.TargetUid)));
        // Answered from what this client was last told, so it costs no round trip and never fails.
        Receive<RequestGroupInfo>(_ => Send(GroupUpdateFrame()));
        Receive<GroupMembership>(m =>
        {
            _groupMembership = m;
            Send(GroupUpdateFrame());
        });
        Receive<ClientFrame>(m => Send(m.Message));
        Receive<AudioPlayStart>(OnAudioPlayStart);
        Receive<GroupTriggerDeclined>(m =>
            StartReply(OpenTurn(), new UserInput(m.Input.Text, m.Input.Images, SkipMemory: m.Input.Proactive),
                storeHumanRecord: !m.Input.Proactive));
        Receive<SpeakInGroup>(m =>
        {
            var turn = OpenTurn();
            turn.Group = new GroupTurnLink(m.Conversation, m.Seq);
            // The human's input is stored by the group for every member, so not here.
            StartReply(turn, new UserInput(m.Context, m.Images), storeHumanRecord: false);
        });
        Receive<CancelGroupTurn>(m =>
        {
            if (_turn is { Group: { } link } turn && link.Seq == m.Seq)
            {
                Cancel(turn);
                _turn = null;
                ApplyPendingConfig();
            }
        });
        Receive<GroupRecord>(m => Store(new ChatRecord(m.Role, Now(), m.Content, m.Name, m.Avatar)));
        Receive<GroupTurnInterrupted>(m =>
        {
            if (m.WasSpeaking)
            {
                _agent.HandleInterrupt(m.Heard); // its own words; the others' memories never had them
            }
            Store(new ChatRecord(ChatRecord.Ai, Now(), m.Heard, m.SpeakerName, m.SpeakerAvatar),
                new ChatRecord(ChatRecord.System, Now(), ChatRecord.InterruptedMarker));
        });
    }

    private GroupUpdate GroupUpdateFrame() =>
        _groupMembership.Members.Count == 0 ? GroupUpdate.Alone : new GroupUpdate(_groupMembership.Members, _groupMembership.IsOwner);

    /// <summary>First start only: the registry watches this session from now on, the groups learn its character.</summary>
    private void JoinRegistry()
    {
        _groupLinks.Registry.Tell(new RegisterClient(_clientUid));
        SendProfile();
    }

    private void SendProfile() => _groupLinks.Groups.Tell(
        new MemberProfile(_clientUid, _character.Character.CharacterName, _character.Character.Avatar));

    /// <summary>In a group of more than one, a trigger starts (or, while one runs, does not start) its conversation.</summary>
    private bool TryTriggerGroup(UserInput input, bool proactive)
    {
        if (!InGroup)
        {
            return false;
        }
        _groupLinks.Groups.Tell(new GroupTrigger(_clientUid, new GroupInput(input.Text, input.Images,
            _character.Character.HumanName, proactive, _character.Config.System.Group.MaxRounds)));
        return true;
    }

    /// <summary>A voice trigger in a group: transcribed here, answered by the group (the transcription went out already).</summary>
    private bool TryTriggerGroupWithTranscript(RunningTurn turn, string text)
    {
        if (!InGroup)
        {
            return false;
        }
        FinishTurn(turn); // the local turn only transcribed: it ends, and the group's first speaker opens the next
        return TryTriggerGroup(new UserInput(text, turn.Images), proactive: false);
    }

    private void OnInterruptSignal(string heard)
    {
        if (InGroup)
        {
            _groupLinks.Groups.Tell(new InterruptGroup(_clientUid, heard));
        }
        if (_turn is not { Group: not null })
        {
            Interrupt(heard); // a turn of its own (none, in a group): as alone
        }
    }

    /// <summary>olv-protocol 2.12: the sentence this frontend starts playing is shown, silent, to the other members.</summary>
    private void OnAudioPlayStart(AudioPlayStart played)
    {
        if (!InGroup || played.DisplayText is not { } display)
        {
            return;
        }
        var copy = new ClientFrame(new AudioMessage(null, [], Turns.SentenceRenderer.SliceLength, display, null, Forwarded: true));
        foreach (var member in _groupMembership.Members.Where(m => m != _clientUid))
        {
            _groupLinks.Registry.Tell(new DeliverToClient(member, copy));
        }
    }

    private void ReportGroupTurn(RunningTurn turn, string reply)
    {
        if (turn.Group is { } link)
        {
            turn.Group = null; // reported once
            link.Conversation.Tell(new MemberSpoke(link.Seq, _clientUid, _character.Character.CharacterName,
                _character.Character.Avatar, reply));
        }
    }
}
