using Vtuber.Domain.Config;

namespace Vtuber.Domain.Text;

/// <summary>Everything a turn's <see cref="SentenceShaper"/> needs from the character config and model_dict.</summary>
/// <param name="EmotionMap">model_dict emotionMap, keys lower-case.</param>
public sealed record ShaperOptions(
    bool FasterFirstResponse,
    SegmentMethod SegmentMethod,
    IReadOnlyDictionary<string, Expression> EmotionMap,
    TtsPreprocessorConfig TtsFilter,
    string CharacterName,
    string Avatar);
