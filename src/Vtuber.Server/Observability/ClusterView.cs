namespace Vtuber.Server.Observability;

/// <summary>One node of the cluster as the dashboard shows it.</summary>
public sealed record ClusterMember(string Address, string Status, IReadOnlyList<string> Roles);

/// <summary>
/// The hook for a clustered server: register an implementation (services.AddSingleton&lt;IClusterView, ...&gt;)
/// and the dashboard lists its members; register a health check tagged <see cref="HealthEndpoints.ReadyTag"/>
/// ("cluster joined") and /health/ready and the dashboard include it. A single node registers neither.
/// </summary>
public interface IClusterView
{
    IReadOnlyList<ClusterMember> Members { get; }
}
