using System.Text;
using Vtuber.Protocol;

namespace Vtuber.Server.Tests.Protocol;

public class ClientMessageParserTests
{
    private static ParseResult Parse(string json) => ClientMessageParser.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Text_input_with_images_is_parsed()
    {
        var result = Parse("""{"type":"text-input","text":"hello","images":[{"source":"camera","data":"data:image/jpeg;base64,AAAA","mime_type":"image/jpeg"}]}""");

        var input = Assert.IsType<TextInput>(result.Message);
        Assert.Equal("hello", input.Text);
        var image = Assert.Single(input.Images);
        Assert.Equal(new ImagePayload("camera", "data:image/jpeg;base64,AAAA", "image/jpeg"), image);
    }

    [Fact]
    public void Image_without_mime_type_takes_it_from_the_data_url()
    {
        var result = Parse("""{"type":"text-input","text":"x","images":[{"data":"data:image/png;base64,AAAA"}]}""");

        Assert.Equal("image/png", Assert.IsType<TextInput>(result.Message).Images[0].MimeType);
    }

    [Theory]
    [InlineData("""{"type":"fetch-configs"}""", typeof(FetchConfigs))]
    [InlineData("""{"type":"fetch-backgrounds"}""", typeof(FetchBackgrounds))]
    [InlineData("""{"type":"fetch-history-list"}""", typeof(FetchHistoryList))]
    [InlineData("""{"type":"create-new-history"}""", typeof(CreateNewHistory))]
    [InlineData("""{"type":"heartbeat"}""", typeof(Heartbeat))]
    [InlineData("""{"type":"request-init-config","client_id":"abc"}""", typeof(RequestInitConfig))]
    [InlineData("""{"type":"frontend-playback-complete"}""", typeof(FrontendPlaybackComplete))]
    [InlineData("""{"type":"audio-play-start","display_text":{"text":"Hi","name":"Mao","avatar":"mao.png"},"forwarded":true}""", typeof(AudioPlayStart))]
    [InlineData("""{"type":"mic-audio-end","images":[]}""", typeof(MicAudioEnd))]
    [InlineData("""{"type":"request-group-info"}""", typeof(GroupOperation))]
    public void Every_frontend_message_type_is_recognised(string json, Type expected)
    {
        Assert.IsType(expected, Parse(json).Message);
    }

    [Fact]
    public void History_messages_carry_their_uid()
    {
        Assert.Equal("h1", Assert.IsType<FetchAndSetHistory>(Parse("""{"type":"fetch-and-set-history","history_uid":"h1"}""").Message).HistoryUid);
        Assert.Equal("h2", Assert.IsType<DeleteHistory>(Parse("""{"type":"delete-history","history_uid":"h2"}""").Message).HistoryUid);
    }

    [Fact]
    public void Interrupt_carries_the_heard_text_and_defaults_to_nothing_heard()
    {
        Assert.Equal("Let me think.", Assert.IsType<InterruptSignal>(Parse("""{"type":"interrupt-signal","text":"Let me think."}""").Message).HeardText);
        Assert.Equal("", Assert.IsType<InterruptSignal>(Parse("""{"type":"interrupt-signal"}""").Message).HeardText);
    }

    [Theory]
    [InlineData("{not json", "Invalid JSON")]
    [InlineData("", "Invalid JSON")]
    [InlineData("[1,2]", "expected a JSON object, got an array")]
    [InlineData("""{"text":"hi"}""", "missing field 'type'")]
    [InlineData("""{"type":42}""", "field 'type' must be a string, got a number")]
    [InlineData("""{"type":"dance"}""", "unknown message type 'dance'")]
    [InlineData("""{"type":"text-input"}""", "Invalid 'text-input' message: missing field 'text'")]
    [InlineData("""{"type":"text-input","text":5}""", "field 'text' must be a string, got a number")]
    [InlineData("""{"type":"text-input","text":"x","images":"no"}""", "field 'images' must be an array, got a string")]
    [InlineData("""{"type":"text-input","text":"x","images":[{"data":"http://evil/x.png"}]}""", "images[0].data must be a data:image/... URL")]
    [InlineData("""{"type":"fetch-and-set-history","history_uid":null}""", "missing field 'history_uid'")]
    [InlineData("""{"type":"mic-audio-data","audio":[0.1,"x"]}""", "audio[1] must be a number, got a string")]
    [InlineData("""{"type":"ai-speak-signal","idle_time":"soon"}""", "field 'idle_time' must be a number")]
    public void Bad_frames_are_refused_with_a_reason(string json, string reason)
    {
        var result = Parse(json);

        Assert.Null(result.Message);
        Assert.Contains(reason, result.Error);
    }
}
