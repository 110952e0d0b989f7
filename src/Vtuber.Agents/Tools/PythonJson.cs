using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vtuber.Agents.Tools;

/// <summary>
/// JSON laid out as Python's json.dumps writes it (", " and ": " separators), so "Input: {...}" in tool_call_status
/// reads as OLV's does. Non-ASCII text is kept as is rather than \u-escaped: the frontend shows it to people.
/// </summary>
internal static class PythonJson
{
    private static readonly JsonSerializerOptions StringOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Dumps(JsonElement element)
    {
        var text = new StringBuilder();
        Write(text, element);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                var firstProperty = true;
                foreach (var property in element.EnumerateObject())
                {
                    text.Append(firstProperty ? "" : ", ").Append(JsonSerializer.Serialize(property.Name, StringOptions)).Append(": ");
                    Write(text, property.Value);
                    firstProperty = false;
                }
                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var firstItem = true;
                foreach (var item in element.EnumerateArray())
                {
                    text.Append(firstItem ? "" : ", ");
                    Write(text, item);
                    firstItem = false;
                }
                text.Append(']');
                break;
            case JsonValueKind.String:
                text.Append(JsonSerializer.Serialize(element.GetString(), StringOptions));
                break;
            default:
                text.Append(element.GetRawText());
                break;
        }
    }
}
