namespace Vtuber.Domain.Text;

/// <summary>Where a divider item stands relative to a tag such as &lt;think&gt;.</summary>
public enum TagState
{
    /// <summary>The opening tag itself, e.g. &lt;think&gt;.</summary>
    Start,

    /// <summary>Text between an opening and a closing tag.</summary>
    Inside,

    /// <summary>The closing tag itself, e.g. &lt;/think&gt;.</summary>
    End,

    /// <summary>A self-closing tag, e.g. &lt;think/&gt;.</summary>
    SelfClosing,
}

public sealed record TagInfo(string Name, TagState State);

/// <summary>
/// One item out of the divider: a sentence, or a tag on its own. Tags is empty for plain text, holds the single
/// tag for a tag item, and every open tag (outermost first, state Inside) for text inside tags.
/// </summary>
public sealed record SentenceWithTags(string Text, IReadOnlyList<TagInfo> Tags);
