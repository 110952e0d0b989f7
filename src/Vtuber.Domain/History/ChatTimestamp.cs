using System.Globalization;

namespace Vtuber.Domain.History;

/// <summary>OLV's record timestamp: local time, ISO 8601, seconds precision, no offset ("2026-02-11T13:14:30").</summary>
public static class ChatTimestamp
{
    public static string Format(DateTime localTime) =>
        localTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}
