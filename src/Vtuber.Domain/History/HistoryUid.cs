using System.Globalization;
using System.Text.RegularExpressions;

namespace Vtuber.Domain.History;

/// <summary>
/// OLV's history id: "YYYY-MM-DD_HH-MM-SS_&lt;uuid4 hex, 32 chars&gt;" in local time. The frontend shows and sorts
/// by it, so the shape is part of the wire contract; the strict check also keeps ids out of paths and journal keys.
/// </summary>
public static partial class HistoryUid
{
    public static string New(DateTime localNow) =>
        localNow.ToString("yyyy-MM-dd_HH-mm-ss", CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N");

    public static bool IsValid(string? uid) => uid is not null && Shape().IsMatch(uid);

    // \z, not $: $ would accept a trailing newline.
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_[0-9a-f]{32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
