namespace Vtuber.Domain.Config;

/// <summary>A config value that cannot be used: names the file, the key path, the value and the expected form.</summary>
public sealed class ConfigException(string file, string keyPath, string? value, string expected)
    : Exception($"{file}: {keyPath} = {(value is null ? "(missing)" : $"'{value}'")}: expected {expected}")
{
    public string File { get; } = file;
    public string KeyPath { get; } = keyPath;
    public string? Value { get; } = value;
    public string Expected { get; } = expected;
}
