using Akka.Actor;
using Vtuber.Actors.Characters;
using Vtuber.Actors.Configuration;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Sessions;

/// <summary>How /user/sessions comes to life (composition root and tests alike).</summary>
public static class SessionsRoot
{
    /// <summary>
    /// Creates /user/sessions and subscribes it to ConfigChanged at once, on the caller's thread: a change published
    /// before the actor has started still lands in its mailbox.
    /// </summary>
    public static IActorRef Start(ActorSystem system, CharacterServices character, IActorRef histories,
        TurnOptions turnOptions)
    {
        var sessions = system.ActorOf(Props.Create(() => new SessionsSupervisor(character, histories, turnOptions)),
            "sessions");
        system.EventStream.Subscribe(sessions, typeof(ConfigChanged));
        return sessions;
    }
}
