using Vtuber.Domain.History;

namespace Vtuber.Domain.Tests.History;

public sealed class HistoryUidTests
{
    [Fact]
    public void New_uid_is_local_time_then_32_hex_digits()
    {
        var uid = HistoryUid.New(new DateTime(2026, 2, 11, 13, 14, 30, DateTimeKind.Local));

        Assert.StartsWith("2026-02-11_13-14-30_", uid);
        Assert.Matches("^[0-9a-f]{32}$", uid["2026-02-11_13-14-30_".Length..]);
        Assert.True(HistoryUid.IsValid(uid));
    }

    [Fact]
    public void Two_uids_in_the_same_second_differ()
    {
        var now = new DateTime(2026, 2, 11, 13, 14, 30);
        Assert.NotEqual(HistoryUid.New(now), HistoryUid.New(now));
    }

    [Theory]
    [InlineData("2026-02-11_13-14-30_9f8e7d6c5b4a39281706f5e4d3c2b1a0", true)]
    [InlineData("2026-02-11_13-14-30_9F8E7D6C5B4A39281706F5E4D3C2B1A0", false)]
    [InlineData("2026-02-11_13-14-30_9f8e7d6c5b4a39281706f5e4d3c2b1a", false)]
    [InlineData("2026-02-11_13-14-30_9f8e7d6c5b4a39281706f5e4d3c2b1a0\n", false)]
    [InlineData("../2026-02-11_13-14-30_9f8e7d6c5b4a39281706f5e4d3c2b1a0", false)]
    [InlineData("2026-02-11 13:14:30_9f8e7d6c5b4a39281706f5e4d3c2b1a0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Only_olv_shaped_uids_are_valid(string? uid, bool valid) => Assert.Equal(valid, HistoryUid.IsValid(uid));

    [Theory]
    [InlineData("mao_pro_001", true)]
    [InlineData("shizuku-v2.1", true)]
    [InlineData("キャラ 1", true)]
    [InlineData("../mao", false)]
    [InlineData("mao/pro", false)]
    [InlineData("mao\\pro", false)]
    [InlineData("..", false)]
    [InlineData(".", false)]
    [InlineData("mao\u0000", false)]
    [InlineData("mao\n", false)]
    [InlineData("mao|pro", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Conf_uids_that_could_escape_a_folder_or_key_are_invalid(string? confUid, bool valid) =>
        Assert.Equal(valid, ConfUidFormat.IsValid(confUid));

    [Fact]
    public void Conf_uid_longer_than_a_file_name_is_invalid()
    {
        Assert.True(ConfUidFormat.IsValid(new string('a', 255)));
        Assert.False(ConfUidFormat.IsValid(new string('a', 256)));
    }

    [Fact]
    public void Timestamp_is_local_iso_seconds_without_offset()
    {
        var time = new DateTime(2026, 2, 11, 13, 14, 30, 987, DateTimeKind.Local);
        Assert.Equal("2026-02-11T13:14:30", ChatTimestamp.Format(time));
    }
}
