using System.Globalization;
using System.Text;
using System.Text.Json;
using Vtuber.Protocol;

namespace Vtuber.Server.Tests.Protocol;

public class AudioFrameParserTests
{
    private static ParseResult Parse(string json) => ClientMessageParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Mic_audio_samples_are_read_as_floats_in_order()
    {
        var data = Assert.IsType<MicAudioData>(Parse("""{"type":"mic-audio-data","audio":[0.1,-0.25,0,1,-1,1e-3,-0.0]}""").Message);

        Assert.Equal([0.1f, -0.25f, 0f, 1f, -1f, 0.001f, 0f], data.Samples.Span.ToArray());
        data.Samples.Dispose();
        Assert.Throws<ObjectDisposedException>(() => data.Samples.Span.Length);
    }

    [Fact]
    public void Field_order_does_not_matter_and_other_fields_are_skipped()
    {
        var data = Assert.IsType<RawAudioData>(Parse("""{"audio":[0.5,-0.5],"extra":{"a":[1,2]},"type":"raw-audio-data"}""").Message);

        Assert.Equal([0.5f, -0.5f], data.Samples.Span.ToArray());
    }

    [Fact]
    public void An_empty_array_is_an_empty_frame()
    {
        Assert.Equal(0, Assert.IsType<MicAudioData>(Parse("""{"type":"mic-audio-data","audio":[]}""").Message).Samples.Count);
    }

    [Fact]
    public void A_huge_array_is_read_whole()
    {
        var samples = Enumerable.Range(0, 100_000).Select(i => MathF.Sin(i / 10f) * 0.9f).ToArray();
        var json = JsonSerializer.Serialize(new { type = "mic-audio-data", audio = samples });

        var data = Assert.IsType<MicAudioData>(Parse(json).Message);

        Assert.Equal(samples, data.Samples.Span.ToArray());
    }

    [Theory]
    [InlineData("""{"type":"mic-audio-data","audio":[0.1,NaN]}""", "audio[1] is not a valid JSON number")]
    [InlineData("""{"type":"mic-audio-data","audio":[Infinity]}""", "audio[0] is not a valid JSON number")]
    [InlineData("""{"type":"raw-audio-data","audio":[0,-Infinity]}""", "audio[1] is not a valid JSON number")]
    [InlineData("""{"type":"mic-audio-data","audio":[0.1,1.5]}""", "audio[1] = 1.5 is outside [-1, 1]")]
    [InlineData("""{"type":"mic-audio-data","audio":[-1.0001]}""", "audio[0] = -1.0001 is outside [-1, 1]")]
    [InlineData("""{"type":"mic-audio-data","audio":[1e400]}""", "audio[0] is not a finite number")]
    [InlineData("""{"type":"mic-audio-data","audio":[0,0,"NaN"]}""", "audio[2] must be a number, got a string")]
    [InlineData("""{"type":"mic-audio-data","audio":[0.1,"x"]}""", "audio[1] must be a number, got a string")]
    [InlineData("""{"type":"mic-audio-data","audio":[null]}""", "audio[0] must be a number, got null")]
    [InlineData("""{"type":"mic-audio-data","audio":[[0.1]]}""", "audio[0] must be a number, got an array")]
    [InlineData("""{"type":"mic-audio-data","audio":"0.1,0.2"}""", "field 'audio' must be an array of numbers, got a string")]
    [InlineData("""{"type":"mic-audio-data"}""", "field 'audio' must be an array of numbers")]
    public void Bad_samples_are_refused_naming_the_index(string json, string reason)
    {
        var result = Parse(json);

        Assert.Null(result.Message);
        Assert.Contains(reason, result.Error);
        Assert.StartsWith("Invalid '", result.Error);
    }

    [Fact]
    public void The_error_names_the_message_type()
    {
        Assert.Equal("Invalid 'raw-audio-data' message: audio[0] = 2 is outside [-1, 1]",
            Parse("""{"type":"raw-audio-data","audio":[2]}""").Error);
    }

    [Fact]
    public void Other_messages_still_go_through_the_general_parser()
    {
        Assert.Equal("hi", Assert.IsType<TextInput>(Parse("""{"type":"text-input","text":"hi","audio":[5]}""").Message).Text);
        Assert.StartsWith("Invalid JSON", Parse("""{"type":"mic-audio-data","audio":[0.1]""").Error);
    }

    [Fact]
    public void Reader_function_parses_an_array_on_its_own_for_other_frames()
    {
        var json = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"[{0.25},{-0.5}]"));
        var reader = new Utf8JsonReader(json);
        reader.Read();

        using var samples = AudioSampleArray.Read(ref reader, "chunk");

        Assert.Equal([0.25f, -0.5f], samples.Span.ToArray());
        Assert.Equal(JsonTokenType.EndArray, reader.TokenType);
    }
}
