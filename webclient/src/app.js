// The server's own web client: one WebSocket to /client-ws speaking the Open-LLM-VTuber protocol, as the official
// frontend does (olv-protocol.md), with a character drawn here in SVG instead of a Live2D model.
"use strict";

const $ = (id) => document.getElementById(id);
const ui = {
  status: $("status"), characterName: $("character-name"), configSelect: $("config-select"),
  error: $("error"), errorText: $("error-text"), errorClose: $("error-close"),
  subtitle: $("subtitle"), messages: $("messages"), historyToggle: $("history-toggle"), historyList: $("history-list"),
  newChat: $("new-chat"), composer: $("composer"), text: $("text"), stop: $("stop"), mic: $("mic"),
  imageFile: $("image-file"), camera: $("camera"), cameraPreview: $("camera-preview"), attachments: $("attachments"),
  mouth: $("mouth"), eyeLeft: $("eye-left"), eyeRight: $("eye-right"), browLeft: $("brow-left"),
  browRight: $("brow-right"), cheeks: $("cheeks"), svg: $("character"),
};

const STATE_LABELS = {
  connecting: "Connecting…", idle: "Ready", listening: "Listening", thinking: "Thinking…", speaking: "Speaking",
  interrupted: "Interrupted", disconnected: "Disconnected",
};

// Everything the page shows, readable by tests as window.vtuber.snapshot() (the drawn state, not pixels).
const client = {
  aiState: "connecting",
  socket: null,
  reconnectDelayMs: 1000,
  reconnectAt: 0,
  confName: "", confUid: "", clientUid: "", emotionMap: {},
  historyUid: "", histories: [],
  configs: [],
  // The reply being played: queued audio messages, the texts heard so far (sent with an interrupt) and whether the
  // server said every sentence is synthesised.
  queue: [], playing: null, heard: [], synthComplete: false, playbackCompleteSent: false, chainEnded: false,
  aiBubble: null,
  mouthOpen: 0, mouthPeak: 0, mouthSamples: 0, expression: "neutral",
  played: [], audioPlayStarts: 0, interruptsSent: [], errors: [],
  images: [], cameraStream: null, vad: null, micOn: false, stateBeforeSpeech: "idle",
};

let audioContext = null;
function audio() {
  audioContext ??= new AudioContext();
  if (audioContext.state === "suspended") audioContext.resume();
  return audioContext;
}
// Browsers start audio only after a user gesture: the first click or key press unlocks it.
for (const event of ["pointerdown", "keydown"]) document.addEventListener(event, () => audio(), { once: true });

// ---- state ----
function setState(state, detail) {
  client.aiState = state;
  document.body.dataset.state = state;
  ui.status.textContent = detail ? `${STATE_LABELS[state]} — ${detail}` : STATE_LABELS[state];
  if (state === "idle") setExpression("neutral");
}

function showError(message) {
  client.errors.push(message);
  ui.errorText.textContent = message;
  ui.error.hidden = false;
  addMessage("error", message);
}
ui.errorClose.onclick = () => { ui.error.hidden = true; };

// ---- socket ----
function socketUrl() {
  const params = new URLSearchParams(location.search);
  if (params.has("token")) localStorage.setItem("vtuber.token", params.get("token"));
  const token = localStorage.getItem("vtuber.token");
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/client-ws${token ? `?token=${encodeURIComponent(token)}` : ""}`;
}

function connect() {
  setState("connecting");
  const socket = new WebSocket(socketUrl());
  client.socket = socket;
  socket.onopen = () => {
    client.reconnectDelayMs = 1000;
    send({ type: "fetch-configs" });
    send({ type: "fetch-history-list" });
    send({ type: "create-new-history" });
  };
  socket.onmessage = (event) => {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    handle(message);
  };
  socket.onclose = (event) => {
    if (client.socket !== socket) return;
    stopPlayback();
    // Reconnect by itself with a growing pause (1 s doubling to 10 s), showing the countdown.
    const delay = client.reconnectDelayMs;
    client.reconnectDelayMs = Math.min(delay * 2, 10000);
    client.reconnectAt = Date.now() + delay;
    const reason = event.reason || (event.code === 1006 ? "server unreachable" : `code ${event.code}`);
    const tick = () => {
      const left = Math.max(0, Math.ceil((client.reconnectAt - Date.now()) / 1000));
      setState("disconnected", `${reason}; reconnecting in ${left} s`);
    };
    tick();
    const timer = setInterval(tick, 500);
    setTimeout(() => { clearInterval(timer); connect(); }, delay);
  };
}

function send(message) {
  if (client.socket?.readyState === WebSocket.OPEN) client.socket.send(JSON.stringify(message));
}

function handle(message) {
  switch (message.type) {
    case "set-model-and-conf":
      client.confName = message.conf_name ?? "";
      client.confUid = message.conf_uid ?? "";
      if (message.client_uid) client.clientUid = message.client_uid;
      client.emotionMap = message.model_info?.emotionMap ?? {};
      const model = message.model_info?.name;
      ui.characterName.textContent = model && model !== client.confName ? `${client.confName} (${model})` : client.confName;
      selectCurrentConfig();
      setState("idle");
      break;
    case "full-text":
      ui.subtitle.textContent = message.text;
      break;
    case "control":
      handleControl(message.text);
      break;
    case "user-input-transcription":
      addMessage("human", message.text);
      break;
    case "audio":
      // Like the official frontend: audio that arrives after an interrupt or while the user speaks is dropped.
      if (client.aiState === "interrupted" || client.aiState === "listening") break;
      client.queue.push(message);
      playNext();
      break;
    case "backend-synth-complete":
      client.synthComplete = true;
      maybePlaybackComplete();
      break;
    case "force-new-message":
      client.aiBubble = null;
      break;
    case "history-list":
      client.histories = message.histories ?? [];
      renderHistories();
      break;
    case "history-data":
      ui.messages.replaceChildren();
      client.aiBubble = null;
      for (const record of message.messages ?? []) {
        const role = record.role === "human" ? "human" : record.role === "ai" ? "ai" : "system";
        addMessage(role, role === "ai" ? withoutEmotionTags(record.content ?? "") : record.content);
      }
      break;
    case "new-history-created":
      client.historyUid = message.history_uid;
      ui.messages.replaceChildren();
      client.aiBubble = null;
      send({ type: "fetch-history-list" });
      if (client.aiState !== "disconnected") setState("idle");
      break;
    case "history-deleted":
      send({ type: "fetch-history-list" });
      break;
    case "config-files":
      client.configs = message.configs ?? [];
      ui.configSelect.replaceChildren(...client.configs.map((config) => new Option(config.name, config.filename)));
      selectCurrentConfig();
      break;
    case "config-switched":
      addMessage("system", message.message);
      setState("idle");
      send({ type: "fetch-history-list" });
      send({ type: "create-new-history" });
      break;
    case "tool_call_status":
      addMessage("system", `${message.name ?? "The character"} ${message.status === "running" ? "is using" : "used"} tool ${message.tool_name}` +
        (message.status === "error" ? ` (${message.content})` : ""));
      break;
    case "error":
      showError(message.message ?? "unknown error");
      break;
    default:
      break;
  }
}

function handleControl(text) {
  switch (text) {
    case "start-mic":
      if (localStorage.getItem("vtuber.mic") === "on" && !client.micOn) startMic();
      break;
    case "conversation-chain-start":
      client.queue = [];
      client.heard = [];
      client.synthComplete = false;
      client.playbackCompleteSent = false;
      client.chainEnded = false;
      client.aiBubble = null;
      ui.error.hidden = true;
      setState("thinking");
      break;
    case "conversation-chain-end":
      client.chainEnded = true;
      if (!client.playing && client.queue.length === 0 && client.aiState !== "interrupted") setState("idle");
      break;
    default:
      break;
  }
}

// ---- playback: the reply's sentences in order, each with its subtitle and mouth envelope ----
async function playNext() {
  if (client.playing || client.queue.length === 0) return;
  const message = client.queue.shift();
  const item = { message, source: null, startedAt: 0, volumes: message.volumes ?? [], sliceMs: message.slice_length || 20 };
  client.playing = item;
  const text = message.display_text?.text ?? "";
  try {
    const context = audio();
    let buffer = null;
    if (message.audio) {
      const bytes = Uint8Array.from(atob(message.audio), (c) => c.charCodeAt(0));
      buffer = await context.decodeAudioData(bytes.buffer);
    }
    if (client.playing !== item) return; // stopped while decoding
    if (item.volumes.length === 0 && buffer) item.volumes = envelope(buffer, item.sliceMs);
    startSentence(item, text, message);
    if (buffer) {
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      item.source = source;
      item.startedAt = context.currentTime;
      source.onended = () => finishSentence(item);
      source.start();
    } else {
      // A sentence without audio (its TTS failed): show it for a reading time, then go on.
      setTimeout(() => finishSentence(item), Math.max(800, text.length * 60));
    }
  } catch (error) {
    showError(`Could not play a sentence: ${error.message ?? error}`);
    finishSentence(item);
  }
}

// Emotion tags such as [joy] stay in display_text (olv-protocol.md 0); the face shows them, the words do not.
function withoutEmotionTags(text) {
  return text.replace(/\[([^\]]+)\]\s*/g, (tag, name) => (name.toLowerCase() in client.emotionMap ? "" : tag)).trim();
}

function startSentence(item, text, message) {
  setState("speaking");
  const shown = withoutEmotionTags(text);
  ui.subtitle.textContent = shown;
  client.heard.push(text);
  client.played.push(text);
  client.audioPlayStarts++;
  if (!message.forwarded) send({ type: "audio-play-start", display_text: message.display_text, forwarded: true });
  const expressions = message.actions?.expressions;
  if (Array.isArray(expressions) && expressions.length > 0) setExpression(expressionName(expressions[0]));
  if (!client.aiBubble) client.aiBubble = addMessage("ai", "");
  client.aiBubble.textContent += (client.aiBubble.textContent ? " " : "") + shown;
}

function finishSentence(item) {
  if (client.playing !== item) return;
  client.playing = null;
  if (client.queue.length > 0) {
    playNext();
    return;
  }
  maybePlaybackComplete();
  if (client.chainEnded) setState("idle");
}

// The official frontend answers once the server has synthesised everything and the queue has drained.
function maybePlaybackComplete() {
  if (client.synthComplete && !client.playing && client.queue.length === 0 && !client.playbackCompleteSent &&
      client.aiState !== "interrupted") {
    client.playbackCompleteSent = true;
    send({ type: "frontend-playback-complete" });
  }
}

function stopPlayback() {
  const item = client.playing;
  client.playing = null;
  client.queue = [];
  if (item?.source) {
    item.source.onended = null;
    try { item.source.stop(); } catch { /* not started yet */ }
  }
}

// Stop (or barge-in): silence the reply and tell the server what was heard, so memory and history keep only that.
function interrupt() {
  if (client.aiState !== "thinking" && client.aiState !== "speaking") return false;
  stopPlayback();
  const heard = client.heard.join("");
  client.interruptsSent.push(heard);
  send({ type: "interrupt-signal", text: heard });
  setState("interrupted");
  return true;
}
ui.stop.onclick = () => interrupt();

// RMS per slice normalised to a peak of 1, as the server computes `volumes`, for audio that came without them.
function envelope(buffer, sliceMs) {
  const samples = buffer.getChannelData(0);
  const size = Math.max(1, Math.round(buffer.sampleRate * sliceMs / 1000));
  const volumes = [];
  for (let start = 0; start < samples.length; start += size) {
    let sum = 0;
    const end = Math.min(samples.length, start + size);
    for (let i = start; i < end; i++) sum += samples[i] * samples[i];
    volumes.push(Math.sqrt(sum / (end - start)));
  }
  const peak = Math.max(...volumes, 1e-9);
  return volumes.map((v) => v / peak);
}

// ---- the drawn character ----
// actions.expressions holds emotionMap values (usually expression indices): the first key mapping to it names the face.
function expressionName(value) {
  if (typeof value === "string" && FACES[value]) return value;
  const entry = Object.entries(client.emotionMap).find(([, v]) => v === value);
  return entry && FACES[entry[0]] ? entry[0] : entry ? faceFor(entry[0]) : "neutral";
}
function faceFor(emotion) {
  if (/happy|joy|smile|smirk/i.test(emotion)) return "joy";
  if (/sad|cry/i.test(emotion)) return "sadness";
  if (/ang|mad/i.test(emotion)) return "anger";
  if (/surpri|shock/i.test(emotion)) return "surprise";
  return "neutral";
}
// Per face: brow tilt (px, + = inner ends down), mouth curve (+ = smile), eye height factor, blush.
const FACES = {
  neutral: { brow: 0, smile: 2, eye: 1, blush: 0 },
  joy: { brow: -3, smile: 9, eye: 0.75, blush: 0.8 },
  smirk: { brow: 2, smile: 5, eye: 0.8, blush: 0.3 },
  sadness: { brow: -7, smile: -6, eye: 0.85, blush: 0 },
  anger: { brow: 8, smile: -4, eye: 0.9, blush: 0.2 },
  disgust: { brow: 6, smile: -5, eye: 0.7, blush: 0 },
  fear: { brow: -6, smile: -3, eye: 1.2, blush: 0 },
  surprise: { brow: -8, smile: 0, eye: 1.3, blush: 0.2 },
};

function setExpression(name) {
  client.expression = FACES[name] ? name : "neutral";
  ui.svg.dataset.expression = client.expression;
  const face = FACES[client.expression];
  ui.browLeft.setAttribute("d", `M58 ${82 - face.brow / 2} L86 ${82 + face.brow / 2}`);
  ui.browRight.setAttribute("d", `M114 ${82 + face.brow / 2} L142 ${82 - face.brow / 2}`);
  ui.cheeks.setAttribute("opacity", String(face.blush));
}

let blinkUntil = 0;
setInterval(() => { blinkUntil = performance.now() + 140; }, 4200);

function drawFrame() {
  const item = client.playing;
  let target = 0;
  if (item?.source && audioContext) {
    const index = Math.floor((audioContext.currentTime - item.startedAt) * 1000 / item.sliceMs);
    target = item.volumes[index] ?? 0;
  }
  // Open fast, close a little slower, so the mouth does not flicker between 20 ms slices.
  client.mouthOpen += (target - client.mouthOpen) * (target > client.mouthOpen ? 0.6 : 0.35);
  if (client.mouthOpen < 0.01) client.mouthOpen = 0;
  if (item?.source) {
    client.mouthSamples++;
    client.mouthPeak = Math.max(client.mouthPeak, client.mouthOpen);
  }
  const face = FACES[client.expression];
  const open = client.mouthOpen * 22;
  const curve = face.smile;
  ui.mouth.setAttribute("d",
    `M84 ${140 - curve / 3} Q100 ${140 + curve - open / 3} 116 ${140 - curve / 3} Q100 ${140 + curve + open} 84 ${140 - curve / 3} Z`);
  ui.mouth.dataset.open = client.mouthOpen.toFixed(3);
  const eye = performance.now() < blinkUntil ? 0.1 : face.eye;
  ui.eyeLeft.setAttribute("ry", String(11 * eye));
  ui.eyeRight.setAttribute("ry", String(11 * eye));
  requestAnimationFrame(drawFrame);
}

// ---- chat, history, character switch ----
function addMessage(role, text) {
  const li = document.createElement("li");
  li.className = role;
  li.textContent = text;
  ui.messages.append(li);
  ui.messages.scrollTop = ui.messages.scrollHeight;
  return li;
}

ui.composer.onsubmit = async (event) => {
  event.preventDefault();
  const text = ui.text.value.trim();
  if (!text) return;
  interrupt(); // typing over a reply interrupts it first, as the official frontend does
  const images = await takeImages();
  ui.text.value = "";
  addMessage("human", text);
  send({ type: "text-input", text, images });
  setState("thinking");
};

function renderHistories() {
  ui.historyList.replaceChildren(...client.histories.map((history) => {
    const li = document.createElement("li");
    li.dataset.uid = history.uid;
    if (history.uid === client.historyUid) li.classList.add("current");
    const open = document.createElement("button");
    open.type = "button";
    open.className = "open";
    const latest = history.latest_message?.content ?? "(empty)";
    open.textContent = `${(history.timestamp ?? "").replace("T", " ").slice(0, 16)} ${latest}`;
    open.onclick = () => {
      interrupt();
      client.historyUid = history.uid;
      send({ type: "fetch-and-set-history", history_uid: history.uid });
      renderHistories();
    };
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "delete";
    remove.textContent = "×";
    remove.title = "Delete this chat";
    remove.disabled = history.uid === client.historyUid; // the current chat cannot be deleted, as in the official one
    remove.onclick = () => send({ type: "delete-history", history_uid: history.uid });
    li.append(open, remove);
    return li;
  }));
}
ui.historyToggle.onclick = () => {
  ui.historyList.hidden = !ui.historyList.hidden;
  if (!ui.historyList.hidden) send({ type: "fetch-history-list" });
};
ui.newChat.onclick = () => { interrupt(); send({ type: "create-new-history" }); };

function selectCurrentConfig() {
  const current = client.configs.find((config) => config.name === client.confName);
  if (current) ui.configSelect.value = current.filename;
}
ui.configSelect.onchange = () => {
  interrupt();
  send({ type: "switch-config", file: ui.configSelect.value });
};

// ---- images: files and the camera ----
ui.imageFile.onchange = async () => {
  for (const file of ui.imageFile.files) {
    const data = await new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
    client.images.push({ source: "upload", data, mime_type: file.type || "image/png" });
    const img = document.createElement("img");
    img.src = data;
    img.alt = file.name;
    ui.attachments.append(img);
  }
  ui.imageFile.value = "";
};

ui.camera.onclick = async () => {
  if (client.cameraStream) {
    for (const track of client.cameraStream.getTracks()) track.stop();
    client.cameraStream = null;
    ui.cameraPreview.hidden = true;
  } else {
    try {
      client.cameraStream = await navigator.mediaDevices.getUserMedia({ video: true });
      ui.cameraPreview.srcObject = client.cameraStream;
      ui.cameraPreview.hidden = false;
    } catch (error) {
      showError(`Camera unavailable: ${error.message ?? error}`);
    }
  }
  ui.camera.setAttribute("aria-pressed", String(!!client.cameraStream));
  ui.camera.textContent = client.cameraStream ? "Camera on" : "Camera off";
};

// The attached files, plus one camera frame (JPEG, quality 0.8 like the official frontend) when the camera is on.
async function takeImages() {
  const images = client.images;
  client.images = [];
  ui.attachments.replaceChildren();
  const video = ui.cameraPreview;
  if (client.cameraStream && video.videoWidth > 0) {
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    images.push({ source: "camera", data: canvas.toDataURL("image/jpeg", 0.8), mime_type: "image/jpeg" });
  }
  return images;
}

// ---- microphone: voice detection in the browser (vad-web, Silero v5 on ONNX Runtime, all served from vendor/) ----
async function startMic() {
  try {
    client.vad ??= await window.vad.MicVAD.new({
      model: "v5",
      baseAssetPath: new URL("vendor/", location.href).href,
      onnxWASMBasePath: new URL("vendor/", location.href).href,
      onSpeechStart: () => {
        client.stateBeforeSpeech = client.aiState;
        interrupt(); // barge-in: speaking over the reply stops it, with what was heard
        setState("listening");
      },
      onVADMisfire: () => {
        setState(client.stateBeforeSpeech === "interrupted" ? "interrupted" : "idle");
      },
      onSpeechEnd: async (samples) => {
        // 16 kHz floats in [-1, 1], 4096 per message, then the end with any images (olv-protocol.md 2.19 c).
        for (let start = 0; start < samples.length; start += 4096) {
          send({ type: "mic-audio-data", audio: Array.from(samples.subarray(start, start + 4096)) });
        }
        send({ type: "mic-audio-end", images: await takeImages() });
        setState("thinking");
      },
    });
    await client.vad.start();
    client.micOn = true;
    localStorage.setItem("vtuber.mic", "on");
  } catch (error) {
    showError(`Microphone unavailable: ${error.message ?? error}`);
  }
  renderMic();
}

async function stopMic() {
  await client.vad?.pause();
  client.micOn = false;
  localStorage.setItem("vtuber.mic", "off");
  if (client.aiState === "listening") setState("idle");
  renderMic();
}
function renderMic() {
  ui.mic.setAttribute("aria-pressed", String(client.micOn));
  ui.mic.textContent = client.micOn ? "Mic on" : "Mic off";
}
ui.mic.onclick = () => (client.micOn ? stopMic() : startMic());

window.vtuber = {
  snapshot: () => ({
    aiState: client.aiState, status: ui.status.textContent, subtitle: ui.subtitle.textContent,
    mouthOpen: client.mouthOpen, mouthPeak: client.mouthPeak, mouthSamples: client.mouthSamples,
    expression: client.expression, played: [...client.played], audioPlayStarts: client.audioPlayStarts,
    playing: !!client.playing, queued: client.queue.length, interruptsSent: [...client.interruptsSent],
    errors: [...client.errors], historyUid: client.historyUid, histories: client.histories.map((h) => h.uid),
    messages: [...ui.messages.children].map((li) => ({ role: li.className, text: li.textContent })),
    micOn: client.micOn, confName: client.confName, connected: client.socket?.readyState === WebSocket.OPEN,
  }),
};

setExpression("neutral");
requestAnimationFrame(drawFrame);
connect();
