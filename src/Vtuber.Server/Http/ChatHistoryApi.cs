using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Vtuber.Actors.History;
using Vtuber.Domain.History;

namespace Vtuber.Server.Http;

/// <summary>
/// Read-only HTTP API over the journal (Akka.Persistence.Query, not the live actors), for operators and tools:
///   GET /api/histories?conf_uid=X[&amp;limit=&amp;offset=]              histories of a character, newest first
///   GET /api/histories/{conf_uid}/{history_uid}[?limit=&amp;offset=]   its records, newest first
/// Paging is limit (1..500, default 50) + offset (from 0); every answer carries total. Errors are
/// {"error": "..."} with 400 (bad id or paging value) or 404 (no such history; deleted ones included).
/// </summary>
public static class ChatHistoryApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void MapChatHistoryApi(this WebApplication app)
    {
        // Built on first use: the actor system starts with the host, after the routes are mapped.
        var reader = new Lazy<ChatHistoryReader>(() => new ChatHistoryReader(app.Services.GetRequiredService<ActorSystem>()));

        app.MapGet("/api/histories", async (HttpRequest request) =>
        {
            var confUid = request.Query["conf_uid"].ToString();
            if (!ConfUidFormat.IsValid(confUid))
            {
                return Error(400, confUid.Length == 0 ? "conf_uid is required" : "invalid conf_uid");
            }
            var (page, error) = Paging(request);
            if (page is null)
            {
                return Error(400, error!);
            }
            var histories = (await reader.Value.ReadCharacterAsync(confUid))
                .OrderByDescending(h => h.LastActivity, StringComparer.Ordinal)
                .ThenByDescending(h => h.HistoryUid, StringComparer.Ordinal)
                .ToList();
            return Results.Json(new HistoryListResponse(confUid, histories.Count, page.Offset, page.Limit,
                histories.Skip(page.Offset).Take(page.Limit).Select(h => new HistoryEntry(h.HistoryUid, h.Created,
                    h.Records.Count, h.LatestMessage, Metadata(h))).ToList()), Json);
        });

        app.MapGet("/api/histories/{confUid}/{historyUid}", async (string confUid, string historyUid, HttpRequest request) =>
        {
            if (!ConfUidFormat.IsValid(confUid))
            {
                return Error(400, "invalid conf_uid");
            }
            if (!HistoryUid.IsValid(historyUid))
            {
                return Error(400, "invalid history_uid: expected YYYY-MM-DD_HH-MM-SS_<32 hex>");
            }
            var (page, error) = Paging(request);
            if (page is null)
            {
                return Error(400, error!);
            }
            if (await reader.Value.ReadAsync(confUid, historyUid) is not { } history)
            {
                return Error(404, $"no history {historyUid} for {confUid}");
            }
            var newestFirst = history.Records.Reverse().Skip(page.Offset).Take(page.Limit).ToList();
            return Results.Json(new HistoryResponse(confUid, historyUid, history.Created, Metadata(history),
                history.Records.Count, page.Offset, page.Limit, newestFirst), Json);
        });
    }

    private static IReadOnlyDictionary<string, JsonElement>? Metadata(StoredHistory history) =>
        history.Metadata.Count == 0 ? null : history.Metadata;

    private static (Page? Page, string? Error) Paging(HttpRequest request)
    {
        var limit = DefaultLimit;
        var offset = 0;
        if (request.Query.TryGetValue("limit", out var limitText) &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return (null, $"limit must be an integer 1..{MaxLimit}");
        }
        if (request.Query.TryGetValue("offset", out var offsetText) &&
            !int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            return (null, "offset must be an integer from 0");
        }
        return (new Page(limit, offset), null);
    }

    private static IResult Error(int status, string message) => Results.Json(new ErrorResponse(message), Json, statusCode: status);

    private sealed record Page(int Limit, int Offset);

    private sealed record ErrorResponse(string Error);

    private sealed record HistoryEntry(string Uid, string Created, int MessageCount, ChatRecord? LatestMessage,
        IReadOnlyDictionary<string, JsonElement>? Metadata);

    private sealed record HistoryListResponse(string ConfUid, int Total, int Offset, int Limit, IReadOnlyList<HistoryEntry> Histories);

    private sealed record HistoryResponse(string ConfUid, string HistoryUid, string Created,
        IReadOnlyDictionary<string, JsonElement>? Metadata, int Total, int Offset, int Limit, IReadOnlyList<ChatRecord> Records);
}
