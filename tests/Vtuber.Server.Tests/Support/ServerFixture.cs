namespace Vtuber.Server.Tests.Support;

/// <summary>One running server shared by the tests of a class (xunit runs them one after another).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await RunningServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
