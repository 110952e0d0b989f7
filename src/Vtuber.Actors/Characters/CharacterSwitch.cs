using Vtuber.Agents;
using Vtuber.Domain.Config;
using Vtuber.Domain.History;

namespace Vtuber.Actors.Characters;

/// <summary>New services for a session, or why there are none (the session then keeps what it has).</summary>
public sealed record CharacterUpdate(CharacterServices? Services, string? Error)
{
    public static CharacterUpdate Unchanged { get; } = new(null, null);
}

/// <summary>
/// The decisions of moving a live session onto another character config: switch-config (olv-protocol 5.4) and
/// hot reload of conf.yaml. Pure decisions over immutable services; the session actor only adopts the result.
/// </summary>
public static class CharacterSwitch
{
    /// <summary>
    /// switch-config: <paramref name="file"/> must be one of the names config-files lists (never a path), its
    /// character_config is merged onto the session's current character and the result validated and built.
    /// Any failure is reported, never thrown: the session stays as it was.
    /// </summary>
    public static CharacterUpdate Switch(CharacterServices current, string file)
    {
        try
        {
            if (!CharacterCatalog.List(current.Config).Any(c => c.FileName == file))
            {
                return new(null, $"'{file}' is not one of the character files listed by config-files");
            }
            return new(current.Rebuild(ConfigLoader.SwitchCharacter(current.Config, file)), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Refused(e);
        }
    }

    /// <summary>
    /// Hot reload: a session on the base conf.yaml character takes the reloaded services as they are. A session
    /// that switched to an alternate keeps its character and takes only the new system_config (tool prompts,
    /// folders), because its character was merged from the one it had, not from today's conf.yaml.
    /// </summary>
    public static CharacterUpdate Reload(CharacterServices current, string file, CharacterServices reloaded)
    {
        if (file == Path.GetFileName(reloaded.Config.SourcePath))
        {
            return new(reloaded, null);
        }
        if (EffectiveConfig.Same(current.Config.System, reloaded.Config.System))
        {
            return CharacterUpdate.Unchanged;
        }
        try
        {
            return new(current.Rebuild(current.Config with { System = reloaded.Config.System }), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Refused(e);
        }
    }

    // Whatever building a character can throw (a bad value, a file that is gone, an engine that cannot start: flite's
    // voice list, a llama model that fails to load) refuses the change and leaves the session as it was.
    private static CharacterUpdate Refused(Exception e) => new(null, e is ConfigException config
        ? ConfigSecrets.Describe(config)
        : $"{e.Message} ({e.GetType().Name})");

    /// <summary>Whether the client must be told (set-model-and-conf): another model, model entry or conf name/uid.</summary>
    public static bool ChangesWhatTheClientSees(CharacterServices from, CharacterServices to) =>
        from.Model.RawJson != to.Model.RawJson || from.Character.ConfName != to.Character.ConfName ||
        from.Character.ConfUid != to.Character.ConfUid;

    /// <summary>
    /// The agent after a change. As OLV, a new agent (empty memory) when agent_config or persona_prompt changed.
    /// Otherwise the memory is kept; when the system prompt changed anyway (another model's expressions, other
    /// tool prompts) the memory moves to an agent with the new prompt instead of keeping a stale one as OLV does.
    /// </summary>
    public static ChatAgent Handover(CharacterServices from, ChatAgent agent, CharacterServices to)
    {
        if (from.Character.PersonaPrompt != to.Character.PersonaPrompt ||
            !EffectiveConfig.Same(from.Character.Agent, to.Character.Agent))
        {
            return to.CreateAgent();
        }
        if (ReferenceEquals(from.ChatClient, to.ChatClient) && from.SystemPrompt == to.SystemPrompt)
        {
            return agent;
        }
        // The same agent_config means the same interrupt_method and budget: the memory and its summary move as they are.
        var moved = to.CreateAgent();
        moved.TakeMemoryFrom(agent);
        return moved;
    }
}
