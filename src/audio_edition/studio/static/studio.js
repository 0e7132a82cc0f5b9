// The studio's page: every text from the server is inserted with textContent, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { document: null, sentence: null, voice: null, job: null, narration: null };

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (method !== "GET") init.headers["X-Audio-Edition"] = "1";
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try { message = (await response.json()).error || message; } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
  const type = response.headers.get("content-type") || "";
  return type.startsWith("application/json") ? response.json() : response.blob();
}

function say(text, isError) {
  const message = $("message");
  message.textContent = text;
  message.className = isError ? "error" : "";
}

function documentPath(id) {
  return "/api/documents/" + id.split("/").map(encodeURIComponent).join("/");
}

function voiceLabel(id) {
  // "engine:" is the engine's default voice
  return id.endsWith(":") ? `${id.slice(0, -1)} (default voice)` : id;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

async function loadDocuments(select) {
  const { documents } = await api("GET", "/api/documents");
  const list = $("documents");
  list.replaceChildren();
  for (const doc of documents) {
    const button = element("button", "", doc.id);
    button.type = "button";
    button.dataset.id = doc.id;
    button.addEventListener("click", () => openDocument(doc.id).catch((e) => say(e.message, true)));
    const item = element("li");
    item.append(button);
    list.append(item);
  }
  if (select) await openDocument(select);
}

async function loadVoices() {
  const { voices, default: chosen } = await api("GET", "/api/voices");
  const select = $("voice");
  select.replaceChildren();
  const automatic = element("option", "", "the best installed voice");
  automatic.value = "";
  select.append(automatic);
  for (const voice of voices) {
    const option = element("option", "", voice.name + (voice.languages.length ? ` (${voice.languages.join(", ")})` : ""));
    option.value = voice.id;
    select.append(option);
  }
  select.value = chosen || "";
}

async function openDocument(id) {
  say("Reading " + id + "...");
  const voice = $("voice").value;
  const query = voice ? "?voice=" + encodeURIComponent(voice) : "";
  const doc = await api("GET", documentPath(id) + query);
  state.document = doc;
  for (const button of document.querySelectorAll("#documents button")) {
    button.setAttribute("aria-current", String(button.dataset.id === id));
  }
  $("main").hidden = false;
  $("title").textContent = doc.title;
  $("byline").textContent = [doc.author, doc.language, "voice " + voiceLabel(doc.voice)].filter(Boolean).join(" · ");
  $("proof").disabled = !(state.narration && state.narration.document === id);
  showText(doc);
  say("");
}

function showText(doc) {
  const text = $("text");
  text.replaceChildren();
  for (const chapter of doc.chapters) {
    const section = element("section");
    for (const paragraph of chapter.paragraphs) {
      const block = element("p", paragraph.heading ? "paragraph heading" : "paragraph");
      for (const sentence of paragraph.sentences) block.append(sentenceElement(sentence, doc.voice), " ");
      section.append(block);
    }
    text.append(section);
  }
}

function sentenceElement(sentence, documentVoice) {
  const span = element("span", "sentence");
  span.id = sentence.id;
  span.tabIndex = 0;
  span.append(element("span", "written", sentence.written));
  if (sentence.differs) span.append(element("span", "spoken", sentence.spoken));
  const voices = [...new Set(sentence.parts.map((part) => part.speaker ? `${part.speaker}: ${voiceLabel(part.voice)}` : voiceLabel(part.voice)))];
  if (voices.some((voice) => voice !== voiceLabel(documentVoice))) span.append(" ", element("span", "voice", voices.join(", ")));
  const proof = sentence.proof;
  if (proof) {
    span.title = `${proof.status}; heard: ${proof.heard || "nothing"}`;
    if (proof.flagged) span.classList.add("flagged");
    if (proof.status !== "ok") span.append(" ", element("span", `proof ${proof.status}`, proof.status));
  }
  const choose = () => chooseSentence(sentence, span);
  span.addEventListener("click", choose);
  span.addEventListener("keydown", (event) => { if (event.key === "Enter") choose(); });
  return span;
}

function chooseSentence(sentence, span) {
  for (const old of document.querySelectorAll(".sentence.selected")) old.classList.remove("selected");
  span.classList.add("selected");
  state.sentence = sentence;
  $("editor").hidden = false;
  $("edit-written").textContent = sentence.written;
  $("edit-spoken").value = sentence.editable;
  $("edit-proof").hidden = !sentence.proof;
  if (sentence.proof) {
    $("edit-proof-status").textContent = sentence.proof.status;
    $("edit-heard").textContent = sentence.proof.heard;
  }
  $("edit-spoken").focus();
}

function narrationRequest(format) {
  const body = { format };
  const voice = $("voice").value;
  if (voice) body.voice = voice;
  for (const [field, id] of [["rate", "rate"], ["sentence_pause_ms", "sentence-pause"], ["paragraph_pause_ms", "paragraph-pause"]]) {
    const value = parseInt($(id).value, 10);
    if (!Number.isNaN(value)) body[field] = value;
  }
  return body;
}

function clock(seconds) {
  const whole = Math.max(0, Math.round(seconds));
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, "0")}`;
}

function follow(job, progress, status) {
  // The job's events until it is finished, shown in `progress` and `status`; its last view.
  progress.value = 0;
  status.textContent = "waiting to start";
  return new Promise((resolve) => {
    const events = new EventSource(`/api/jobs/${job}/events`);
    events.onmessage = (event) => {
      const view = JSON.parse(event.data);
      progress.value = view.progress;
      status.textContent = jobLine(view);
      if (view.state === "done" || view.state === "failed") { events.close(); resolve(view); }
    };
  });
}

function jobLine(job) {
  const parts = [job.state, `${Math.round(job.progress * 100)}%`];
  if (job.state === "running" && job.seconds_left !== null) parts.push(`about ${clock(job.seconds_left)} left`);
  if (job.state === "done" && job.stats.synthesized !== null) parts.push(`${job.stats.synthesized} synthesized, ${job.stats.cached} from the cache`);
  if (job.error) parts.push(job.error);
  return parts.join(" · ");
}

async function narrate(format) {
  if (!state.document) return;
  const id = state.document.id;
  const { job } = await api("POST", documentPath(id) + "/narrations", narrationRequest(format));
  state.job = job;
  if (format === "mp3") listenAsMade(job);
  const view = await follow(job, $("progress"), $("status"));
  if (state.job !== job) return;  // another narration was asked for since
  if (view.state === "failed") { say(view.error, true); return; }
  state.narration = { job, document: id };
  $("proof").disabled = state.document.id !== id;
  finished(view, format);
}

function listenAsMade(job) {
  // the audio made so far plays at once, and keeps growing until the narration is done
  const player = $("player");
  player.dataset.job = job;
  player.src = `/api/jobs/${job}/audio?t=${Date.now()}`;
  player.play().catch(() => { /* the person presses play */ });
}

async function proofListen() {
  const narration = state.narration;
  const { job } = await api("POST", `/api/jobs/${narration.job}/proof`);
  $("proof").disabled = true;
  const view = await follow(job, $("progress"), $("proof-status"));
  $("proof").disabled = false;
  if (view.state === "failed") { say(view.error, true); return; }
  const flagged = Object.values(view.sentences).filter((proof) => proof.flagged).length;
  $("proof-status").textContent = `proof-listened: ${flagged} sentences flagged`;
  if (state.document && state.document.id === narration.document) await openDocument(narration.document);
}

async function publishFolder(event) {
  event.preventDefault();
  const body = { base_url: $("publish-url").value.trim() };
  const title = $("publish-title").value.trim();
  if (title) body.title = title;
  const voice = $("voice").value;
  if (voice) body.voice = voice;
  const { job } = await api("POST", "/api/publish", body);
  $("publish-links").replaceChildren();
  const view = await follow(job, $("publish-progress"), $("publish-status"));
  if (view.state === "failed") { say(view.error, true); return; }
  const feed = element("a", "", `Feed (${view.episodes} episodes)`);
  feed.href = view.feed;
  feed.id = "feed-link";
  const site = element("a", "", "Show page");
  site.href = view.page;
  $("publish-links").replaceChildren(feed, " ", site);
  for (const failure of view.failed) say(`${failure.document}: ${failure.error}`, true);
}

function finished(job, format) {
  const link = element("a", "", `${format.toUpperCase()} edition`);
  link.href = `/api/jobs/${job.job}/edition`;
  link.download = "";
  $("links").replaceChildren(link);
  if (format === "html") {
    const frame = $("read-along");
    frame.src = "/files/output/" + state.document.id.replace(/\.[^./]+$/, ".html").split("/").map(encodeURIComponent).join("/");
    frame.hidden = false;
  }
  const player = $("player");
  if (format !== "epub" && player.dataset.job !== job.job) {
    player.src = `/api/jobs/${job.job}/audio?t=${Date.now()}`;
    player.play().catch(() => { /* the person presses play */ });
  }
}

async function saveFix(spoken) {
  const sentence = state.sentence;
  await api("PUT", `${documentPath(state.document.id)}/sentences/${encodeURIComponent(sentence.id)}`, { spoken });
  await openDocument(state.document.id);
  await narrate("mp3");
}

async function saveWord() {
  const word = $("word").value.trim();
  if (!word) return;
  const spoken = $("word-say").value.trim();
  await api("PUT", `${documentPath(state.document.id)}/words/${encodeURIComponent(word)}`, { say: spoken || null });
  await openDocument(state.document.id);
  await narrate("mp3");
}

async function playSample() {
  const voice = $("voice").value;
  if (!voice) { say("choose a voice to hear it", true); return; }
  say("Speaking a sample...");
  const wav = await api("POST", "/api/voices/sample", { voice });
  const audio = $("sample-audio");
  audio.src = URL.createObjectURL(wav);
  await audio.play();
  say("");
}

async function upload(event) {
  event.preventDefault();
  const file = $("upload-file").files[0];
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  const { id } = await api("POST", "/api/documents", form);
  await loadDocuments(id);
}

function guarded(action) {
  return (...args) => Promise.resolve(action(...args)).catch((error) => say(error.message, true));
}

window.addEventListener("DOMContentLoaded", () => {
  $("upload").addEventListener("submit", guarded(upload));
  $("narrate").addEventListener("click", guarded(() => narrate("mp3")));
  for (const button of document.querySelectorAll("#downloads button")) {
    button.addEventListener("click", guarded(() => narrate(button.dataset.format)));
  }
  $("sample").addEventListener("click", guarded(playSample));
  $("proof").addEventListener("click", guarded(proofListen));
  $("publish").addEventListener("submit", guarded(publishFolder));
  $("save-fix").addEventListener("click", guarded(() => saveFix($("edit-spoken").value)));
  $("remove-fix").addEventListener("click", guarded(() => saveFix(null)));
  $("save-word").addEventListener("click", guarded(saveWord));
  $("voice").addEventListener("change", guarded(() => state.document && openDocument(state.document.id)));
  guarded(async () => { await loadVoices(); await loadDocuments(); })();
});
