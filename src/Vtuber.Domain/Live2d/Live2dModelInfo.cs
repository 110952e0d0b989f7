using Vtuber.Domain.Text;

namespace Vtuber.Domain.Live2d;

/// <summary>
/// One model_dict.json entry. RawJson is the entry exactly as in the file: set-model-and-conf sends it verbatim.
/// EmotionMap keys are lower-cased, as OLV does before matching [tags].
/// </summary>
public sealed record Live2dModelInfo(string Name, string RawJson, IReadOnlyDictionary<string, Expression> EmotionMap);
