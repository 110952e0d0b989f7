using Vtuber.Domain.Audio;
using Vtuber.Speech.Audio;

namespace Vtuber.Speech.Tts;

/// <summary>Any engine with tts_config.post_processing applied to its audio: the one place post-processing happens.</summary>
public sealed class PostProcessedTts(ITtsEngine engine, AudioPostProcessor postProcessor) : ITtsEngine
{
    public string Name => engine.Name;

    public ITtsEngine Engine => engine;

    public async Task<Pcm16Audio> SynthesizeAsync(string text, CancellationToken cancellationToken) =>
        postProcessor.Process(await engine.SynthesizeAsync(text, cancellationToken));
}
