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
    [InlineData("""{"type":"request-group-info"}""", typeof(RequestGroupInfo))]
    [InlineData("""{"type":"add-client-to-group","invitee_uid":"u2"}""", typeof(AddClientToGroup))]
    [InlineData("""{"type":"remove-client-from-group","target_uid":"u2"}""", typeof(RemoveClientFromGroup))]
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
    public void Group_messages_carry_their_uids_and_audio_play_start_its_display_text()
    {
        Assert.Equal("u2", Assert.IsType<AddClientToGroup>(Parse("""{"type":"add-client-to-group","invitee_uid":"u2"}""").Message).InviteeUid);
        Assert.Equal("u3", Assert.IsType<RemoveClientFromGroup>(Parse("""{"type":"remove-client-from-group","target_uid":"u3"}""").Message).TargetUid);
        var played = Assert.IsType<AudioPlayStart>(Parse("""{"type":"audio-play-start","display_text":{"text":"Hi","name":"Mao","avatar":"mao.png"},"forwarded":true}""").Message);
        Assert.Equal(new DisplayTextPayload("Hi", "Mao", "mao.png"), played.DisplayText);
        Assert.Null(Assert.IsType<AudioPlayStart>(Parse("""{"type":"audio-play-start"}""").Message).DisplayText);
    }

    [Theory]
    [InlineData("""{"type":"add-client-to-group"}""", "missing field 'invitee_uid'")]
    [InlineData("""{"type":"add-client-to-group","invitee_uid":7}""", "field 'invitee_uid' must be a string")]
    [InlineData("""{"type":"remove-client-from-group","target_uid":[]}""", "field 'target_uid' must be a string")]
    [InlineData("""{"type":"audio-play-start","display_text":"Hi"}""", "field 'display_text' must be an object")]
    public void Malformed_group_messages_are_refused_with_the_field(string json, string reason)
    {
        Assert.Contains(reason, Parse(json).Error);
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
    [InlineData("""{"type":"text-input","text":"x","images":[{"data":"http://evil/x.png"}]}""", "images[0].data must be a data:image/<type>;base64,<data> URL")]
    [InlineData("""{"type":"fetch-and-set-history","history_uid":null}""", "missing field 'history_uid'")]
    [InlineData("""{"type":"mic-audio-data","audio":[0.1,"x"]}""", "audio[1] must be a number, got a string")]
    [InlineData("""{"type":"ai-speak-signal","idle_time":"soon"}""", "field 'idle_time' must be a number")]
    public void Bad_frames_are_refused_with_a_reason(string json, string reason)
    {
        var result = Parse(json);

        Assert.Null(result.Message);
        Assert.Contains(reason, result.Error);
    }

    [Theory]
    [InlineData("""{"type":"text-input","text":"\ud800"}""", "Invalid 'text-input' message: field 'text' is not valid Unicode text")]
    [InlineData("""{"type":"text-input","text":"a\udc00b"}""", "field 'text' is not valid Unicode text")]
    [InlineData("""{"type":"\ud800"}""", "Invalid message: field 'type' is not valid Unicode text")]
    [InlineData("""{"type":"switch-config","file":"\udfff"}""", "field 'file' is not valid Unicode text")]
    [InlineData("""{"type":"fetch-and-set-history","history_uid":"\ud83d"}""", "field 'history_uid' is not valid Unicode text")]
    [InlineData("""{"type":"interrupt-signal","text":"x\ud800"}""", "field 'text' is not valid Unicode text")]
    [InlineData("""{"type":"text-input","text":"x","images":[{"data":"data:image/png;base64,AAAA","source":"\ud800"}]}""", "field 'source' is not valid Unicode text")]
    [InlineData("""{"\ud800":1,"type":"heartbeat"}""", "a property name is not valid Unicode text")]
    [InlineData("""{"type":"mic-audio-data","\udc00":[0.1]}""", "a property name is not valid Unicode text")]
    public void Lone_surrogates_are_refused_wherever_they_are(string json, string reason)
    {
        var result = Parse(json);

        Assert.Null(result.Message);
        Assert.Contains(reason, result.Error);
    }

    [Fact]
    public void A_surrogate_pair_written_as_escapes_is_text()
    {
        Assert.Equal("😀", Assert.IsType<TextInput>(Parse("""{"type":"text-input","text":"\ud83d\ude00"}""").Message).Text);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_refused()
    {
        var result = ClientMessageParser.Parse([.. "{\"type\":\"text-input\",\"text\":\""u8, 0xC3, 0x28, .. "\"}"u8]);

        Assert.Equal("Invalid message: the frame is not valid UTF-8 text", result.Error);
    }

    [Theory]
    [InlineData(17)]
    [InlineData(5000)]
    public void Nesting_deeper_than_16_is_refused(int depth)
    {
        var result = Parse("""{"type":"text-input","text":""" + new string('[', depth) + new string(']', depth) + "}");

        Assert.StartsWith("Invalid JSON", result.Error);
        Assert.Contains("depth", result.Error);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    public void Numbers_beyond_double_are_refused(string number)
    {
        Assert.Contains("field 'idle_time' must be a finite number", Parse("""{"type":"ai-speak-signal","idle_time":""" + number + "}").Error);
        Assert.Contains("audio[0] is not a finite number", Parse("""{"type":"mic-audio-data","audio":[""" + number + "]}").Error);
    }

    private static readonly ClientMessageLimits Small = new(MaxTextChars: 10, MaxImages: 1, MaxImageBytes: 40);

    private static ParseResult ParseWithin(string json) => ClientMessageParser.Parse(Encoding.UTF8.GetBytes(json), Small);

    [Fact]
    public void Text_at_the_limit_is_accepted_and_over_it_refused_naming_the_key()
    {
        Assert.Equal("0123456789", Assert.IsType<TextInput>(ParseWithin("""{"type":"text-input","text":"0123456789"}""").Message).Text);

        Assert.Equal("Invalid 'text-input' message: field 'text' has 11 characters, over the limit of 10 (system_config.limits.max_text_chars)",
            ParseWithin("""{"type":"text-input","text":"0123456789a"}""").Error);
        Assert.Contains("system_config.limits.max_text_chars", ParseWithin("""{"type":"interrupt-signal","text":"0123456789a"}""").Error);
    }

    [Fact]
    public void Images_over_the_count_or_size_limit_are_refused_naming_the_key()
    {
        const string image = """{"data":"data:image/png;base64,AAAA"}""";

        Assert.Single(Assert.IsType<MicAudioEnd>(ParseWithin($$"""{"type":"mic-audio-end","images":[{{image}}]}""").Message).Images);
        Assert.Equal("Invalid 'text-input' message: 2 images, over the limit of 1 (system_config.limits.max_images)",
            ParseWithin($$"""{"type":"text-input","text":"x","images":[{{image}},{{image}}]}""").Error);
        Assert.Contains("over the limit of 40 (system_config.limits.max_image_bytes)",
            ParseWithin("""{"type":"ai-speak-signal","images":[{"data":"data:image/png;base64,""" + new string('A', 40) + "\"}]}").Error);
    }

    [Fact]
    public void Identifiers_longer_than_256_characters_are_refused()
    {
        Assert.Equal("Invalid 'switch-config' message: field 'file' is longer than 256 characters",
            Parse("{\"type\":\"switch-config\",\"file\":\"" + new string('a', 257) + "\"}").Error);
        Assert.IsType<SwitchConfig>(Parse("{\"type\":\"switch-config\",\"file\":\"" + new string('a', 256) + "\"}").Message);
    }

    [Fact]
    public void An_unknown_type_is_quoted_short_and_printable()
    {
        var error = Parse("{\"type\":\"\\n" + new string('x', 200) + "\"}").Error!;

        var quoted = "?" + new string('x', 63) + "…";
        Assert.Equal($"Invalid '{quoted}' message: unknown message type '{quoted}'", error);
    }

    [Theory]
    [InlineData("data:image/")]
    [InlineData("data:image/png;base64,")]
    [InlineData("data:image/png;base64,!!!")]
    [InlineData("data:image/png;base64,AAA")]
    [InlineData("data:image/png;base64,AA AA")]
    [InlineData("data:image/png,hello")]
    [InlineData("data:image/../../etc/passwd;base64,AAAA")]
    [InlineData("data:image/png;x;base64,AAAA")]
    [InlineData("data:text/html;base64,AAAA")]
    public void Image_data_must_be_a_base64_image_data_url(string data)
    {
        Assert.Contains("images[0].data must be a data:image/<type>;base64,<data> URL",
            Parse("{\"type\":\"text-input\",\"text\":\"x\",\"images\":[{\"data\":\"" + data + "\"}]}").Error);
    }

    [Theory]
    [InlineData("data:image/jpeg;base64,/9j/AA==", "image/jpeg")]
    [InlineData("data:image/svg+xml;charset=utf-8;base64,PHN2Zz4=", "image/svg+xml")]
    public void Well_formed_image_data_urls_are_accepted(string data, string mimeType)
    {
        var image = Assert.Single(Assert.IsType<TextInput>(
            Parse("{\"type\":\"text-input\",\"text\":\"x\",\"images\":[{\"data\":\"" + data + "\"}]}").Message).Images);

        Assert.Equal(mimeType, image.MimeType);
    }

    [Fact]
    public void A_declared_mime_type_must_be_an_image_type()
    {
        Assert.Contains("images[0].mime_type must be an image media type",
            Parse("""{"type":"text-input","text":"x","images":[{"data":"data:image/png;base64,AAAA","mime_type":"../../etc/passwd"}]}""").Error);
    }
}
