using Vtuber.Server.Tests.Support;
using Vtuber.Testing;

namespace Vtuber.Server.Tests.EndToEnd;

public sealed class EdgeTtsTurnTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly RunningServer _shared = fixture.Server;

    // The shared folder speaks openai_tts; this one switches to edge_tts (against the fake) and resamples to 16 kHz.
    private static ServerFolder EdgeFolder(Uri llm, Uri tts, FakeEdgeTtsServer edge)
    {
        var folder = ServerFolder.Create(llm, tts, ttsModel: "edge_tts");
        var yaml = File.ReadAllText(folder.ConfigPath);
        const string anchor = "    tts_model: 'edge_tts'\n";
        Assert.Contains(anchor, yaml);
        File.WriteAllText(folder.ConfigPath, yaml.Replace(anchor, anchor + $"""
                edge_tts:
                  voice: 'en-US-AvaMultilingualNeural'
                  base_url: '{edge.BaseUrl}'
                post_processing:
                  sample_rate: 16000

            """, StringComparison.Ordinal));
        return folder;
    }

    [Fact]
    public async Task A_failing_edge_sentence_is_silent_with_an_error_and_the_next_is_spoken_as_16k_pcm16_wav()
    {
        await using var edge = await FakeEdgeTtsServer.StartAsync();
        edge.FailForText = text => text.StartsWith("Broken", StringComparison.Ordinal);
        await using var server = await RunningServer.StartAsync(
            EdgeFolder(_shared.Llm.BaseUrl, _shared.Tts.BaseUrl, edge), _shared.Llm, _shared.Tts);
        await using var client = await server.ConnectPastGreetingAsync();
        _shared.Llm.ReplyTo("edge please", new FakeReply(["Broken voice here. ", "Fine voice here."]));

        await client.SendAsync(new { type = "text-input", text = "edge please" });
        var frames = await client.ReceiveUntilAsync("backend-synth-complete");

        var error = Assert.Single(frames, f => OlvClient.Type(f) == "error");
        Assert.Contains("edge_tts", (string?)error["message"]);
        Assert.Contains("Broken voice here.", (string?)error["message"]);
        var audio = frames.Where(f => OlvClient.Type(f) == "audio").ToList();
        Assert.Equal(["Broken voice here.", "Fine voice here."], audio.Select(f => (string?)f["display_text"]!["text"]));
        Assert.Null(audio[0]["audio"]);
        var wav = Convert.FromBase64String((string)audio[1]["audio"]!);
        Assert.Equal(1, BitConverter.ToInt16(wav, 20)); // PCM
        Assert.Equal(1, BitConverter.ToInt16(wav, 22)); // mono
        Assert.Equal(16000, BitConverter.ToInt32(wav, 24)); // resampled from Edge's 24 kHz MP3
        Assert.Equal(16, BitConverter.ToInt16(wav, 34));
        Assert.InRange((wav.Length - 44) / 2 / 16000.0, 1.3, 1.6); // the fake's 1.43 s of speech
        Assert.Equal(["Broken voice here.", "Fine voice here."], edge.Syntheses.Select(s => s.SpokenText).Order());

        await client.SendAsync(new { type = "frontend-playback-complete" });
        await client.ReceiveUntilAsync("control", "conversation-chain-end");
    }
}
