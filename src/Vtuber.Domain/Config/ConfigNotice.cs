namespace Vtuber.Domain.Config;

/// <summary>
/// Something worth telling the operator about a config file that does not stop it from loading: a setting it turns
/// on that this server does not do (<see cref="IsWarning"/>: logged once at start-up, naming what happens instead),
/// or a value in the section of an engine that is not selected that would be refused if it were (logged quietly).
/// </summary>
public sealed record ConfigNotice(string File, string KeyPath, string Message, bool IsWarning)
{
    public override string ToString() => $"{File}: {KeyPath}: {Message}";
}
