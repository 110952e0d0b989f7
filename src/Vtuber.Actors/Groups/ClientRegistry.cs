using Akka.Actor;

namespace Vtuber.Actors.Groups;

/// <summary>
/// /user/clients: the one way to reach a client by its uid. Sessions register themselves; the registry watches them,
/// forwards what is addressed to a uid, and tells its subscribers (the groups) who joined and who left. This is the
/// single-node implementation; on a cluster it becomes a cluster-wide directory (e.g. a shard region keyed by uid or
/// replicated data) with the same messages, and nothing that uses it changes.
/// </summary>
public sealed class ClientRegistry : ReceiveActor
{
    private readonly Dictionary<string, IActorRef> _clients = [];
    private readonly Dictionary<IActorRef, string> _uids = [];
    private readonly HashSet<IActorRef> _subscribers = [];

    public ClientRegistry()
    {
        Receive<RegisterClient>(m =>
        {
            _clients[m.ClientUid] = Sender;
            _uids[Sender] = m.ClientUid;
            Context.Watch(Sender);
            Publish(new ClientJoined(m.ClientUid));
        });
        Receive<DeliverToClient>(m =>
        {
            // A client that left meanwhile simply misses it: group notices are news, not commands that must land.
            if (_clients.TryGetValue(m.ClientUid, out var client))
            {
                client.Forward(m.Message);
            }
        });
        Receive<SubscribeClientEvents>(_ =>
        {
            _subscribers.Add(Sender);
            Context.Watch(Sender);
            // Who is here already: a subscriber that restarted knows the connected clients again at once.
            foreach (var uid in _clients.Keys)
            {
                Sender.Tell(new ClientJoined(uid));
            }
        });
        Receive<Terminated>(t =>
        {
            _subscribers.Remove(t.ActorRef);
            if (_uids.Remove(t.ActorRef, out var uid))
            {
                _clients.Remove(uid);
                Publish(new ClientLeft(uid));
            }
        });
    }

    private void Publish(object message)
    {
        foreach (var subscriber in _subscribers)
        {
            subscriber.Tell(message);
        }
    }
}
