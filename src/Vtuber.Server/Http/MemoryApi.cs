using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Akka.Actor;
using Akka.Hosting;
using Vtuber.Actors.Memory;
using Vtuber.Domain.History;

namespace Vtuber.Server.Http;

/// <summary>
/// The long-term memories of this node (behind the same access check as every /api route):
///   GET    /api/memories?conf_uid=X    the character's memories, oldest first (text, history, record, date; no vectors)
///   DELETE /api/memories/{id}          removes one: 204, or 404 when there is no such memory
/// Errors are {"error": "..."} with 400 or 404.
/// </summary>
public static class MemoryApi
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void MapMemoryApi(this WebApplication app)
    {
        app.MapGet("/api/memories", async (HttpRequest request, IRequiredActor<LongTermMemoryActor> memories) =>
        {
            var confUid = request.Query["conf_uid"].ToString();
            if (!ConfUidFormat.IsValid(confUid))
            {
                return Error(400, confUid.Length == 0 ? "conf_uid is required" : "invalid conf_uid");
            }
            var list = await (await memories.GetAsync()).Ask<MemoryList>(new ListMemories(confUid), AskTimeout);
            return Results.Json(new MemoryListResponse(confUid, list.Memories.Count, list.Memories
                .Select(m => new MemoryEntry(m.Id, m.HistoryUid, m.Record,
                    m.Created.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture), m.Text))
                .ToList()), Json);
        });

        app.MapDelete("/api/memories/{id}", async (string id, IRequiredActor<LongTermMemoryActor> memories) =>
        {
            var forgotten = await (await memories.GetAsync()).Ask<MemoryForgotten>(new ForgetMemory(id), AskTimeout);
            return forgotten.Found ? Results.NoContent() : Error(404, $"no memory {id}");
        });
    }

    private static IResult Error(int status, string message) => Results.Json(new ErrorResponse(message), Json, statusCode: status);

    private sealed record ErrorResponse(string Error);

    private sealed record MemoryEntry(string Id, string HistoryUid, int Record, string Created, string Text);

    private sealed record MemoryListResponse(string ConfUid, int Total, IReadOnlyList<MemoryEntry> Memories);
}
