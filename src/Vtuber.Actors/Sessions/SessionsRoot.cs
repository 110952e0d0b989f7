using Akka.Actor;
using Vtuber.Actors.Characters;
using Vtuber.Actors.Configuration;
using Vtuber.Actors.Groups;
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
        TurnOptions turnOptions, IActorRef? memories = null)
    {
        // Group chat reaches members by client uid through the registry; the groups subscribe to it before any
        // session exists. Default supervision (restart) for both: neither holds a socket, so every session keeps
        // running; a restarted groups actor has lost who is in which group (members' triggers are then answered
        // alone) but learns the connected clients again from the registry.
        var registry = system.ActorOf(Props.Create(() => new ClientRegistry()), "clients");
        var groups = system.ActorOf(Props.Create(() => new GroupsActor(registry)), "groups");
        var links = new GroupLinks(registry, groups);
        var sessions = system.ActorOf(Props.Create(() => new SessionsSupervisor(character, histories, turnOptions, links, memories)),
            "sessions");
        system.EventStream.Subscribe(sessions, typeof(ConfigChanged));
        return sessions;
    }
}
