using LinqToDB;
using LinqToDB.Async;
using LinqToDB.Data;
using LinqToDB.Mapping;
using Vtuber.Agents.Memory;

namespace Vtuber.Actors.Memory;

/// <summary>
/// The long_term_memories table, in the journal's database (same connection settings as the chat histories, SQLite
/// or PostgreSQL), so memories stay beside the histories they came from. Each call opens its own connection.
/// </summary>
public sealed class MemoryStore(string connectionString, string providerName)
{
    private DataConnection Open() =>
        new(new DataOptions().UseConnectionString(providerName, connectionString));

    /// <summary>Creates the table and its index when missing.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        await using var db = Open();
        await db.CreateTableAsync<MemoryRow>(tableOptions: TableOptions.CreateIfNotExists, token: ct);
        await db.ExecuteAsync(
            "CREATE INDEX IF NOT EXISTS long_term_memories_history ON long_term_memories (conf_uid, history_uid)", ct);
    }

    public async Task<IReadOnlyList<LongTermMemory>> LoadAllAsync(CancellationToken ct)
    {
        await using var db = Open();
        var rows = await db.GetTable<MemoryRow>().OrderBy(r => r.CreatedMs).ThenBy(r => r.Id).ToListAsync(ct);
        return rows.Select(r => r.ToMemory()).ToList();
    }

    public async Task InsertAsync(LongTermMemory memory)
    {
        await using var db = Open();
        await db.InsertAsync(MemoryRow.From(memory));
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> ids)
    {
        await using var db = Open();
        await db.GetTable<MemoryRow>().Where(r => ids.Contains(r.Id)).DeleteAsync();
    }

    public async Task DeleteHistoryAsync(string confUid, string historyUid)
    {
        await using var db = Open();
        await db.GetTable<MemoryRow>().Where(r => r.ConfUid == confUid && r.HistoryUid == historyUid).DeleteAsync();
    }

    [Table("long_term_memories")]
    private sealed class MemoryRow
    {
        [PrimaryKey, Column("id", Length = 32)] public string Id { get; set; } = "";
        [Column("conf_uid"), NotNull] public string ConfUid { get; set; } = "";
        [Column("history_uid"), NotNull] public string HistoryUid { get; set; } = "";
        [Column("record")] public int Record { get; set; }
        // Unix milliseconds with the offset kept apart: both databases store and sort a bigint the same way.
        [Column("created_ms")] public long CreatedMs { get; set; }
        [Column("offset_minutes")] public int OffsetMinutes { get; set; }
        [Column("text"), NotNull] public string Text { get; set; } = "";
        // Little-endian float32s, the normalised vector.
        [Column("vector"), NotNull] public byte[] Vector { get; set; } = [];

        public static MemoryRow From(LongTermMemory m)
        {
            var bytes = new byte[m.Vector.Length * sizeof(float)];
            Buffer.BlockCopy(m.Vector, 0, bytes, 0, bytes.Length);
            return new MemoryRow
            {
                Id = m.Id, ConfUid = m.ConfUid, HistoryUid = m.HistoryUid, Record = m.Record,
                CreatedMs = m.Created.ToUnixTimeMilliseconds(), OffsetMinutes = (int)m.Created.Offset.TotalMinutes,
                Text = m.Text, Vector = bytes,
            };
        }

        public LongTermMemory ToMemory()
        {
            var vector = new float[Vector.Length / sizeof(float)];
            Buffer.BlockCopy(Vector, 0, vector, 0, vector.Length * sizeof(float));
            var created = DateTimeOffset.FromUnixTimeMilliseconds(CreatedMs).ToOffset(TimeSpan.FromMinutes(OffsetMinutes));
            return new LongTermMemory(Id, ConfUid, HistoryUid, Record, created, Text, vector);
        }
    }
}
