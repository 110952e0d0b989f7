using System.Text;
using System.Text.RegularExpressions;

namespace Vtuber.Domain.Config;

/// <summary>
/// Reads OLV's text files (conf.yaml, characters, model_dict.json, prompts) the way OLV does: its users write them
/// in UTF-8, UTF-8 with BOM or, on Chinese Windows, GBK/GB2312 (cp936), so the encoding is guessed in that order.
/// </summary>
internal static partial class ConfigText
{
    private static readonly Encoding StrictUtf8 = new UTF8Encoding(false, throwOnInvalidBytes: true);

    // GB2312 and cp936 are subsets of / the same as GBK (code page 936), so one attempt covers all three of OLV's.
    private static readonly Encoding StrictGbk = CodePagesEncodingProvider.Instance.GetEncoding(
        936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)!;

    public static string Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(path, "(file)", null, $"a readable file ({e.Message})");
        }

        if (bytes is [0xEF, 0xBB, 0xBF, ..]) return Decode(path, StrictUtf8, bytes, 3);
        if (bytes is [0xFF, 0xFE, ..]) return Decode(path, new UnicodeEncoding(false, false, true), bytes, 2);
        if (bytes is [0xFE, 0xFF, ..]) return Decode(path, new UnicodeEncoding(true, false, true), bytes, 2);
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            try
            {
                return StrictGbk.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw new ConfigException(path, "(file)", null, "text in UTF-8, UTF-16 with a BOM, or GBK");
            }
        }
    }

    private static string Decode(string path, Encoding encoding, byte[] bytes, int bomLength)
    {
        try
        {
            return encoding.GetString(bytes, bomLength, bytes.Length - bomLength);
        }
        catch (DecoderFallbackException)
        {
            throw new ConfigException(path, "(file)", null, $"valid {encoding.WebName} text after its byte order mark");
        }
    }

    /// <summary>
    /// OLV replaces ${NAME} (word characters only) before parsing, so a secret can come from the environment; an
    /// unset variable leaves the placeholder as written, which then fails visibly at the provider instead of here.
    /// </summary>
    public static string SubstituteEnvironment(string text, IReadOnlyDictionary<string, string?>? environment) =>
        Placeholder().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            var value = environment is null
                ? Environment.GetEnvironmentVariable(name)
                : environment.GetValueOrDefault(name);
            return value ?? match.Value;
        });

    [GeneratedRegex(@"\$\{(\w+)\}")]
    private static partial Regex Placeholder();
}
