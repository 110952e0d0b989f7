using System.Buffers;

namespace Vtuber.Protocol;

/// <summary>
/// The image data URLs clients may attach: data:image/&lt;type&gt;[;param=value]*;base64,&lt;base64&gt;. Checked at the
/// edge because the LLM layer (Microsoft.Extensions.AI DataContent) throws on anything else, and it runs on the
/// session's thread.
/// </summary>
public static class ImageDataUrl
{
    private const string Prefix = "data:";
    private const string Base64Marker = ";base64";

    // RFC 6838 restricted-name characters (media type and subtype names, parameter names and values here).
    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&^_.+-");

    private static readonly SearchValues<char> Base64Chars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/");

    /// <summary>The media type ("image/jpeg") of a well-formed image data URL with non-empty base64 data, else null.</summary>
    public static string? MimeTypeOf(string dataUrl)
    {
        var span = dataUrl.AsSpan();
        var comma = span.IndexOf(',');
        if (!span.StartsWith(Prefix, StringComparison.Ordinal) || comma < 0 || !IsBase64(span[(comma + 1)..]))
        {
            return null;
        }
        var header = span[Prefix.Length..comma];
        if (!header.EndsWith(Base64Marker, StringComparison.Ordinal))
        {
            return null;
        }
        header = header[..^Base64Marker.Length];
        var parameters = header.IndexOf(';');
        var mediaType = parameters < 0 ? header : header[..parameters];
        if (!IsImageMediaType(mediaType))
        {
            return null;
        }
        for (var rest = parameters < 0 ? [] : header[(parameters + 1)..]; !rest.IsEmpty;)
        {
            var end = rest.IndexOf(';');
            var parameter = end < 0 ? rest : rest[..end];
            var equals = parameter.IndexOf('=');
            if (equals <= 0 || !IsName(parameter[..equals]) || !IsName(parameter[(equals + 1)..]))
            {
                return null;
            }
            rest = end < 0 ? [] : rest[(end + 1)..];
        }
        return mediaType.ToString();
    }

    public static bool IsImageMediaType(ReadOnlySpan<char> mediaType) =>
        mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) && IsName(mediaType["image/".Length..]);

    private static bool IsName(ReadOnlySpan<char> name) =>
        name.Length is > 0 and <= 127 && name.IndexOfAnyExcept(NameChars) < 0;

    // Padded base64 without whitespace: what browsers' toDataURL/FileReader write and what DataContent accepts.
    private static bool IsBase64(ReadOnlySpan<char> data)
    {
        if (data.IsEmpty || data.Length % 4 != 0)
        {
            return false;
        }
        var unpadded = data[^1] != '=' ? data : data[^2] != '=' ? data[..^1] : data[..^2];
        return unpadded.IndexOfAnyExcept(Base64Chars) < 0;
    }
}
