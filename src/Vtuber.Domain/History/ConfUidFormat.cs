using System.Text.RegularExpressions;

namespace Vtuber.Domain.History;

/// <summary>
/// Which character-config ids may name a history folder. OLV reduces the id to a base name and checks it against an
/// allowed-character pattern; we reject instead of reducing, so "../x" never silently becomes "x". '|' is refused
/// too because it separates the parts of our persistence ids.
/// </summary>
public static partial class ConfUidFormat
{
    public const int MaxLength = 255;

    public static bool IsValid(string? confUid) =>
        confUid is { Length: > 0 and <= MaxLength }
        && confUid != "." && confUid != ".."
        && Allowed().IsMatch(confUid);

    // Letters and digits of any script (OLV's \w is Unicode), plus the punctuation OLV conf ids use.
    [GeneratedRegex(@"^[\p{L}\p{N}_\-. ]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Allowed();
}
