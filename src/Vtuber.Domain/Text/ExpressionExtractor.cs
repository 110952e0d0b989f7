namespace Vtuber.Domain.Text;

/// <summary>
/// OLV's Live2dModel.extract_emotion: every "[key]" of the emotion map in a sentence, in order of appearance,
/// duplicates kept, case-insensitive. The tags are left in the text.
/// </summary>
public sealed class ExpressionExtractor
{
    private readonly KeyValuePair<string, Expression>[] _tags;

    public ExpressionExtractor(IReadOnlyDictionary<string, Expression> emotionMap)
    {
        // OLV lower-cases the emotionMap keys; of keys that collide that way the later one wins, as in its dict.
        var byLowerKey = new Dictionary<string, Expression>(StringComparer.Ordinal);
        foreach (var (key, expression) in emotionMap)
        {
            byLowerKey[key.ToLowerInvariant()] = expression;
        }

        _tags = byLowerKey.Select(pair => KeyValuePair.Create($"[{pair.Key}]", pair.Value)).ToArray();
    }

    public IReadOnlyList<Expression> Extract(string sentence)
    {
        var text = sentence.ToLowerInvariant();
        var found = new List<Expression>();
        var at = text.IndexOf('[', StringComparison.Ordinal);
        while (at >= 0)
        {
            var next = at + 1;
            foreach (var (tag, expression) in _tags)
            {
                if (string.CompareOrdinal(text, at, tag, 0, tag.Length) == 0)
                {
                    found.Add(expression);
                    next = at + tag.Length;
                    break;
                }
            }

            at = next < text.Length ? text.IndexOf('[', next) : -1;
        }

        return found;
    }
}
