using Vtuber.Domain.Live;

namespace Vtuber.Domain.Tests.Live;

public sealed class TwitchIrcLineTests
{
    [Fact]
    public void A_tagged_privmsg_gives_channel_display_name_and_text()
    {
        var line = TwitchIrcLine.Parse(
            @"@badge-info=;color=#FF0000;display-name=Some\sViewer;mod=0 :someviewer!someviewer@someviewer.tmi.twitch.tv PRIVMSG #streamer :hello there :)")!;

        Assert.Equal(("streamer", "Some Viewer", "hello there :)"), line.ChatMessage());
    }

    [Fact]
    public void Without_tags_the_nick_is_the_author_and_ping_is_a_command()
    {
        Assert.Equal(("chan", "bob", "hi"), TwitchIrcLine.Parse(":bob!bob@bob.tmi.twitch.tv PRIVMSG #chan :hi")!.ChatMessage());
        var ping = TwitchIrcLine.Parse("PING :tmi.twitch.tv")!;
        Assert.Equal(("PING", "tmi.twitch.tv"), (ping.Command, ping.Parameters.Single()));
        Assert.Null(ping.ChatMessage());
        Assert.Equal("001", TwitchIrcLine.Parse(":tmi.twitch.tv 001 justinfan123 :Welcome, GLHF!")!.Command);
    }

    [Fact]
    public void A_message_splits_into_its_crlf_lines()
    {
        Assert.Equal(["PING :tmi.twitch.tv", ":a!a@a PRIVMSG #c :x"], TwitchIrcLine.Split("PING :tmi.twitch.tv\r\n:a!a@a PRIVMSG #c :x\r\n\r\n"));
    }

    [Theory]
    [InlineData("@only-tags")]
    [InlineData(":prefix-only")]
    [InlineData("")]
    [InlineData("\u0001\u0002 binary")]
    public void A_line_that_is_not_irc_is_refused(string line) => Assert.Null(TwitchIrcLine.Parse(line));
}
