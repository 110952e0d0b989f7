using System.Runtime.InteropServices;
using Vtuber.Domain.Config;
using Vtuber.Speech.Asr;
using Vtuber.Testing;

namespace Vtuber.Speech.Tests.Asr;

public sealed class SherpaOnnxRecognizerTests
{
    private const string ModelDirVariable = "VTUBER_SHERPA_MODEL_DIR";
    private const string ModelTypeVariable = "VTUBER_SHERPA_MODEL_TYPE";

    [SherpaOnnxFact]
    public void The_native_library_loads_from_its_own_folder_and_reports_its_version()
    {
        Assert.Equal("1.13.8 (git 11afbd00)", SherpaOnnxLibrary.Version());
    }

    [Fact]
    public void The_recognizer_config_has_the_layout_the_shipped_library_reads()
    {
        // Offsets read by SherpaOnnxCreateOfflineRecognizer in libsherpa-onnx-c-api.so 1.13.8 (objdump): the last
        // config fields it reads are at 592 and 600 (hr.lexicon, hr.rule_fsts), cohere_transcribe.use_itn at 508.
        Assert.Equal(608, Marshal.SizeOf<SherpaOnnxNative.OfflineRecognizerConfig>());
        Assert.Equal(8, (int)Marshal.OffsetOf<SherpaOnnxNative.OfflineRecognizerConfig>("ModelConfig"));
        Assert.Equal(512, (int)Marshal.OffsetOf<SherpaOnnxNative.OfflineRecognizerConfig>("LmConfig"));
        Assert.Equal(528, (int)Marshal.OffsetOf<SherpaOnnxNative.OfflineRecognizerConfig>("DecodingMethod"));
        Assert.Equal(576, (int)Marshal.OffsetOf<SherpaOnnxNative.OfflineRecognizerConfig>("BlankPenalty"));
        Assert.Equal(584, (int)Marshal.OffsetOf<SherpaOnnxNative.OfflineRecognizerConfig>("Hr"));
        // Within the recognizer config (model_config starts at 8): tdnn at 96, sense_voice at 160, cohere at 480.
        Assert.Equal(88, (int)Marshal.OffsetOf<SherpaOnnxNative.OfflineModelConfig>("Tdnn"));
        Assert.Equal(152, (int)Marshal.OffsetOf<SherpaOnnxNative.OfflineModelConfig>("SenseVoice"));
        Assert.Equal(472, (int)Marshal.OffsetOf<SherpaOnnxNative.OfflineModelConfig>("CohereTranscribe"));
    }

    [Fact]
    public async Task A_missing_model_file_is_an_asr_error_naming_it()
    {
        using var recognizer = new SherpaOnnxRecognizer(new SherpaOnnxAsrConfig
        {
            ModelType = "paraformer", Paraformer = "/nonexistent/model.int8.onnx", Tokens = Path.GetTempFileName(),
        });

        var error = await Assert.ThrowsAsync<AsrException>(() => recognizer.TranscribeAsync(new float[1600], CancellationToken.None));

        Assert.Equal("sherpa_onnx_asr: model_type 'paraformer' needs these files under asr_config.sherpa_onnx_asr: " +
                     "paraformer ('/nonexistent/model.int8.onnx' does not exist)", error.Message);
    }

    [SherpaOnnxFact]
    public async Task A_file_that_is_not_a_model_is_refused_with_an_asr_error_and_the_process_goes_on()
    {
        var folder = Directory.CreateTempSubdirectory("vtuber-sherpa-").FullName;
        var model = Path.Combine(folder, "model.int8.onnx");
        await File.WriteAllTextAsync(model, "not an onnx model");
        var tokens = Path.Combine(folder, "tokens.txt");
        await File.WriteAllTextAsync(tokens, "<blk> 0\na 1\n");
        using var recognizer = new SherpaOnnxRecognizer(new SherpaOnnxAsrConfig
        {
            ModelType = "sense_voice", SenseVoice = model, Tokens = tokens, NumThreads = 1,
        });

        var error = await Assert.ThrowsAsync<AsrException>(() => recognizer.TranscribeAsync(new float[1600], CancellationToken.None));

        Assert.StartsWith($"sherpa_onnx_asr: the model_type 'sense_voice' model cannot be loaded (sense_voice '{model}', tokens '{tokens}'): loading the model ended the check process with exit code 134: ", error.Message);
        Assert.Contains("Protobuf parsing failed", error.Message);
    }

    [SherpaOnnxFact]
    public async Task An_onnx_model_of_another_kind_is_refused_with_an_asr_error_and_the_process_goes_on()
    {
        // A valid ONNX file without the metadata sherpa-onnx reads: the Silero VAD model shipped next to the binaries.
        var model = Path.Combine(AppContext.BaseDirectory, "models", "silero_vad_v5.onnx");
        var tokens = Path.Combine(Directory.CreateTempSubdirectory("vtuber-sherpa-").FullName, "tokens.txt");
        await File.WriteAllTextAsync(tokens, "<blk> 0\na 1\n");
        using var recognizer = new SherpaOnnxRecognizer(new SherpaOnnxAsrConfig
        {
            ModelType = "paraformer", Paraformer = model, Tokens = tokens, NumThreads = 1,
        });

        var error = await Assert.ThrowsAsync<AsrException>(() => recognizer.TranscribeAsync(new float[1600], CancellationToken.None));

        Assert.StartsWith("sherpa_onnx_asr: the model_type 'paraformer' model cannot be loaded", error.Message);
        Assert.Contains("ended the check process with exit code", error.Message);
    }

    [SherpaOnnxFact(ModelDirVariable)]
    public async Task A_real_model_transcribes_spoken_english()
    {
        var config = ConfigFor(Environment.GetEnvironmentVariable(ModelDirVariable)!,
            Environment.GetEnvironmentVariable(ModelTypeVariable) is { Length: > 0 } type ? type : "sense_voice");
        using var recognizer = new SherpaOnnxRecognizer(config);

        var text = await recognizer.TranscribeAsync(SpokenUtterances.WhatTimeIsIt.Samples16k(), CancellationToken.None);

        // Models differ in case and punctuation ("What time is it?"), not in the words.
        var words = new string(text.ToLowerInvariant().Where(c => char.IsLetter(c) || c == ' ').ToArray()).Trim();
        Assert.Equal(SpokenUtterances.WhatTimeIsIt.Text, words);
    }

    /// <summary>The files of a model folder as sherpa-onnx's releases name them (int8 variants preferred).</summary>
    private static SherpaOnnxAsrConfig ConfigFor(string dir, string modelType)
    {
        string Find(string pattern) =>
            Directory.GetFiles(dir, pattern).OrderBy(f => f.Contains(".int8.") ? 0 : 1).FirstOrDefault()
            ?? throw new FileNotFoundException($"{ModelDirVariable}={dir} has no {pattern} for model_type {modelType}");
        var config = new SherpaOnnxAsrConfig { ModelType = modelType, Tokens = Find("*tokens.txt"), NumThreads = 2 };
        return modelType switch
        {
            "sense_voice" => config with { SenseVoice = Find("model*.onnx") },
            "paraformer" => config with { Paraformer = Find("model*.onnx") },
            "nemo_ctc" => config with { NemoCtc = Find("model*.onnx") },
            "wenet_ctc" => config with { WenetCtc = Find("model*.onnx") },
            "whisper" => config with { WhisperEncoder = Find("*encoder*.onnx"), WhisperDecoder = Find("*decoder*.onnx") },
            "transducer" => config with
            {
                Encoder = Find("encoder*.onnx"), Decoder = Find("decoder*.onnx"), Joiner = Find("joiner*.onnx"),
            },
            _ => throw new ArgumentException($"{ModelTypeVariable}={modelType} is not a type this test knows"),
        };
    }
}
