// The operator dashboard: polls /api/metrics/summary every 2 s and draws its plots as SVG (no libraries).
// With an access token the page is opened as /dashboard/?token=..., and the token goes to /api as a Bearer token.
"use strict";

const token = new URLSearchParams(location.search).get("token");
const SVG = "http://www.w3.org/2000/svg";
const W = 600, H = 200, PAD = { left: 44, right: 10, top: 22, bottom: 22 };
const css = name => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

function el(name, attrs, parent, text) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

const fmtSeconds = v => v == null ? "–" : v < 1 ? `${Math.round(v * 1000)} ms` : `${v.toFixed(2)} s`;
const clock = ms => new Date(ms).toTimeString().slice(0, 5);

// Axes, grid and legend shared by the time plots; returns x/y mappers.
function frame(svg, xs, yMax, yFormat, legend) {
  svg.replaceChildren();
  const x0 = PAD.left, x1 = W - PAD.right, y0 = H - PAD.bottom, y1 = PAD.top;
  const x = i => x0 + (xs.length <= 1 ? 0 : (i / (xs.length - 1)) * (x1 - x0));
  const y = v => y0 - (v / yMax) * (y0 - y1);
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4;
    el("line", { x1: x0, x2: x1, y1: y(v), y2: y(v), class: "axis" }, svg);
    el("text", { x: x0 - 4, y: y(v) + 4, "text-anchor": "end" }, svg, yFormat(v));
  }
  for (let i = 0; i < xs.length; i += Math.max(1, Math.floor(xs.length / 5))) {
    el("text", { x: x(i), y: H - 6, "text-anchor": "middle" }, svg, clock(xs[i]));
  }
  let lx = x0;
  for (const [name, color] of legend) {
    el("rect", { x: lx, y: 6, width: 10, height: 10, fill: color }, svg);
    el("text", { x: lx + 14, y: 15, class: "legend" }, svg, name);
    lx += 24 + name.length * 6.5;
  }
  return { x, y, x0, x1, y0 };
}

// Lines over time; null values break the line, lone points show as dots.
function linePlot(svg, xs, series, yFormat) {
  const max = niceMax(Math.max(0, ...series.flatMap(s => s.values.filter(v => v != null))));
  const f = frame(svg, xs, max, yFormat, series.map(s => [s.name, s.color]));
  for (const s of series) {
    let d = "";
    s.values.forEach((v, i) => {
      if (v == null) { d += " "; return; }
      const prev = i > 0 ? s.values[i - 1] : null;
      d += `${prev == null ? "M" : "L"}${f.x(i).toFixed(1)},${f.y(v).toFixed(1)}`;
      el("circle", { cx: f.x(i), cy: f.y(v), r: 2.2, fill: s.color }, svg);
    });
    el("path", { d, fill: "none", stroke: s.color, "stroke-width": 2, "data-series": s.name }, svg);
  }
}

// Stacked bars over time.
function barPlot(svg, xs, series) {
  const totals = xs.map((_, i) => series.reduce((sum, s) => sum + s.values[i], 0));
  const max = niceMax(Math.max(1, ...totals));
  const f = frame(svg, xs, max, v => Number.isInteger(v) ? String(v) : v.toFixed(1), series.map(s => [s.name, s.color]));
  const width = Math.max(2, (f.x1 - f.x0) / xs.length - 3);
  xs.forEach((_, i) => {
    let base = 0;
    for (const s of series) {
      const v = s.values[i];
      if (v > 0) el("rect", { x: f.x(i) - width / 2, y: f.y(base + v), width, height: f.y(base) - f.y(base + v), fill: s.color, "data-series": s.name }, svg);
      base += v;
    }
  });
}

// Horizontal bars: [{label, value, tick?, color}].
function hbars(svg, rows, format, empty) {
  svg.replaceChildren();
  if (rows.length === 0) { el("text", { x: W / 2, y: H / 2, "text-anchor": "middle" }, svg, empty); return; }
  const max = niceMax(Math.max(...rows.map(r => Math.max(r.value ?? 0, r.tick ?? 0))));
  const x0 = 130, x1 = W - 70, h = Math.min(28, (H - 10) / rows.length);
  rows.forEach((r, i) => {
    const y = 5 + i * h;
    el("text", { x: x0 - 6, y: y + h / 2 + 4, "text-anchor": "end", class: "legend" }, svg, r.label);
    const w = r.value == null ? 0 : ((x1 - x0) * r.value) / max;
    el("rect", { x: x0, y: y + 3, width: Math.max(w, 1), height: h - 6, fill: r.color, "data-row": r.label }, svg);
    if (r.tick != null) {
      const tx = x0 + ((x1 - x0) * r.tick) / max;
      el("line", { x1: tx, x2: tx, y1: y + 1, y2: y + h - 1, stroke: css("--fg"), "stroke-width": 2 }, svg);
    }
    el("text", { x: x0 + Math.max(w, r.tick == null ? 0 : ((x1 - x0) * r.tick) / max) + 6, y: y + h / 2 + 4 }, svg, format(r));
  });
}

function perMinute(points, pick) {
  const bins = new Map();
  for (const p of points) {
    const minute = Math.floor(p.startMs / 60000) * 60000;
    bins.set(minute, (bins.get(minute) ?? 0) + pick(p));
  }
  return bins;
}

function render(s) {
  const points = s.points;
  const xs = points.map(p => p.startMs);
  const ready = document.getElementById("ready");
  ready.textContent = `ready: ${s.readiness.status}`;
  ready.className = `badge ${s.readiness.status}`;
  document.getElementById("updated").textContent = `updated ${new Date(s.generatedAt).toLocaleTimeString()}`;
  document.getElementById("sessions").textContent = s.sessionsActive;
  const t = s.turnsByOutcome;
  document.getElementById("turns").textContent = t.completed + t.interrupted + t.failed;
  document.getElementById("turnsBy").textContent = `${t.completed} completed · ${t.interrupted} interrupted · ${t.failed} failed`;
  const fa = s.stages.firstAudio;
  document.getElementById("firstAudio").textContent = `${fmtSeconds(fa.p50)} / ${fmtSeconds(fa.p95)}`;
  document.getElementById("errors").textContent = Object.values(s.errorsByKind).reduce((a, b) => a + b, 0);

  linePlot(document.getElementById("sessionsPlot"), xs,
    [{ name: "sessions", color: css("--p50"), values: points.map(p => p.sessions) }], v => String(Math.round(v * 10) / 10));

  const bins = [...perMinute(points, () => 0).keys()];
  const minute = key => [...perMinute(points, p => p[key]).values()];
  barPlot(document.getElementById("turnsPlot"), bins, [
    { name: "completed", color: css("--completed"), values: minute("completed") },
    { name: "interrupted", color: css("--interrupted"), values: minute("interrupted") },
    { name: "failed", color: css("--failed"), values: minute("failed") },
  ]);

  linePlot(document.getElementById("firstAudioPlot"), xs, [
    { name: "p50", color: css("--p50"), values: points.map(p => p.firstAudioP50) },
    { name: "p95", color: css("--p95"), values: points.map(p => p.firstAudioP95) },
  ], fmtSeconds);

  linePlot(document.getElementById("stagesPlot"), xs, [
    { name: "LLM first token", color: css("--llm"), values: points.map(p => p.llmFirstTokenP50) },
    { name: "TTS per sentence", color: css("--tts"), values: points.map(p => p.ttsSentenceP50) },
    { name: "ASR per utterance", color: css("--asr"), values: points.map(p => p.asrUtteranceP50) },
  ], fmtSeconds);

  const stage = (label, st, color) => ({ label, value: st.p50, tick: st.p95, count: st.count, color });
  hbars(document.getElementById("stageBars"), [
    stage("first audio", s.stages.firstAudio, css("--first")),
    stage("LLM first token", s.stages.llmFirstToken, css("--llm")),
    stage("TTS sentence", s.stages.ttsSentence, css("--tts")),
    stage("ASR utterance", s.stages.asrUtterance, css("--asr")),
  ], r => r.count === 0 ? "none yet" : `${fmtSeconds(r.value)} / ${fmtSeconds(r.tick)} (${r.count})`, "");

  hbars(document.getElementById("errorBars"),
    Object.entries(s.errorsByKind).sort((a, b) => b[1] - a[1]).map(([kind, n]) => ({ label: kind, value: n, color: css("--failed") })),
    r => String(r.value), "no errors in the last 15 minutes");

  const facts = document.getElementById("facts");
  facts.replaceChildren();
  const fact = (k, v) => {
    const dt = document.createElement("dt"); dt.textContent = k;
    const dd = document.createElement("dd"); dd.textContent = v;
    facts.append(dt, dd);
  };
  fact("config", `${s.config.file}`);
  fact("config version", `${s.config.confVersion} · fingerprint ${s.config.fingerprint}`);
  fact("character", s.config.character);
  fact("LLM", s.config.llm);
  fact("TTS", s.config.tts);
  fact("ASR", s.config.asr);
  fact("journal", s.journal);
  for (const [name, check] of Object.entries(s.readiness.checks)) fact(`${name} check`, `${check.status}: ${check.description ?? ""}`);

  const cluster = document.getElementById("cluster");
  cluster.textContent = s.cluster == null
    ? "single node (not clustered)"
    : s.cluster.map(m => `${m.address} ${m.status}${m.roles.length ? " [" + m.roles.join(", ") + "]" : ""}`).join("\n");
  window.dashboardSummary = s; // for tests and the curious: the numbers the plots were drawn from
}

async function poll() {
  const problem = document.getElementById("problem");
  try {
    const response = await fetch("/api/metrics/summary", { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    if (!response.ok) throw new Error(`${response.status}: ${(await response.json().catch(() => ({}))).error ?? response.statusText}`);
    render(await response.json());
    problem.hidden = true;
  } catch (e) {
    problem.textContent = `The server did not answer the dashboard: ${e.message}`;
    problem.hidden = false;
  }
  setTimeout(poll, 2000);
}

poll();
