using Akka.Actor;
using Vtuber.Actors.Characters;
using Vtuber.Actors.Configuration;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Sessions;

/// <summary>/user/sessions: one child per WebSocket. A child's failure never touches another session.</summary>
public sealed class SessionsSupervisor : ReceiveActor
{
    public SessionsSupervisor(CharacterServices character, IActorRef histories, TurnOptions turnOptions)
    {
        // New sessions start with the config in force (hot reload); running ones get ConfigChanged themselves.
        Receive<ConfigChanged>(m => character = m.Services);
        Receive<StartSession>(m =>
        {
            var session = Context.ActorOf(
                Props.Create(() => new SessionActor(m.ClientUid, m.Connection, character, histories, turnOptions)),
                "session-" + m.ClientUid);
            Sender.Tell(new SessionStarted(m.ClientUid, session));
        });
        Receive<GetSessionCount>(_ => Sender.Tell(new SessionCount(Context.GetChildren().Count())));
    }

    protected override void PreStart() => Context.System.EventStream.Subscribe(Self, typeof(ConfigChanged));

    // Stop, not restart: handler errors are already turned into error frames inside the session, so a crash means
    // its state (running turn, memory) is no longer trustworthy. Stopping closes that one socket (PostStop) and the
    // frontend can reconnect into a clean session; its history is safe in the journal. One-for-one keeps every
    // other session untouched.
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(_ => Directive.Stop);
}
