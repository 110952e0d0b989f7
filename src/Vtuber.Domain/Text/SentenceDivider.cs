using System.Buffers;

namespace Vtuber.Domain.Text;

/// <summary>
/// OLV's streaming sentence divider (utils/sentence_divider.py): LLM tokens in, sentences and think tags out.
/// One per turn, not thread-safe.
/// </summary>
/// <remarks>
/// The buffer is examined after every character, not after every token. The result is then the same however the
/// LLM chunks its output, a tag split across tokens ("&lt;thi" + "nk&gt;") is simply not complete yet, and no
/// sentence waits for a later token to be noticed.
/// </remarks>
public sealed class SentenceDivider(bool fasterFirstResponse, SegmentMethod segmentMethod)
{
    public const string ThinkTag = "think";

    // OLV's comma list. OLV cuts at the first comma *type* in this order that the buffer holds; looking after
    // every character, the buffer never holds two, so the cut is simply at the first comma to arrive.
    private static readonly SearchValues<char> Commas = SearchValues.Create(",،，、፣၊;΄‛।﹐꓾⹁︐﹑､");

    private static readonly (string Text, TagState State)[] ThinkTags =
    [
        ($"<{ThinkTag}>", TagState.Start),
        ($"</{ThinkTag}>", TagState.End),
        ($"<{ThinkTag}/>", TagState.SelfClosing),
    ];

    private readonly List<string> _openTags = [];
    private string _buffer = "";
    private bool _firstSentencePending = true;

    /// <summary>Adds a token; returns the items it finished, in order.</summary>
    public IReadOnlyList<SentenceWithTags> Push(string token)
    {
        var output = new List<SentenceWithTags>();
        foreach (var c in token)
        {
            _buffer += c;
            if (char.IsHighSurrogate(c))
            {
                continue; // decide on whole code points only
            }

            // Tags first, then the first-sentence comma, then sentence ends: OLV's order. Each step shrinks the buffer.
            while (TakeTag(output) || CutFirstSentenceAtComma(output) || CutSentence(output))
            {
                // repeat until nothing more is finished
            }
        }

        return output;
    }

    /// <summary>
    /// End of stream: whatever is left is one last segment. It holds no finished sentence (those left at once),
    /// only text whose end could not be confirmed yet, e.g. "Nice to meet you." or "Call Mr.".
    /// </summary>
    public IReadOnlyList<SentenceWithTags> Complete()
    {
        var output = new List<SentenceWithTags>();
        Emit(_buffer, output);
        _buffer = "";
        return output;
    }

    private bool TakeTag(List<SentenceWithTags> output)
    {
        var position = -1;
        var found = ThinkTags[0];
        foreach (var tag in ThinkTags)
        {
            var at = _buffer.IndexOf(tag.Text, StringComparison.Ordinal);
            if (at >= 0 && (position < 0 || at < position))
            {
                (position, found) = (at, tag);
            }
        }

        if (position < 0)
        {
            return false;
        }

        // Text before a tag is a segment of its own, finished or not.
        Emit(_buffer[..position], output);
        switch (found.State)
        {
            case TagState.Start:
                _openTags.Add(ThinkTag);
                break;
            case TagState.End when _openTags.Count > 0 && _openTags[^1] == ThinkTag:
                _openTags.RemoveAt(_openTags.Count - 1);
                break;
        }

        output.Add(new SentenceWithTags(found.Text, [new TagInfo(ThinkTag, found.State)]));
        _buffer = _buffer[(position + found.Text.Length)..].TrimStart();
        return true;
    }

    /// <summary>faster_first_response: the first spoken sentence ends at a comma, so its audio starts sooner.</summary>
    private bool CutFirstSentenceAtComma(List<SentenceWithTags> output)
    {
        // Think text is silent, so cutting it gains nothing; the first spoken sentence keeps the privilege.
        if (!fasterFirstResponse || !_firstSentencePending || _openTags.Count > 0)
        {
            return false;
        }

        var at = _buffer.AsSpan().IndexOfAny(Commas);
        if (at < 0)
        {
            return false;
        }

        Emit(_buffer[..at].Trim() + _buffer[at], output);
        _buffer = _buffer[(at + 1)..];
        return true;
    }

    private bool CutSentence(List<SentenceWithTags> output)
    {
        var end = SentenceBoundary.FindEnd(_buffer, segmentMethod);
        if (end < 0)
        {
            return false;
        }

        Emit(_buffer[..end], output);
        _buffer = _buffer[end..];
        return true;
    }

    private void Emit(string text, List<SentenceWithTags> output)
    {
        var sentence = text.Trim();
        if (sentence.Length == 0)
        {
            return;
        }

        var tags = _openTags.Select(name => new TagInfo(name, TagState.Inside)).ToArray();
        output.Add(new SentenceWithTags(sentence, tags));
        if (tags.Length == 0)
        {
            _firstSentencePending = false;
        }
    }
}
