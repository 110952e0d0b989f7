namespace Vtuber.Domain.Groups;

/// <summary>Whose turn it is and what it is given: the transcript lines it has not seen, "Name: text" joined by newlines.</summary>
public sealed record GroupTurn(string MemberUid, string Context);

/// <summary>
/// The order of one group conversation (OLV group_conversation.py): the members speak in turn, round-robin, and
/// each is given the lines said since its own last turn. OLV goes on until someone interrupts; maxRounds (ours,
/// system_config.group.max_rounds, 0 = no bound) lets each member speak at most that many times. A round in which
/// no member got a reply out (a failing LLM) ends it too: an endless loop of errors helps no one.
/// </summary>
public sealed class GroupRoundRobin
{
    private readonly List<string> _queue;
    private readonly List<string> _transcript;
    private readonly Dictionary<string, int> _seen = [];
    private readonly Dictionary<string, int> _spoken = [];
    private readonly int _maxRounds;
    private int _silentTurns;

    public GroupRoundRobin(IEnumerable<string> members, string humanName, string input, int maxRounds)
    {
        _queue = members.Distinct().ToList();
        _transcript = [$"{humanName}: {input}"];
        _maxRounds = maxRounds;
    }

    public IReadOnlyList<string> Members => _queue;

    public string? Speaker { get; private set; }

    /// <summary>The next turn, or null when the conversation is over.</summary>
    public GroupTurn? Next()
    {
        Speaker = null;
        if (_queue.Count < 2 || _silentTurns >= _queue.Count)
        {
            return null;
        }
        var member = _queue[0];
        if (_maxRounds > 0 && _spoken.GetValueOrDefault(member) >= _maxRounds)
        {
            return null;
        }
        _queue.RemoveAt(0);
        _queue.Add(member);
        Speaker = member;
        var context = string.Join("\n", _transcript.Skip(_seen.GetValueOrDefault(member)));
        return new GroupTurn(member, context);
    }

    /// <summary>The speaker's turn ended; an empty reply (failed, or said nothing) adds no line.</summary>
    public void Spoke(string memberUid, string speakerName, string reply)
    {
        if (reply.Length > 0)
        {
            _transcript.Add($"{speakerName}: {reply}");
            _silentTurns = 0;
        }
        else
        {
            _silentTurns++;
        }
        _seen[memberUid] = _transcript.Count;
        _spoken[memberUid] = _spoken.GetValueOrDefault(memberUid) + 1;
    }

    /// <summary>Members who left drop out of the rotation; new ones join at its end.</summary>
    public void MembersAre(IReadOnlyList<string> members)
    {
        _queue.RemoveAll(m => !members.Contains(m));
        _queue.AddRange(members.Where(m => !_queue.Contains(m)));
    }
}
