using Vtuber.Actors.Sessions;

namespace Vtuber.Actors.Tests.Sessions;

public sealed class TurnGateTests
{
    [Fact]
    public void A_finished_turn_still_passes_after_the_next_opens_and_a_cancelled_one_does_not()
    {
        var gate = new TurnGate();
        gate.Open(1);
        gate.Finish(1);
        gate.Open(2);

        Assert.True(gate.Admits(1)); // its chain-end, still queued
        Assert.True(gate.Admits(2));
        Assert.True(gate.Admits(0));

        gate.Shut(); // turn 2 interrupted
        gate.Open(3);
        Assert.False(gate.Admits(2));
        Assert.True(gate.Admits(3));
    }
}
