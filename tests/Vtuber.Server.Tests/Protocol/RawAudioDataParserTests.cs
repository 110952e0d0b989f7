using System.Text;
using System.Text.Json;
using Vtuber.Protocol;

namespace Vtuber.Server.Tests.Protocol;

public sealed class RawAudioDataParserTests
{
    private static ParseResult Parse(string json) => ClientMessageParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Samples_are_parsed_into_a_pooled_buffer_exactly_and_in_order()
    {
        var samples = Enumerable.Range(0, 10_000).Select(i => MathF.Sin(i * 0.01f) * 0.9f).ToArray(); // grows the buffer
        var raw = Assert.IsType<RawAudioData>(Parse(JsonSerializer.Serialize(new { type = "raw-audio-data", audio = samples })).Message);
        Assert.Equal(samples.Length, raw.SampleCount);
        Assert.Equal(samples, raw.Samples.ToArray());
        raw.Release();
    }

    [Fact]
    public void The_type_may_come_after_the_audio_and_other_fields_are_ignored()
    {
        var raw = Assert.IsType<RawAudioData>(Parse("""{"audio":[-1,1,0.25e0],"meta":{"a":[1,2]},"type":"raw-audio-data"}""").Message);
        Assert.Equal([-1f, 1f, 0.25f], raw.Samples.ToArray());
        raw.Release();
    }

    [Theory]
    [InlineData("""{"type":"raw-audio-data","audio":[0.1,"x"]}""", "audio[1] must be a number, got String")]
    [InlineData("""{"type":"raw-audio-data","audio":[0.1,-1.0001]}""", "audio[1] must be a sample in [-1, 1], got -1.0001")]
    [InlineData("""{"type":"raw-audio-data","audio":[1e400]}""", "audio[0] must be a sample in [-1, 1], got 1e400")]
    [InlineData("""{"type":"raw-audio-data","audio":5}""", "field 'audio' must be an array of numbers")]
    [InlineData("""{"type":"raw-audio-data"}""", "field 'audio' must be an array of numbers")]
    public void Bad_samples_refuse_the_frame_with_the_reason(string json, string reason)
    {
        Assert.Equal($"Invalid 'raw-audio-data' message: {reason}", Parse(json).Error);
    }

    [Fact]
    public void Other_messages_and_broken_json_go_to_the_general_parser()
    {
        Assert.Equal(2, Assert.IsType<MicAudioData>(Parse("""{"audio":[0.1,0.2],"type":"mic-audio-data"}""").Message).SampleCount);
        Assert.StartsWith("Invalid JSON", Parse("""{"type":"raw-audio-data","audio":[0.1,""").Error);
        Assert.Null(RawAudioDataParser.TryParse("""{"type":"text-input","text":"hi"}"""u8));
    }
}
