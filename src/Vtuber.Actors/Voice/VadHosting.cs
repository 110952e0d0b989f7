using Akka.Hosting;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Voice;

public static class VadHosting
{
    /// <summary>
    /// Loads hocon/vad.conf (batch size, queue, the inference dispatcher) and, when the character uses silero_vad,
    /// loads the model at start-up so a missing or broken model fails the start, not the first speaker.
    /// </summary>
    public static AkkaConfigurationBuilder WithServerVad(this AkkaConfigurationBuilder akka, VadConfig vad)
    {
        akka.AddHoconFile(Path.Combine(AppContext.BaseDirectory, "hocon", "vad.conf"), HoconAddMode.Prepend);
        if (vad.VadModel == VadConfig.SileroVad)
        {
            akka.AddStartup((system, _) => VadBatcher.For(system));
        }
        return akka;
    }
}
