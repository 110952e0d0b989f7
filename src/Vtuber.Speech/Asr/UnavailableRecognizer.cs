namespace Vtuber.Speech.Asr;

/// <summary>
/// The configured engine cannot run here (an OLV engine this server does not have, or a model that is missing). Text
/// chat must still work with an OLV conf.yaml, so this is not a start-up failure: every utterance is answered with
/// the reason instead.
/// </summary>
public sealed class UnavailableRecognizer(string name, string reason) : ISpeechRecognizer
{
    public string Name => name;

    public string Reason => reason;

    public Task<string> TranscribeAsync(ReadOnlyMemory<float> samples16k, CancellationToken cancellationToken) =>
        Task.FromException<string>(new AsrException(name, reason));
}
