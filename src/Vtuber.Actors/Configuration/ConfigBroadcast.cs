using Akka.Event;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Configuration;

/// <summary>
/// How the config entity hands a journaled version to the nodes that run it. Each node's <see cref="ConfigActor"/>
/// receives it as <see cref="ConfigVersionPublished"/>, rebuilds its own engines from the YAML text and publishes
/// <see cref="ConfigChanged"/> on its own EventStream. A cluster publishes through DistributedPubSub instead of
/// <see cref="LocalConfigBroadcast"/>; the version is plain data, so it can cross nodes.
/// </summary>
public interface IConfigBroadcast
{
    void Publish(ConfigVersionV1 version);
}

/// <summary>One node: the version goes to this actor system's EventStream, where the config actor listens.</summary>
public sealed class LocalConfigBroadcast(EventStream eventStream) : IConfigBroadcast
{
    public void Publish(ConfigVersionV1 version) => eventStream.Publish(new ConfigVersionPublished(version));
}
