using Akka.Actor;
using Akka.Event;
using Vtuber.Actors.Sessions;
using Vtuber.Actors.Voice;
using Vtuber.Domain.Config;
using Vtuber.Domain.Proxy;
using Vtuber.Protocol;

namespace Vtuber.Actors.Proxy;

/// <summary>
/// /user/proxy (olv-protocol 9.3): one session shared by every /proxy-ws client and the live-chat bridges. OLV's proxy
/// is a second WebSocket client of its own /client-ws; here the session is the ordinary SessionActor in-process, its
/// connection a fan-out to the members, so there is no upstream socket whose heartbeat or reconnect could stop (OLV's
/// quirk: after the last client left they never started again). The session outlives its members; when it stops
/// (a crash past the supervisor's restarts) the hub starts a new one, which greets the members still here.
/// text-input waits in a bounded queue and goes to the session one at a time, while no conversation runs.
/// </summary>
public sealed class ProxyHub : ReceiveActor, IWithTimers
{
    /// <summary>How long after the shared session stopped the next one starts: a session that crashes at once must
    /// not spin.</summary>
    public static readonly TimeSpan SessionRestartDelay = TimeSpan.FromSeconds(1);

    private readonly IActorRef _sessions;
    private readonly ProxyOptions _options;
    private readonly TurnGate _gate;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, IClientConnection> _members = new(StringComparer.Ordinal);
    private readonly ProxyInputQueue<QueuedInput> _queue;
    private ProxyFanOut? _fanOut;
    private IActorRef? _session;

    public ProxyHub(IActorRef sessions, ProxyOptions options, TurnGate gate)
    {
        _sessions = sessions;
        _options = options;
        _gate = gate;
        _queue = new ProxyInputQueue<QueuedInput>(options.MaxQueuedInputs);

        Receive<JoinProxy>(m =>
        {
            _members[m.MemberId] = m.Connection;
            PublishMembers();
            Sender.Tell(new ProxyJoined(m.MemberId));
            // As OLV's proxy asks upstream for each new client: set-model-and-conf, which every member gets.
            _session?.Tell(new RequestInitConfig());
            _log.Info("Proxy client {0} joined; {1} connected", m.MemberId, _members.Count);
        });
        Receive<LeaveProxy>(m =>
        {
            if (_members.Remove(m.MemberId)) PublishMembers();
            _log.Info("Proxy client {0} left; {1} connected", m.MemberId, _members.Count);
        });
        Receive<FromMember>(m => OnMemberMessage(m.MemberId, m.Message));
        Receive<LiveComment>(m =>
        {
            if (!_queue.Offer(new QueuedInput(null, new TextInput(m.Text, []))))
            {
                _log.Warning("Proxy queue full ({0} inputs, system_config.proxy.max_queued_inputs): dropped a {1} comment from {2}",
                    _options.MaxQueuedInputs, m.Platform, m.Author);
                return;
            }
            Pump();
        });
        Receive<ConversationStarted>(m =>
        {
            if (m.Source == _fanOut) _queue.ConversationStarted();
        });
        Receive<ConversationEnded>(m =>
        {
            if (m.Source != _fanOut) return; // a stopped session's last frames
            _queue.ConversationEnded();
            Pump();
        });
        Receive<SessionStarted>(m =>
        {
            _session = m.Session;
            Context.Watch(m.Session);
            Pump();
        });
        Receive<Status.Failure>(f =>
        {
            _log.Error(f.Cause, "The proxy session could not be started; trying again");
            Timers.StartSingleTimer(RestartKey, StartSession.Instance, SessionRestartDelay);
        });
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(_session)) return;
            _session = null;
            _queue.ConversationEnded();
            if (CoordinatedShutdown.Get(Context.System).ShutdownReason is not null) return; // the server is stopping
            _log.Warning("The proxy session stopped; a new one starts in {0}", SessionRestartDelay);
            Timers.StartSingleTimer(RestartKey, StartSession.Instance, SessionRestartDelay);
        });
        Receive<StartSession>(_ => Start());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private const string RestartKey = "restart-session";

    protected override void PreStart() => Start();

    private void Start()
    {
        _fanOut = new ProxyFanOut(_gate, Self, TimeSpan.FromSeconds(_options.MemberSendTimeoutSeconds));
        PublishMembers();
        // The members share one client uid upstream (olv-protocol 9.3); a new session is a new uid, as OLV's reconnect.
        _sessions.Ask<Sessions.SessionStarted>(new Sessions.StartSession("proxy-" + Guid.NewGuid(), _fanOut), TimeSpan.FromSeconds(10))
            .PipeTo(Self, success: s => new SessionStarted(s.Session));
    }

    private void OnMemberMessage(string memberId, object message)
    {
        if (!_members.TryGetValue(memberId, out var member))
        {
            return; // already left
        }
        switch (message)
        {
            case TextInput text when string.IsNullOrWhiteSpace(text.Text) && text.Images.Count == 0:
                // The session's own answer, but to the sender only: nothing to queue.
                Reply(member, new ErrorMessage("Invalid 'text-input' message: text is empty"));
                break;
            case TextInput text:
                if (!_queue.Offer(new QueuedInput(memberId, text)))
                {
                    Reply(member, new ErrorMessage(
                        $"Too many messages waiting: the proxy queue holds {_options.MaxQueuedInputs} text inputs " +
                        "(system_config.proxy.max_queued_inputs); this one was not sent"));
                    return;
                }
                Pump();
                break;
            case Heartbeat:
                Reply(member, new HeartbeatAck()); // the member's own socket is alive; the others need not hear of it
                break;
            case InterruptSignal or SwitchConfig:
                // Both end the running turn (a switch interrupts it) without a chain-end: the next input may go.
                _queue.ConversationEnded();
                ToSession(message);
                Pump();
                break;
            default:
                ToSession(message);
                break;
        }
    }

    /// <summary>Forwarded, so a session's answer to an ask (audio, inbound marks) goes to the member's reader.</summary>
    private void ToSession(object message)
    {
        if (_session is not null)
        {
            _session.Forward(message);
            return;
        }
        // Between two sessions: the reader must not wait for an answer nobody gives, and audio is let go.
        switch (message)
        {
            case MicAudioData audio:
                audio.Samples.Dispose();
                Sender.Tell(AudioAccepted.Instance);
                break;
            case RawAudioData audio:
                audio.Samples.Dispose();
                Sender.Tell(AudioAccepted.Instance);
                break;
            case InboundMark:
                Sender.Tell(InboundCaughtUp.Instance);
                break;
        }
    }

    /// <summary>The next queued input, if the conversation is free: shown to the other members, then sent.</summary>
    private void Pump()
    {
        if (_session is null || !_queue.TryTakeNext(out var input)) return;
        var echo = ServerMessageJson.Serialize(new UserInputTranscription(input.Message.Text));
        foreach (var (id, member) in _members)
        {
            if (id != input.MemberId) member.TryEnqueue(new OutboundFrame(0, echo));
        }
        _session.Tell(input.Message);
    }

    private void PublishMembers() => _fanOut?.SetMembers([.. _members.Values]);

    private static void Reply(IClientConnection member, ServerMessage message) =>
        member.TryEnqueue(new OutboundFrame(0, ServerMessageJson.Serialize(message)));

    /// <summary>A text-input waiting; MemberId null for a live comment (every member sees it echoed).</summary>
    private sealed record QueuedInput(string? MemberId, TextInput Message);

    private sealed record SessionStarted(IActorRef Session);

    private sealed record StartSession
    {
        public static readonly StartSession Instance = new();
    }

    internal sealed record ConversationStarted(ProxyFanOut Source);

    internal sealed record ConversationEnded(ProxyFanOut Source);
}
