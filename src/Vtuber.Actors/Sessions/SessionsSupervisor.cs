using Akka.Actor;
using Vtuber.Actors.Characters;
using Vtuber.Actors.Configuration;
using Vtuber.Actors.Groups;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Sessions;

/// <summary>/user/sessions: one child per WebSocket. A child's failure never touches another session.</summary>
public sealed class SessionsSupervisor : ReceiveActor
{
    public SessionsSupervisor(CharacterServices character, IActorRef histories, TurnOptions turnOptions, GroupLinks groups,
        IActorRef? memories = null)
    {
        // New sessions start with the config in force (hot reload), and every change reaches the running ones through
        // here: a session created while a change waited in this mailbox gets it next, which its own event-stream
        // subscription (made later, in its PreStart) could miss.
        Receive<ConfigChanged>(m =>
        {
            character = m.Services;
            foreach (var session in Context.GetChildren()) session.Forward(m);
        });
        Receive<StartSession>(m =>
        {
            var resume = new SessionResume();
            var current = character;
            var session = Context.ActorOf(
                Props.Create(() => new SessionActor(m.ClientUid, m.Connection, current, histories, turnOptions, groups, resume, memories)),
                "session-" + m.ClientUid);
            Sender.Tell(new SessionStarted(m.ClientUid, session));
        });
        Receive<GetSessionCount>(_ => Sender.Tell(new SessionCount(Context.GetChildren().Count())));
        Receive<StopAllSessions>(_ =>
        {
            _stopWaiters.Add(Sender);
            foreach (var session in Context.GetChildren())
            {
                Context.Watch(session);
                Context.Stop(session);
            }
            ReplyIfAllStopped();
        });
        Receive<Terminated>(_ => ReplyIfAllStopped());
    }

    private readonly List<IActorRef> _stopWaiters = [];

    private void ReplyIfAllStopped()
    {
        // GetChildren still lists a child until its Terminated is processed.
        if (_stopWaiters.Count > 0 && !Context.GetChildren().Any())
        {
            _stopWaiters.ForEach(w => w.Tell(Akka.Done.Instance));
            _stopWaiters.Clear();
        }
    }

    /// <summary>
    /// Shutdown, before the histories drain: every session stops, which closes its socket, cancels its turn and hands
    /// its unsent history writes to the histories — so a reply that ended just before shutdown is still written.
    /// </summary>
    public static void StopSessionsBeforeHistoriesDrain(ActorSystem system, IActorRef sessions) =>
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "stop-sessions",
            () => sessions.Ask<Akka.Done>(StopAllSessions.Instance, TimeSpan.FromSeconds(10)));


    /// <summary>More crashes than this within <see cref="CrashWindow"/> stop the session (its socket closes).</summary>
    public const int MaxRestarts = 3;
    public static readonly TimeSpan CrashWindow = TimeSpan.FromMinutes(1);

    // Restart in place: a crash drops the session's running turn and memory but keeps its socket; the new
    // incarnation tells the client once and rebuilds the memory from the journal (SessionActor.PreRestart). A
    // session that keeps crashing is stopped, which closes that one socket. One-for-one: no other session notices.
    // A session that cannot even be constructed is stopped at once.
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(MaxRestarts, CrashWindow, e => e is ActorInitializationException
            ? Directive.Stop
            : Directive.Restart);
}
