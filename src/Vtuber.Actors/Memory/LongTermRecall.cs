using Akka.Actor;
using Akka.Event;
using Microsoft.Extensions.AI;
using Vtuber.Agents.Memory;
using Vtuber.Domain.Config;

namespace Vtuber.Actors.Memory;

/// <summary>
/// A session's use of long-term memory for one character: the query of a turn (embed its text, search the node's
/// memories) and the storing of a finished turn (embedded in the background). Every embedding failure is swallowed
/// here: the turn goes on without recall, and the outage is logged once through the character's EmbeddingHealth.
/// </summary>
public sealed class LongTermRecall(string confUid, LongTermMemoryConfig config,
    IEmbeddingGenerator<string, Embedding<float>> embeddings, EmbeddingHealth health, IActorRef memories, ILoggingAdapter log)
{
    // A recall sits in front of the turn's first audio: an embedding endpoint slower than this is treated as down
    // for this turn. The search's own bound is generous because it is a millisecond when the actor is healthy.
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SearchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The memories of the character's other histories most similar to text; empty on any failure.</summary>
    public async Task<IReadOnlyList<RecalledMemory>> RecallAsync(string historyUid, string text, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(QueryTimeout);
        float[] vector;
        try
        {
            vector = (await embeddings.GenerateVectorAsync(text, cancellationToken: deadline.Token)).ToArray();
            Recovered();
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            Failed(e);
            return [];
        }
        try
        {
            var reply = await memories.Ask<MemoriesRecalled>(
                new RecallMemories(confUid, historyUid, vector, config.TopK, config.MinScore), SearchTimeout, ct);
            return reply.Memories;
        }
        catch (AskTimeoutException)
        {
            log.Warning("Long-term memory of {0}: the search did not answer within {1} s", confUid, SearchTimeout.TotalSeconds);
            return [];
        }
    }

    /// <summary>Embeds a finished turn in the background and hands it to the memory actor.</summary>
    public void Remember(string historyUid, int record, DateTimeOffset created, string userText, string reply)
    {
        var text = RecalledNote.TurnText(userText, reply);
        _ = Task.Run(async () =>
        {
            try
            {
                var vector = await embeddings.GenerateVectorAsync(text);
                Recovered();
                memories.Tell(new StoreMemory(confUid, historyUid, record, created, text, vector.ToArray()));
            }
            catch (Exception e)
            {
                Failed(e);
            }
        });
    }

    private void Failed(Exception e)
    {
        if (health.Failed())
        {
            log.Warning("Long-term memory of {0}: the embedding provider '{1}' failed ({2}); turns go on without recall " +
                        "until it answers again", confUid, config.Embedding.Provider, e.GetBaseException().Message);
        }
    }

    private void Recovered()
    {
        if (health.Succeeded())
        {
            log.Info("Long-term memory of {0}: the embedding provider '{1}' answers again", confUid, config.Embedding.Provider);
        }
    }
}
