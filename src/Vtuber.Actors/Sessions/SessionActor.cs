using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Vtuber.Actors.Characters;
using Vtuber.Actors.Configuration;
using Vtuber.Actors.Groups;
using Vtuber.Actors.History;
using Vtuber.Actors.Memory;
using Vtuber.Agents.Memory;
using Vtuber.Actors.Telemetry;
using Vtuber.Actors.Turns;
using Vtuber.Actors.Voice;
using Vtuber.Agents;
using Vtuber.Domain.Config;
using Vtuber.Domain.History;
using Vtuber.Domain.Text;
using Vtuber.Domain.Vad;
using Vtuber.Protocol;

using Utterance = Vtuber.Actors.Voice.Utterance;

namespace Vtuber.Actors.Sessions;

/// <summary>
/// One connected client: its agent memory, current history, running turn. It only sequences: the turn runs in an
/// Akka.Streams graph (TurnPipeline), histories persist in their own actors, text shaping and audio encoding are
/// plain classes. Every frame goes through the client's single socket writer.
/// </summary>
public sealed partial class SessionActor : ReceiveActor, IWithTimers, IWithStash
{
    private readonly string _clientUid;
    private readonly IClientConnection _connection;
    private CharacterServices _character;
    private readonly IActorRef _histories;
    // The node's long-term memory actor; null where the host runs none (actor tests).
    private readonly IActorRef? _memories;
    private readonly TurnOptions _turnOptions;
    private ChatAgent _agent;
    private SentenceRenderer _renderer;
    private readonly MicrophoneInput _microphone;
    // The config file this session's character came from (conf.yaml or an alternate) and a hot reload waiting
    // for the running turn to end.
    private string _characterFile;
    private ConfigChanged? _pendingConfig;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IMaterializer _materializer = Context.Materializer();
    private Transcriber? _transcriber; // the ASR stage, started with the first voice turn
    private string _historyUid = "";
    private long _lastTurnId;
    private readonly PendingAppends _appends = new();
    private readonly Queue<object> _historyRequests = new(); // the head is with the histories, the rest wait
    // Correlation ids of the append and the request with the histories now (0: none); answers carry theirs.
    private long _lastCorrelationId;
    private (long Id, string HistoryUid) _appendInFlight;
    private long _requestInFlight;
    private RunningTurn? _turn;
    private RawAudioInput? _rawAudio;
    // Records in the current history as this session made or loaded them: the position of the next one, which
    // tells a rolling summary which records it covers.
    private int _historyRecords;
    // The fold (rolling summary) being written between turns, if any; a new turn cancels it.
    private RunningFold? _fold;
    // Set when a fold failed, until one succeeds: one warning per outage.
    private bool _foldFailing;
    // The newest summary waiting for the appends before it to reach the journal.
    private StoreSummary? _unjournaledSummary;

    // What a restarted incarnation takes over from the one that crashed (see PreRestart); shared through Props.
    private readonly SessionResume _resume;

    public SessionActor(string clientUid, IClientConnection connection, CharacterServices character,
        IActorRef histories, TurnOptions turnOptions, GroupLinks groups, SessionResume? resume = null,
        IActorRef? memories = null)
    {
        _memories = memories;
        _clientUid = clientUid;
        _groupLinks = groups;
        _connection = connection;
        _resume = resume ?? new SessionResume();
        if (_resume.Character is { } resumed)
        {
            character = resumed;
        }
        _character = character;
        _histories = histories;
        _turnOptions = turnOptions;
        _agent = character.CreateAgent();
        _renderer = new SentenceRenderer(character.Tts, TimeSpan.FromSeconds(turnOptions.TtsTimeoutSeconds),
            character.Translator);
        _microphone = new MicrophoneInput(character.Config.System.Voice);
        _characterFile = _resume.CharacterFile ?? Path.GetFileName(character.Config.SourcePath);
        _historyUid = _resume.HistoryUid;
        _lastTurnId = _resume.LastTurnId;
        _groupMembership = _resume.Group;

        Receive<TextInput>(m => Trigger(new UserInput(m.Text, Images(m.Images)), storeHumanRecord: true));
        Receive<AiSpeakSignal>(m =>
        {
            Send(new FullText("AI wants to speak something..."));
            // The proactive prompt is an instruction, not something the user said: not in memory, not in history.
            Trigger(new UserInput(_character.ProactiveSpeakPrompt, Images(m.Images), SkipMemory: true), storeHumanRecord: false);
        });
        Receive<InterruptSignal>(m => OnInterruptSignal(m.HeardText));
        Receive<FrontendPlaybackComplete>(_ => OnPlaybackComplete());
        Receive<TurnStreamEnded>(OnTurnStreamEnded);
        Receive<FoldWritten>(OnFoldWritten);
        Receive<SummaryJournaled>(m =>
        {
            if (m.Reply is not SummaryStored)
            {
                // The memory has the summary; only a later reload would summarise those turns again.
                _log.Warning("Session {0}: the summary of history {1} was not journaled: {2}", _clientUid, m.HistoryUid,
                    m.Reply is HistoryWriteFailed failed ? failed.Reason : "no answer in time");
            }
        });
        Receive<PlaybackTimedOut>(m =>
        {
            if (_turn is { Phase: TurnPhase.AwaitingPlayback } turn && turn.Id == m.TurnId)
            {
                _log.Info("Session {0}: no frontend-playback-complete within {1}s, ending the turn", _clientUid,
                    _turnOptions.PlaybackCompleteTimeoutSeconds);
                FinishTurn(turn);
            }
        });

        Receive<Heartbeat>(_ => Send(new HeartbeatAck()));
        Receive<RequestInitConfig>(_ => Send(ModelAndConf(withClientUid: true)));
        Receive<FetchConfigs>(_ => Send(new ConfigFiles(
            CharacterCatalog.List(_character.Config).Select(c => new ConfigFileEntry(c.FileName, c.Name)).ToList())));
        Receive<FetchBackgrounds>(_ => Send(new BackgroundFiles(BackgroundCatalog.List(_character.Config.System.BackgroundsDir))));

        // History requests are answered in the order the client sent them (the frontend's open sequence sends
        // fetch-history-list then create-new-history and relies on that order), one at a time.
        Receive<CreateNewHistory>(_ => RequestHistory(new CreateHistory(ConfUid)));
        Receive<FetchHistoryList>(_ => RequestHistory(new ListHistories(ConfUid)));
        Receive<FetchAndSetHistory>(m => RequestHistory(new LoadHistory(ConfUid, m.HistoryUid)));
        Receive<Vtuber.Protocol.DeleteHistory>(m => RequestHistory(new Vtuber.Actors.History.DeleteHistory(ConfUid, m.HistoryUid)));
        Receive<HistoryAnswer>(OnHistoryAnswer);
        Receive<RetryHistoryAppend>(_ =>
        {
            _appends.RetryDue();
            SendNextAppend();
        });

        Receive<MicAudioData>(m =>
        {
            if (_microphone.Add(m.Samples) is { } error)
            {
                Send(new ErrorMessage(error));
            }
            Sender.Tell(AudioAccepted.Instance); // the socket reader waits for this before reading on
        });
        Receive<MicAudioEnd>(m =>
        {
            var utterance = _microphone.End();
            StartVoiceTurn(new Utterance(utterance.Samples16k, Images(m.Images)), utterance.Refusal);
        });
        Receive<Utterance>(m => StartVoiceTurn(m, refusal: null));
        Receive<UtteranceTranscribed>(OnTranscribed);
        Receive<RawAudioData>(OnRawAudio);
        Receive<SpeechStarted>(_ =>
        {
            Send(new Control(Control.Interrupt));
            Interrupt(""); // the frontend only logs control interrupt, so the server stops its own turn
        });
        Receive<SpeechEnded>(m =>
        {
            if (m.Utterance is { } utterance)
            {
                OnVoiceUtterance(utterance, _character.Character.Vad.ServerStartsTurn);
            }
        });
        Receive<RawAudioStopped>(m =>
        {
            if (m.Input == _rawAudio)
            {
                _rawAudio = null; // the next chunk starts a fresh graph
            }
            if (m.Failure is { } failure)
            {
                VtuberMetrics.Error(VtuberMetrics.ErrorKind.Vad);
                Send(new ErrorMessage($"Server-side VAD failed: {failure.Message}"));
            }
        });
        Receive<SwitchConfig>(m => SwitchCharacter(m.File));
        Receive<ConfigChanged>(m =>
        {
            _pendingConfig = m; // the newest wins; applied between turns, never in the middle of one
            if (_turn is null)
            {
                ApplyPendingConfig();
            }
        });
        ReceiveGroupMessages();

        Receive<InboundMark>(_ => Sender.Tell(InboundCaughtUp.Instance));
        Receive<ConnectionClosed>(_ => Context.Stop(Self));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    private string ConfUid => _character.Character.ConfUid;

    protected override void PreStart()
    {
        // ConfigChanged comes from the supervisor (see SessionsSupervisor), in order with this session's creation.
        if (_resume.Restarts > 0)
        {
            // Restarted in place: the socket stayed open and the client already has its greeting; it hears of the
            // crash once, and the memory is rebuilt from the current history in the journal (its unsent records
            // were handed to the histories first, so the load sees them).
            VtuberMetrics.Error(VtuberMetrics.ErrorKind.SessionCrash);
            Send(new ErrorMessage($"The session hit an internal error ({_resume.Reason}) and was restarted; " +
                                  "the conversation goes on from its saved history"));
            if (_resume.TurnWasRunning)
            {
                Send(new Control(Control.ConversationChainEnd)); // the frontend leaves "thinking"/"speaking"
            }
            if (_historyUid.Length > 0)
            {
                _histories.Ask<object>(new LoadHistory(ConfUid, _historyUid), HistoryTimeout)
                    .ContinueWith(t => new MemoryRestored(t.IsCompletedSuccessfully ? t.Result as HistoryLoaded : null),
                        TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
                BecomeStacked(Restoring); // the next turn must see the restored memory
            }
            return;
        }
        JoinRegistry(); // before the greeting carries the client uid that others may invite
        // Counted once per socket: a restarted incarnation (above) is the same session.
        VtuberMetrics.SessionsActive.Add(1);
        // olv-protocol.md 2.3: the connect sequence, before anything the client sent is handled.
        Send(GroupUpdate.Alone);
        Send(new FullText(FullText.ConnectionEstablished));
        Send(ModelAndConf(withClientUid: true));
        Send(GroupUpdate.Alone);
        Send(new Control(Control.StartMic));
    }

    /// <summary>
    /// A crash (the supervisor restarts sessions in place): everything but the socket is let go as in PostStop,
    /// and what the next incarnation needs — the character, the current history, the turn counter — is handed over.
    /// </summary>
    protected override void PreRestart(Exception reason, object message)
    {
        _resume.Restarts++;
        _resume.Reason = reason.GetType().Name;
        _resume.Character = _character;
        _resume.CharacterFile = _characterFile;
        _resume.HistoryUid = _historyUid;
        _resume.LastTurnId = _lastTurnId;
        _resume.TurnWasRunning = _turn is not null;
        _resume.Group = _groupMembership;
        if (_turn is { Group: not null } groupTurn)
        {
            ReportGroupTurn(groupTurn, ""); // the group goes on with its next speaker
        }
        _connection.Gate.Shut(); // the crashed incarnation's turn must not reach the client any more
        Release();
    }

    protected override void PostStop()
    {
        VtuberMetrics.SessionsActive.Add(-1);
        Release();
        _connection.Close("session ended");
    }

    private void Release()
    {
        _microphone.Clear();
        Context.System.EventStream.Unsubscribe(Self);
        _rawAudio?.Complete();
        _transcriber?.Complete();
        if (_turn is { } turn)
        {
            Cancel(turn);
        }
        CancelFold();
        // A tab closed right after a reply must not lose it: what the journal has not taken yet goes to the
        // histories in order (same sender, same receiver), with no one left to wait for the answer.
        foreach (var batch in _appends.Unsent())
        {
            _histories.Tell(batch, ActorRefs.NoSender);
        }
        if (_unjournaledSummary is { } summary)
        {
            _histories.Tell(summary, ActorRefs.NoSender); // behind those appends: same sender, same receiver
            _unjournaledSummary = null;
        }
    }

    private void Trigger(UserInput input, bool storeHumanRecord)
    {
        if (string.IsNullOrWhiteSpace(input.Text) && input.Images.Count == 0)
        {
            Send(new ErrorMessage("Invalid 'text-input' message: text is empty"));
            return;
        }
        if (TryTriggerGroup(input, proactive: !storeHumanRecord))
        {
            return;
        }
        StartReply(OpenTurn(), input, storeHumanRecord);
    }

    /// <summary>A new turn: cancels a running one, opens the gate, sends chain-start and "Thinking...".</summary>
    private RunningTurn OpenTurn()
    {
        if (_turn is not null)
        {
            // A new trigger while a turn runs cancels it like an interrupt with nothing heard (OLV lets both run).
            Interrupt("");
        }
        // A fold never competes with a turn for the LLM (a local server answers one request at a time): it is
        // cancelled and planned again after this turn's reply; meanwhile the oldest turns are left out instead.
        CancelFold();

        var turn = new RunningTurn(++_lastTurnId, new CancellationTokenSource(), new TurnTranscript());
        _turn = turn;
        _connection.Gate.Open(turn.Id);
        Send(new Control(Control.ConversationChainStart), turn.Id);
        Send(new FullText(FullText.Thinking), turn.Id);
        return turn;
    }

    private void StartReply(RunningTurn turn, UserInput input, bool storeHumanRecord)
    {
        turn.Phase = TurnPhase.Streaming;
        int? record = null;
        if (storeHumanRecord)
        {
            record = _historyUid.Length > 0 ? _historyRecords : null;
            Store(new ChatRecord(ChatRecord.Human, Now(), input.Text, _character.Character.HumanName));
        }

        // Long-term memory recalls for what the user said, not for the proactive prompt (an instruction of ours).
        var recall = storeHumanRecord && input.Text.Length > 0 ? Recall() : null;
        var request = _agent.BeginTurn(input, record, recall is null ? 0 : RecalledNote.MaxTokens);
        if (recall is not null && record is { } position)
        {
            turn.Remember = (_historyUid, position, input.Text);
        }
        var agent = _agent;
        var toolStatus = ToolStatusSender(turn.Id);
        var historyUid = _historyUid;
        Func<CancellationToken, IAsyncEnumerable<string>> reply = recall is null
            ? ct => agent.StreamAsync(request, ct, toolStatus)
            : ct => RecallThenReply(recall, historyUid, input.Text, agent, request, toolStatus, ct);
        var (killSwitch, completion) = TurnPipeline.Run(turn.Id, reply, _character.Shaper,
            _renderer, _turnOptions.TtsParallelism, _connection, turn.Transcript, _materializer, turn.Cancellation.Token);
        turn.KillSwitch = killSwitch;
        var turnId = turn.Id;
        completion.ContinueWith(t => new TurnStreamEnded(turnId, t.Exception?.GetBaseException()),
            TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
    }

    /// <summary>
    /// tool_call_status frames of a turn (olv-protocol 2.6 step 7): sent at once, not through the ordered audio
    /// sentences, so the frontend shows "is using tool" while earlier sentences are still being synthesised. They
    /// carry the turn id, so an interrupted turn's statuses are dropped with its audio; only OLV's fields leave.
    /// </summary>
    private Func<Vtuber.Agents.Tools.ToolCallUpdate, CancellationToken, ValueTask> ToolStatusSender(long turnId)
    {
        var connection = _connection;
        var name = _character.Character.CharacterName;
        var group = _turn?.Group;
        return async (update, ct) =>
        {
            var frame = new ToolCallStatus(update.ToolId, update.ToolName, update.Status, update.Content,
                ToolCallStatus.OlvTimestamp(DateTimeOffset.UtcNow), name);
            group?.Conversation.Tell(new BroadcastToOthers(_clientUid, frame)); // in a group every member sees it
            await connection.EnqueueTurnFrameAsync(new OutboundFrame(turnId, ServerMessageJson.Serialize(frame)), ct);
        };
    }

    /// <summary>olv-protocol.md 2.6 steps 3–4: the turn opens, then ASR runs off this thread and is piped back.</summary>
    private void StartVoiceTurn(Utterance utterance, string? refusal)
    {
        var turn = OpenTurn();
        if (refusal is not null || utterance.Samples16k.Length == 0)
        {
            Send(new ErrorMessage(refusal ?? "No speech to answer: the utterance has no samples"), turn.Id);
            FinishTurn(turn);
            return;
        }
        turn.Phase = TurnPhase.Transcribing;
        turn.Images = utterance.Images;
        _transcriber ??= Transcriber.Start(Self, TimeSpan.FromSeconds(_turnOptions.AsrTimeoutSeconds), _materializer);
        _transcriber.Offer(new TranscriptionRequest(_character.Recognizer, utterance.Samples16k, turn.Id, turn.Cancellation.Token));
    }

    private void OnTranscribed(UtteranceTranscribed transcribed)
    {
        if (_turn is not { Phase: TurnPhase.Transcribing } turn || turn.Id != transcribed.TurnId)
        {
            return; // an interrupted turn's recognition finishing late
        }
        if (transcribed.Error is { } error)
        {
            turn.Failed = true;
            Send(new ErrorMessage(error), turn.Id);
            FinishTurn(turn);
            return;
        }
        Send(new UserInputTranscription(transcribed.Text), turn.Id);
        if (transcribed.Text.Length == 0)
        {
            Send(new ErrorMessage($"No speech recognised ({_character.Recognizer.Name}): nothing to answer"), turn.Id);
            FinishTurn(turn);
            return;
        }
        if (TryTriggerGroupWithTranscript(turn, transcribed.Text))
        {
            return;
        }
        // The transcript is the human's words: in memory and history as if typed (olv-protocol.md 2.6 steps 5-6).
        StartReply(turn, new UserInput(transcribed.Text, turn.Images), storeHumanRecord: true);
    }

    private void OnRawAudio(RawAudioData chunk)
    {
        if (_character.Character.Vad.VadModel != VadConfig.SileroVad)
        {
            chunk.Samples.Dispose();
            Sender.Tell(AudioAccepted.Instance);
            Send(new ErrorMessage("raw-audio-data needs server-side VAD: set character_config.vad_config.vad_model to 'silero_vad'"));
            return;
        }
        if (_rawAudio is null)
        {
            var input = RawAudioInput.Start(VadBatcher.For(Context.System), _character.Character.Vad.Silero, Self, _materializer);
            input.Completion.ContinueWith(t => new RawAudioStopped(input, t.Exception?.GetBaseException()),
                TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
            _rawAudio = input;
        }
        // Answered once queued, never refused: the reader's wait for this answer is the backpressure.
        _rawAudio.OfferAsync(chunk).PipeTo(Sender, success: () => AudioAccepted.Instance, failure: _ => AudioAccepted.Instance);
    }

    /// <summary>
    /// Speech ended with an utterance. OLV's way (default): the samples join the mic buffer and the client is told,
    /// which answers mic-audio-end to start the turn. server_starts_turn: the server starts the turn itself.
    /// </summary>
    private void OnVoiceUtterance(Vtuber.Domain.Vad.Utterance utterance, bool startTurn)
    {
        if (startTurn)
        {
            StartVoiceTurn(new Utterance(utterance.Samples16k, []), refusal: null);
            return;
        }
        // As OLV: the utterance joins the mic buffer and the client's mic-audio-end starts the turn from it.
        if (_microphone.Add(utterance.Samples16k) is { } error)
        {
            Send(new ErrorMessage(error));
        }
        Send(new Control(Control.MicAudioEnd));
    }

    private void OnTurnStreamEnded(TurnStreamEnded ended)
    {
        if (_turn is not { Phase: TurnPhase.Streaming } turn || turn.Id != ended.TurnId)
        {
            return; // a cancelled turn's stream finishing late
        }
        if (ended.Failure is { } failure)
        {
            turn.Failed = true;
            VtuberMetrics.Error(failure is LlmProviderException ? VtuberMetrics.ErrorKind.Llm : VtuberMetrics.ErrorKind.Turn);
            Send(new ErrorMessage(failure is LlmProviderException llm
                ? $"Error processing agent response: LLM provider {llm.Provider} failed: {llm.Cause}"
                : $"Conversation error: {failure.Message}"), turn.Id);
            _log.Warning("Session {0}: turn {1} failed: {2}", _clientUid, turn.Id, failure.Message);
        }
        else
        {
            // The memory keeps the raw LLM text (tags included), as OLV's agent does when its stream ends.
            _agent.CompleteTurn(turn.Transcript.RawReply);
            if (turn.Remember is { } told && told.HistoryUid == _historyUid && turn.Transcript.RawReply.Length > 0)
            {
                Recall()?.Remember(told.HistoryUid, told.Record, DateTimeOffset.Now, told.UserText, turn.Transcript.RawReply);
            }
            // The LLM is done with this turn: the time the user listens is the time to fold old turns.
            FoldIfDue();
        }

        if (turn.Transcript.VoicedFrames == 0)
        {
            FinishTurn(turn);
            return;
        }
        // Queued behind the last audio frame on the same writer, so it is written after it.
        Send(new BackendSynthComplete(), turn.Id);
        turn.Phase = TurnPhase.AwaitingPlayback;
        Timers.StartSingleTimer(PlaybackTimerKey, new PlaybackTimedOut(turn.Id),
            TimeSpan.FromSeconds(_turnOptions.PlaybackCompleteTimeoutSeconds));
    }

    private void OnPlaybackComplete()
    {
        // The real frontend sends this 7–10 times per turn; only the first one while we wait counts.
        if (_turn is { Phase: TurnPhase.AwaitingPlayback } turn)
        {
            FinishTurn(turn);
        }
    }

    private void FinishTurn(RunningTurn turn)
    {
        Timers.Cancel(PlaybackTimerKey);
        _connection.Gate.Finish(turn.Id); // the rest of it still goes out after the next turn opens
        VtuberMetrics.TurnEnded(turn.Failed ? VtuberMetrics.Outcome.Failed : VtuberMetrics.Outcome.Completed);
        Send(new ForceNewMessage(), turn.Id);
        Send(new Control(Control.ConversationChainEnd), turn.Id);
        var reply = ReplyText.JoinForHistory(turn.Transcript.DisplayTexts);
        if (turn.Group is not null)
        {
            ReportGroupTurn(turn, turn.Failed ? "" : reply); // the group stores it in every member's history
        }
        else if (!turn.Failed && reply.Length > 0)
        {
            Store(new ChatRecord(ChatRecord.Ai, Now(), reply, _character.Character.CharacterName, _character.Character.Avatar));
        }
        _turn = null;
        ApplyPendingConfig();
    }

    private void Interrupt(string heard)
    {
        if (_turn is not { } turn)
        {
            return; // nothing runs: the frontend only interrupts while the AI speaks, a late signal changes nothing
        }
        Cancel(turn);
        _turn = null;
        if (turn.Group is not null)
        {
            ReportGroupTurn(turn, ""); // cut off here (a switch, speech on the server VAD): the group goes on
        }
        VtuberMetrics.TurnEnded(VtuberMetrics.Outcome.Interrupted);
        // While transcribing nothing was said yet: memory and history stay as they were.
        if (turn.Phase != TurnPhase.Transcribing)
        {
            // olv-protocol.md 2.9: memory gets heard + "..." and the marker; history gets ai(heard) + system marker.
            _agent.HandleInterrupt(heard);
            Store(new ChatRecord(ChatRecord.Ai, Now(), heard, _character.Character.CharacterName, _character.Character.Avatar),
                new ChatRecord(ChatRecord.System, Now(), ChatRecord.InterruptedMarker));
        }
        ApplyPendingConfig();
    }

    private void SwitchCharacter(string file)
    {
        if (_turn is not null)
        {
            Interrupt(""); // the frontend interrupts before switching; a turn of the old character must not go on
        }
        // Building a character may load models or start programs (a llama model check can take minutes): it runs off
        // the mailbox. Until it is done everything else waits in the stash, so the client's replies keep its order;
        // the stash holds at most what one client sends meanwhile (its reader waits on this session for audio).
        var current = _character;
        Task.Run(() => CharacterSwitch.Switch(current, file)).PipeTo(Self,
            success: update => new SwitchBuilt(file, update),
            failure: e => new SwitchBuilt(file, new CharacterUpdate(null, e.Message)));
        BecomeStacked(Switching);
    }

    private void Switching()
    {
        Receive<SwitchBuilt>(m =>
        {
            UnbecomeStacked();
            Stash.UnstashAll();
            FinishSwitch(m.File, m.Update);
        });
        Receive<ConnectionClosed>(_ => Context.Stop(Self));
        ReceiveAny(_ => Stash.Stash());
    }

    private void Restoring()
    {
        Receive<MemoryRestored>(m =>
        {
            if (m.Loaded is { Exists: true } loaded && loaded.HistoryUid == _historyUid)
            {
                LoadMemory(loaded);
            }
            else
            {
                _log.Warning("Session {0}: memory of history {1} not restored after a restart", _clientUid, _historyUid);
            }
            UnbecomeStacked();
            Stash.UnstashAll();
        });
        Receive<ConnectionClosed>(_ => Context.Stop(Self));
        ReceiveAny(_ => Stash.Stash()); // at most what the client sends during one history load (HistoryTimeout)
    }

    private void FinishSwitch(string file, CharacterUpdate update)
    {
        if (update.Services is not { } next)
        {
            _log.Warning("Session {0}: switch-config to {1} refused: {2}", _clientUid, file, update.Error);
            Send(new ErrorMessage($"Error switching configuration: {update.Error}"));
            return;
        }
        Adopt(next, file);
        Send(ModelAndConf(withClientUid: false));
        Send(new ConfigSwitched($"Switched to config: {file}"));
    }

    private void ApplyPendingConfig()
    {
        if (_pendingConfig is not { } changed)
        {
            return;
        }
        _pendingConfig = null;
        var update = CharacterSwitch.Reload(_character, _characterFile, changed.Services);
        if (update.Error is { } error)
        {
            _log.Warning("Session {0}: keeps its config, the reloaded one does not fit its character: {1}", _clientUid, error);
        }
        if (update.Services is not { } next)
        {
            return;
        }
        var tellClient = CharacterSwitch.ChangesWhatTheClientSees(_character, next);
        Adopt(next, _characterFile);
        if (tellClient)
        {
            Send(ModelAndConf(withClientUid: false));
        }
    }

    private void Adopt(CharacterServices next, string file)
    {
        _agent = CharacterSwitch.Handover(_character, _agent, next);
        if (next.Character.ConfUid != ConfUid)
        {
            _historyUid = ""; // histories belong to a conf_uid: the client creates or loads one of the new character
        }
        _character = next;
        _renderer = new SentenceRenderer(next.Tts, TimeSpan.FromSeconds(_turnOptions.TtsTimeoutSeconds), next.Translator);
        _characterFile = file;
        SendProfile();
    }

    private void Cancel(RunningTurn turn)
    {
        // Order matters: shut the gate first so nothing of this turn is written from now on, then stop the graph
        // and the LLM/TTS calls (both asynchronous).
        _connection.Gate.Shut();
        Timers.Cancel(PlaybackTimerKey);
        turn.KillSwitch?.Shutdown();
        // Not disposed: TTS/LLM tasks of the stream may still observe the token while they unwind.
        turn.Cancellation.Cancel();
    }

    private void OnHistoryLoaded(HistoryLoaded loaded)
    {
        if (!loaded.Exists)
        {
            Send(new ErrorMessage($"History {loaded.HistoryUid} not found"));
            return;
        }
        _historyUid = loaded.HistoryUid;
        LoadMemory(loaded);
        Send(new HistoryData(HistoryView.Messages(loaded.Records).Select(Payload).ToList()));
    }

    private void Store(params ChatRecord[] records)
    {
        if (_historyUid.Length == 0) // as OLV: nothing is written while the session has no history
        {
            return;
        }
        if (!_appends.TryAdd(new AppendRecords(ConfUid, _historyUid, records)))
        {
            Send(new ErrorMessage($"Chat history {_historyUid} is not being saved: {_appends.Count} writes are waiting for the journal, this one is dropped"));
            return;
        }
        _historyRecords += records.Length;
        SendNextAppend();
    }

    /// <summary>The agent's memory from a loaded history: its journaled summary and the records after it.</summary>
    private void LoadMemory(HistoryLoaded loaded)
    {
        CancelFold();
        _historyRecords = loaded.Records.Count;
        _agent.LoadFromHistory(loaded.Records, loaded.Summary?.Text, loaded.Summary?.CoversRecords ?? 0);
    }

    /// <summary>
    /// Starts writing a rolling summary when the memory has outgrown its share of the prompt budget (the agent
    /// decides), off the mailbox; at most one at a time. Its result comes back as <see cref="FoldWritten"/>.
    /// </summary>
    private void FoldIfDue()
    {
        if (_fold is not null || _agent.PlanSummary() is not { } job)
        {
            return;
        }
        var fold = new RunningFold(job, _agent, _historyUid, new CancellationTokenSource());
        _fold = fold;
        var agent = _agent;
        Task.Run(() => agent.SummarizeAsync(job, fold.Cancellation.Token)).ContinueWith(
            t => new FoldWritten(fold, t.IsCompletedSuccessfully ? t.Result : null, t.Exception?.GetBaseException()),
            TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
    }

    private void OnFoldWritten(FoldWritten written)
    {
        if (written.Fold != _fold)
        {
            return; // a cancelled fold finishing late
        }
        _fold = null;
        written.Fold.Cancellation.Dispose();
        if (written.Summary is not { Length: > 0 } summary)
        {
            if (!_foldFailing)
            {
                _foldFailing = true;
                _log.Warning("Session {0}: the rolling summary failed ({1}); the oldest turns are left out of the prompt " +
                             "until it works, retried after the next turn", _clientUid,
                    written.Failure is LlmProviderException llm ? llm.Cause : written.Failure?.Message ?? "empty summary");
            }
            return;
        }
        _foldFailing = false;
        var job = written.Fold.Job;
        if (!ReferenceEquals(written.Fold.Agent, _agent) || !_agent.ApplySummary(job, summary))
        {
            return; // the memory was replaced meanwhile (another history, a new agent)
        }
        if (job.CoversRecords is { } covers && written.Fold.HistoryUid.Length > 0 && written.Fold.HistoryUid == _historyUid)
        {
            _unjournaledSummary = new StoreSummary(ConfUid, _historyUid, covers, summary); // the newest replaces an older one
            JournalSummaryIfSettled();
        }
        FoldIfDue(); // a long loaded history may need several folds; each one is small enough for one request
    }

    /// <summary>
    /// A summary covers records the journal must hold first, and appends wait in order in <see cref="_appends"/>
    /// (a slow journal can be many behind): the summary goes once every append queued before it is settled.
    /// </summary>
    private void JournalSummaryIfSettled()
    {
        if (_unjournaledSummary is not { } store || _appends.Count > 0)
        {
            return;
        }
        _unjournaledSummary = null;
        _histories.Ask<object>(store, HistoryTimeout).ContinueWith(
            t => new SummaryJournaled(store.HistoryUid, t.IsCompletedSuccessfully ? t.Result : null),
            TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
    }

    private void CancelFold()
    {
        if (_fold is { } fold)
        {
            _fold = null;
            fold.Cancellation.Cancel(); // disposed by nobody: the summary task may still observe the token
        }
    }

    private void SendNextAppend()
    {
        if (_appends.NextToSend() is { } next)
        {
            _appendInFlight = (AskHistories(next), next.HistoryUid);
        }
    }

    /// <summary>
    /// Every answer of the histories comes back through here, tagged with the correlation id of the one request it
    /// answers: an answer that is not for the append or the request in flight (it came after its timeout) is dropped,
    /// so it can never be taken for the answer to a later one.
    /// </summary>
    private void OnHistoryAnswer(HistoryAnswer answer)
    {
        if (answer.CorrelationId == _appendInFlight.Id)
        {
            var historyUid = _appendInFlight.HistoryUid;
            _appendInFlight = default;
            OnAppendAnswer(answer.Reply, historyUid);
        }
        else if (answer.CorrelationId == _requestInFlight)
        {
            _requestInFlight = 0;
            OnRequestAnswer(answer.Reply);
            HistoryAnswered();
        }
        else
        {
            _log.Debug("Session {0}: dropped a late history answer {1}", _clientUid, answer.Reply?.GetType().Name);
        }
    }

    private void OnAppendAnswer(object? reply, string historyUid)
    {
        switch (reply)
        {
            case RecordsAppended:
                _appends.Acknowledged();
                AppendSettled();
                break;
            case HistoryWriteFailed { Transient: false } refused:
                _appends.Refused();
                VtuberMetrics.Error(VtuberMetrics.ErrorKind.Journal);
                Send(new ErrorMessage($"Chat history {refused.HistoryUid} could not be saved: {refused.Reason}"));
                AppendSettled();
                break;
            case HistoryWriteFailed failed:
                RetryAppend(failed.HistoryUid, failed.Reason);
                break;
            default:
                // No answer in time (e.g. the history was stopped with the append in its mailbox): sent again as a
                // retry, which a history that did store it acknowledges without storing it twice.
                RetryAppend(historyUid, $"no answer within {HistoryTimeout.TotalSeconds:0.###} s");
                break;
        }
    }

    private void RetryAppend(string historyUid, string reason)
    {
        // One error frame per outage; the records stay queued in order and are retried until the journal is back.
        var retry = _appends.Failed();
        if (retry.OutageStarted)
        {
            VtuberMetrics.Error(VtuberMetrics.ErrorKind.Journal);
            Send(new ErrorMessage($"Chat history {historyUid} could not be saved: {reason}; retrying"));
        }
        _log.Warning("Session {0}: history write failed ({1}), retry in {2}", _clientUid, reason, retry.Delay);
        Timers.StartSingleTimer(RetryTimerKey, RetryHistoryAppend.Instance, retry.Delay);
        AppendSettled();
    }

    private void OnRequestAnswer(object? reply)
    {
        switch (reply)
        {
            case HistoryCreated created:
                _historyUid = created.HistoryUid;
                _historyRecords = 0;
                CancelFold();
                _agent.LoadFromHistory([]);
                Send(new NewHistoryCreated(created.HistoryUid));
                break;
            case HistoryList list:
                Send(new HistoryListMessage(
                    list.Histories.Select(h => new HistorySummaryPayload(h.Uid, Payload(h.LatestMessage), h.Timestamp)).ToList()));
                break;
            case HistoryLoaded loaded:
                OnHistoryLoaded(loaded);
                break;
            case Vtuber.Actors.History.HistoryDeleted deleted:
                if (deleted.Success && deleted.HistoryUid == _historyUid)
                {
                    _historyUid = "";
                }
                if (deleted.Success)
                {
                    _memories?.Tell(new ForgetHistoryMemories(deleted.ConfUid, deleted.HistoryUid));
                }
                Send(new HistoryDeletedMessage(deleted.Success, deleted.HistoryUid));
                break;
            case HistoryWriteFailed failed: // only a create is answered this way
                VtuberMetrics.Error(VtuberMetrics.ErrorKind.Journal);
                Send(new ErrorMessage($"Chat history {failed.HistoryUid} could not be created: {failed.Reason}"));
                break;
            default:
                VtuberMetrics.Error(VtuberMetrics.ErrorKind.Journal);
                Send(new ErrorMessage($"The chat history did not answer within {HistoryTimeout.TotalSeconds:0.###} s; please retry"));
                break;
        }
    }

    /// <summary>
    /// Sends to the histories and pipes the answer back with a fresh correlation id. The answer goes to a temporary
    /// asker that lives until the timeout: after it, a late answer dies with the asker and the session gets a null.
    /// </summary>
    private long AskHistories(object request)
    {
        var correlationId = ++_lastCorrelationId;
        _histories.Ask<object>(request, HistoryTimeout).ContinueWith(
            t => new HistoryAnswer(correlationId, t.IsCompletedSuccessfully ? t.Result : null),
            TaskContinuationOptions.ExecuteSynchronously).PipeTo(Self);
        return correlationId;
    }

    private void RequestHistory(object request)
    {
        // Bounded: a client flooding history requests gets an error naming the limit instead of a growing queue.
        var limit = _character.Config.System.Limits.MaxHistoryRequests;
        if (_historyRequests.Count >= limit)
        {
            Send(new ErrorMessage($"Too many history requests waiting: {limit} (system_config.limits.max_history_requests); this one is dropped"));
            return;
        }
        _historyRequests.Enqueue(request);
        if (_historyRequests.Count == 1)
        {
            SendHistoryRequest(request);
        }
    }

    private void HistoryAnswered()
    {
        if (_historyRequests.Count > 0)
        {
            _historyRequests.Dequeue();
        }
        if (_historyRequests.TryPeek(out var next))
        {
            SendHistoryRequest(next);
        }
    }

    private void SendHistoryRequest(object request)
    {
        // Read your own writes: list, load and delete see (or delete) records still being written, so they wait for
        // the appends before them. That wait is bounded too: an append that gets no answer times out, and while
        // appends fail reads go at once.
        if (request is CreateHistory || !_appends.TryDefer(request))
        {
            _requestInFlight = AskHistories(request);
        }
    }

    private void AppendSettled()
    {
        SendNextAppend();
        JournalSummaryIfSettled();
        // The history updates its listing before acknowledging, through the same façade, so a list asked for
        // after the acknowledgement sees the records. While the journal fails reads go at once: they cannot
        // include what is not written.
        foreach (var read in _appends.ReleaseReads()) // at most one: requests go one at a time
        {
            _requestInFlight = AskHistories(read);
        }
    }

    private SetModelAndConf ModelAndConf(bool withClientUid) =>
        new(_character.ModelInfo, _character.Character.ConfName, ConfUid, withClientUid ? _clientUid : null);

    private void Send(ServerMessage message, long turnId = 0)
    {
        if (!_connection.TryEnqueue(new OutboundFrame(turnId, ServerMessageJson.Serialize(message))))
        {
            _log.Debug("Session {0}: connection closed, dropped {1}", _clientUid, message.Type);
        }
    }

    private static HistoryRecordPayload Payload(ChatRecord r) => new(r.Role, r.Timestamp, r.Content, r.Name, r.Avatar);

    private static IReadOnlyList<ImageInput> Images(IReadOnlyList<ImagePayload> images) =>
        images.Select(i => new ImageInput(i.Source, i.Data, i.MimeType)).ToList();

    private static string Now() => ChatTimestamp.Format(DateTime.Now);

    private const string PlaybackTimerKey = "playback-complete";
    private const string RetryTimerKey = "history-retry";

    private enum TurnPhase { Transcribing, Streaming, AwaitingPlayback }

    private sealed class RunningTurn(long id, CancellationTokenSource cancellation, TurnTranscript transcript)
    {
        public long Id { get; } = id;
        public CancellationTokenSource Cancellation { get; } = cancellation;
        public TurnTranscript Transcript { get; } = transcript;
        public UniqueKillSwitch? KillSwitch { get; set; }
        public TurnPhase Phase { get; set; } = TurnPhase.Streaming;
        /// <summary>Images of a voice turn's trigger, held while ASR runs.</summary>
        public IReadOnlyList<ImageInput> Images { get; set; } = [];
        public bool Failed { get; set; }
        /// <summary>Set when this turn is the session's part of a group conversation.</summary>
        public GroupTurnLink? Group { get; set; }
        /// <summary>Where the user's text was stored, when long-term memory keeps this turn once it is finished.</summary>
        public (string HistoryUid, int Record, string UserText)? Remember { get; set; }
    }

    /// <summary>The character's long-term memory for this session; null when it is off.</summary>
    private LongTermRecall? Recall() =>
        _memories is not null && _character.Embeddings is { } embeddings && _character.Character.LongTermMemory.Enabled
            ? new LongTermRecall(ConfUid, _character.Character.LongTermMemory, embeddings, _character.EmbeddingHealth,
                _memories, _log)
            : null;

    /// <summary>
    /// The turn's reply, after long-term memory's note is added to its request. Runs on the turn's stream, so the
    /// recall (query embedding and search) is the only thing it puts in front of the first token.
    /// </summary>
    private static async IAsyncEnumerable<string> RecallThenReply(LongTermRecall recall, string historyUid, string text,
        ChatAgent agent, ChatRequest request, Func<Vtuber.Agents.Tools.ToolCallUpdate, CancellationToken, ValueTask> toolStatus,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var note = RecalledNote.Format(await recall.RecallAsync(historyUid, text, ct), agent.Tokens);
        await foreach (var token in agent.StreamAsync(note is null ? request : ChatAgent.WithRecalledNote(request, note),
                           ct, toolStatus))
        {
            yield return token;
        }
    }

    private sealed record SwitchBuilt(string File, CharacterUpdate Update);

    /// <summary>A rolling summary being written for this agent's memory, for the history current when it began.</summary>
    private sealed record RunningFold(Vtuber.Agents.Context.SummaryJob Job, ChatAgent Agent, string HistoryUid,
        CancellationTokenSource Cancellation);

    /// <summary>A fold's result: the summary, or null with the failure (null too when it was cancelled).</summary>
    private sealed record FoldWritten(RunningFold Fold, string? Summary, Exception? Failure);

    private sealed record SummaryJournaled(string HistoryUid, object? Reply);

    private sealed record MemoryRestored(HistoryLoaded? Loaded);

    private sealed record TurnStreamEnded(long TurnId, Exception? Failure);

    private sealed record PlaybackTimedOut(long TurnId);

    private sealed record RawAudioStopped(RawAudioInput Input, Exception? Failure);

    /// <summary>What the histories answered to the request with this correlation id; null: no answer in time.</summary>
    private sealed record HistoryAnswer(long CorrelationId, object? Reply);

    /// <summary>How long an append or a request waits for the histories (system_config.journal.history_timeout_seconds).</summary>
    private TimeSpan HistoryTimeout => TimeSpan.FromSeconds(_character.Config.System.Journal.HistoryTimeoutSeconds);

    private sealed record RetryHistoryAppend
    {
        public static readonly RetryHistoryAppend Instance = new();
    }
}
