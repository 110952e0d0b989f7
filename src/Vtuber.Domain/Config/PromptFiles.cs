namespace Vtuber.Domain.Config;

/// <summary>
/// Where a tool prompt (system_config.tool_prompts: name → file stem) is read from: the config's own
/// prompts_dir/utils/STEM.txt first, as OLV reads it, else the server's bundled copy in our own words
/// (prompts/utils beside the binaries), so that an OLV conf.yaml copied into an empty folder still starts.
/// </summary>
public static class PromptFiles
{
    /// <summary>The folder of prompt texts that ships with the server (copied from config/prompts/utils at build).</summary>
    public static string BundledDir { get; } = Path.Combine(AppContext.BaseDirectory, "prompts", "utils");

    /// <summary>The file to read for a stem, or null when neither the config's folder nor the bundle has it.</summary>
    public static string? Find(string promptsDir, string stem)
    {
        var own = Path.Combine(promptsDir, "utils", stem + ".txt");
        if (File.Exists(own)) return own;
        var bundled = Path.Combine(BundledDir, stem + ".txt");
        return File.Exists(bundled) ? bundled : null;
    }
}
