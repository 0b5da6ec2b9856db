/* audiogen's page: everything it shows comes from the JSON API of the server that serves it.
 *
 * - The token is asked once (a small form) and kept in localStorage; every request sends it
 *   as "Authorization: Bearer ..." (writes need it; reads too when the server is --private).
 * - Links pasted one per line are POSTed one each as {"url"}; a chosen file goes as
 *   multipart/form-data ("file"). Each job is listed with its progress, followed through
 *   GET /api/articles/{id}/events (server-sent events, read with fetch so that the token goes
 *   with it) or, when that fails or MAX_STREAMS are open, GET /api/articles/{id} every second.
 * - A finished job opens as an episode: an <audio> element with the MP3, the .vtt as its
 *   <track>, whose cues are also listed with the current one highlighted; the chapters as
 *   buttons that seek; a download link.
 * - Every string from the API is inserted as text (el() below), never parsed as HTML, and
 *   only same-origin http(s) addresses become a link or a source.
 */
"use strict";

(() => {
  const TOKEN_KEY = "audiogen.token";
  const POLL_MS = 1000;
  const RETRY_MS = 5000;
  const PAGE_SIZE = 20;
  // A browser opens about six connections to one server: streams beyond this many would
  // starve the page's other requests (the audio included), so further jobs are polled.
  const MAX_STREAMS = 2;
  const FINISHED = new Set(["done", "failed"]);

  const $ = (id) => document.getElementById(id);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /* An element with attributes and children; strings become text nodes, never markup. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === null || value === undefined || value === false) continue;
      node.setAttribute(name, value === true ? "" : String(value));
    }
    node.append(...children.filter((child) => child !== null && child !== undefined));
    return node;
  }

  /* The address as an absolute URL when it is http(s) on this server, else null: an API
   * value never becomes a javascript: link or a source elsewhere. */
  function sameOrigin(address) {
    if (typeof address !== "string" || !address) return null;
    try {
      const url = new URL(address, location.href);
      return url.origin === location.origin ? url.href : null;
    } catch {
      return null;
    }
  }

  function isWebAddress(text) {
    try {
      return ["http:", "https:"].includes(new URL(text).protocol);
    } catch {
      return false;
    }
  }

  function clock(seconds) {
    const whole = Math.max(0, Math.round(Number(seconds) || 0));
    const [h, m, s] = [Math.floor(whole / 3600), Math.floor(whole / 60) % 60, whole % 60];
    const pad = (n) => String(n).padStart(2, "0");
    return h ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
  }

  function day(text) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? String(text) : date.toLocaleDateString();
  }

  /* --- the token ------------------------------------------------------------------------ */

  const token = {
    get() {
      try {
        return localStorage.getItem(TOKEN_KEY) || "";
      } catch {
        return ""; // storage refused (a private window): ask again next time
      }
    },
    set(value) {
      try {
        localStorage.setItem(TOKEN_KEY, value);
      } catch {
        /* kept for this visit only, in the form */
      }
      token.memory = value;
    },
    forget() {
      try {
        localStorage.removeItem(TOKEN_KEY);
      } catch {
        /* nothing was stored */
      }
      token.memory = "";
    },
    memory: "",
    value() {
      return token.get() || token.memory;
    },
  };

  function showToken(message) {
    const has = Boolean(token.value());
    $("token-form").hidden = has;
    $("token-saved").hidden = !has;
    if (message) say(message);
  }

  function onTokenSaved(event) {
    event.preventDefault();
    const value = $("token-input").value.trim();
    if (!value) return;
    token.set(value);
    $("token-input").value = "";
    showToken("The token is saved.");
    $("urls").focus();
    if (!jobs.size) loadArticles(pagePath(0));
  }

  function onTokenForgotten() {
    token.forget();
    showToken("The token is forgotten.");
    $("token-input").focus();
  }

  /* --- the API -------------------------------------------------------------------------- */

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  function headers(accept) {
    const result = new Headers({ Accept: accept });
    if (token.value()) result.set("Authorization", `Bearer ${token.value()}`);
    return result;
  }

  async function api(path, { method = "GET", json, form } = {}) {
    const request = { method, headers: headers("application/json") };
    if (json !== undefined) {
      request.headers.set("Content-Type", "application/json");
      request.body = JSON.stringify(json);
    }
    if (form) request.body = form; // the browser writes the multipart boundary
    const response = await fetch(path, request);
    if (response.status === 204) return null;
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const said = body && typeof body.error === "string" ? body.error : null;
      if (response.status === 401) refused();
      throw new ApiError(response.status, said || `the server answered ${response.status}`);
    }
    return body;
  }

  /* The server refused the token (or there was none): ask for it again. */
  function refused() {
    if (!token.value()) return showToken();
    token.forget();
    showToken("The server refused the token: enter it again.");
  }

  const articlePath = (id) => `/api/articles/${encodeURIComponent(id)}`;

  /* --- adding articles ------------------------------------------------------------------ */

  function say(message) {
    $("add-status").textContent = message;
  }

  async function onAdd(event) {
    event.preventDefault();
    const lines = $("urls").value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
    const file = $("file").files[0];
    const bad = lines.find((line) => !isWebAddress(line));
    if (!lines.length && !file) return say("Paste a link, or choose a file, first.");
    if (bad) return say(`Not a web address (http:// or https://): ${bad}`);
    if (!token.value()) {
      showToken("Save the server's token first.");
      return $("token-input").focus();
    }
    say("Sending…");
    const requests = lines.map((url) => ({ json: { url }, what: url }));
    if (file) requests.push({ form: fileForm(file), what: file.name });
    const failed = [];
    for (const request of requests) {
      await post(request).catch((error) => failed.push({ ...request, error }));
    }
    finishAdd(requests.length, failed);
  }
  function fileForm(file) {
    const form = new FormData();
    form.append("file", file, file.name);
    return form;
  }

  /* One POST; the job (or jobs) it made listed and followed. */
  async function post({ what, ...body }) {
    const answer = await api("/api/articles", { method: "POST", ...body });
    const made = Array.isArray(answer && answer.jobs) ? answer.jobs : [answer];
    for (const job of made) {
      if (!job || typeof job.id !== "string") continue;
      show({ status: "queued", progress: 0, source: what, id: job.id }, { first: true });
      follow(job.id);
    }
  }

  /* What was added is cleared from the form; what was not stays, to send again. */
  function finishAdd(count, failed) {
    $("urls").value = failed.filter((request) => request.json).map((r) => r.what).join("\n");
    if (!failed.some((request) => request.form)) $("file").value = "";
    if (!failed.length) {
      return say(count === 1 ? "Added: it is listed below." : `Added ${count}: listed below.`);
    }
    say(`Not added: ${failed.map((r) => `${r.what}: ${r.error.message}`).join("; ")}`);
  }

  /* --- the list of articles ------------------------------------------------------------- */

  const jobs = new Map(); // id -> {job, parts: the elements of its list item}
  let nextPage = null;

  const pagePath = (offset) => `/api/articles?limit=${PAGE_SIZE}&offset=${offset}`;

  async function loadArticles(path) {
    try {
      const answer = await api(path);
      for (const job of answer.items || []) {
        show(job);
        if (!FINISHED.has(job.status)) follow(job.id);
      }
      nextPage = answer.next ?? null;
      $("more").hidden = nextPage === null || nextPage === false;
      $("articles-status").textContent = jobs.size ? "" : "No articles yet.";
    } catch (error) {
      $("articles-status").textContent = `The articles could not be listed: ${error.message}`;
    }
  }

  /* "next" may be the offset of the next page or its address: either is followed. */
  function onMore() {
    if (typeof nextPage === "string" && sameOrigin(nextPage)) return loadArticles(nextPage);
    loadArticles(pagePath(typeof nextPage === "number" ? nextPage : jobs.size));
  }

  /* The job's list item, made the first time and updated in place after (so that a focused
   * button keeps its focus and the live region announces only what changed). */
  function show(job, { first = false } = {}) {
    let entry = jobs.get(job.id);
    if (!entry) {
      entry = { job, parts: listItem(job) };
      jobs.set(job.id, entry);
      const list = $("jobs");
      if (first) list.prepend(entry.parts.item);
      else list.append(entry.parts.item);
      $("articles-status").textContent = "";
    }
    entry.job = { ...entry.job, ...job };
    update(entry);
    if (job.feed_url) showFeed(job.feed_url);
  }

  function listItem(job) {
    const parts = {
      title: el("span", { class: "job-title" }),
      state: el("span", { class: "job-state", "aria-live": "polite" }),
      progress: el("progress", { max: "1", value: "0" }),
      play: el("button", { type: "button", hidden: true }, "Play"),
      remove: el("button", { type: "button", class: "quiet" }, "Delete"),
    };
    parts.item = el("li", { class: "job", id: `job-${job.id}` },
      parts.title, parts.state, parts.progress, el("span", { class: "actions" }, parts.play,
        parts.remove));
    parts.play.addEventListener("click", () => openEpisode(jobs.get(job.id).job));
    parts.remove.addEventListener("click", () => remove(job.id));
    return parts;
  }

  function update({ job, parts }) {
    const title = job.headline || job.source || "An article";
    parts.title.textContent = title;
    parts.item.dataset.status = job.status;
    const state = stateText(job);
    if (parts.state.textContent !== state) parts.state.textContent = state;
    parts.progress.value = job.status === "done" ? 1 : Number(job.progress) || 0;
    parts.progress.hidden = FINISHED.has(job.status);
    parts.progress.setAttribute("aria-label", `Progress: ${title}`);
    parts.play.hidden = !(job.status === "done" && sameOrigin(job.mp3_url));
    parts.play.setAttribute("aria-label", `Play: ${title}`);
    parts.remove.setAttribute("aria-label", `Delete: ${title}`);
  }

  function stateText(job) {
    if (job.status === "queued") return "Waiting to be read";
    if (job.status === "running") {
      // in tens, so that a screen reader is not told every second
      return `Being read: ${Math.floor((Number(job.progress) || 0) * 10) * 10}%`;
    }
    if (job.status === "done") return job.duration ? `Ready, ${clock(job.duration)}` : "Ready";
    if (job.status === "failed") return `Failed: ${job.error || "no reason given"}`;
    return String(job.status || "");
  }

  async function remove(id) {
    const entry = jobs.get(id);
    const title = entry.job.headline || entry.job.source || "this article";
    if (!confirm(`Delete “${title}” and its audio?`)) return;
    try {
      await api(articlePath(id), { method: "DELETE" });
      forget(id);
      $("articles-status").textContent = `Deleted: ${title}`;
    } catch (error) {
      $("articles-status").textContent = `Not deleted: ${error.message}`;
    }
  }

  function forget(id) {
    const entry = jobs.get(id);
    if (!entry) return;
    entry.parts.item.remove();
    jobs.delete(id);
    if (episode.id === id) closeEpisode();
  }

  /* --- following a job until it ends ---------------------------------------------------- */

  const followed = new Set();
  let streams = 0;

  async function follow(id) {
    if (followed.has(id)) return;
    followed.add(id);
    try {
      if (streams < MAX_STREAMS) await streamed(id).catch(() => {});
      await polled(id);
    } finally {
      followed.delete(id);
    }
  }

  /* The job's server-sent events, until the server ends them; throws when there are none. */
  async function streamed(id) {
    streams += 1;
    try {
      const response = await fetch(`${articlePath(id)}/events`, {
        headers: headers("text/event-stream"),
      });
      if (!response.ok || !response.body) throw new ApiError(response.status, "no events");
      await readEvents(response.body, (job) => show(job));
    } finally {
      streams -= 1;
    }
  }

  async function readEvents(body, onJob) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer = (buffer + value).replace(/\r\n/g, "\n");
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const data = eventData(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (data) onJob(JSON.parse(data));
      }
    }
  }

  function eventData(block) {
    const lines = block.split("\n").filter((line) => line.startsWith("data:"));
    return lines.map((line) => line.slice(5).replace(/^ /, "")).join("\n");
  }

  /* GET the job every second until it is done or failed (once, when it already is). */
  async function polled(id) {
    for (;;) {
      try {
        const job = await api(articlePath(id));
        show(job);
        if (FINISHED.has(job.status)) return;
        await sleep(POLL_MS);
      } catch (error) {
        if (error.status === 404) return forget(id);
        await sleep(RETRY_MS); // the server restarting, or the network gone: try again
      }
    }
  }

  /* --- the episode ---------------------------------------------------------------------- */

  const episode = { id: null, cues: new Map(), chapters: [] };

  async function openEpisode(job) {
    const section = $("episode");
    episode.id = job.id;
    const [mp3, vtt] = await Promise.all([mediaAddress(job.mp3_url), mediaAddress(job.vtt_url)]);
    if (episode.id !== job.id) return; // another was chosen meanwhile
    $("episode-title").textContent = job.headline || "An article";
    $("episode-meta").textContent = [job.byline, job.publisher, job.date && day(job.date),
      job.duration && clock(job.duration)].filter(Boolean).join(" · ");
    const audio = $("player");
    audio.pause();
    audio.replaceChildren(); // the last episode's track
    audio.src = mp3;
    $("download").href = mp3;
    transcript(audio, vtt, job.language);
    chapters(job);
    section.hidden = false;
    section.scrollIntoView({ block: "start" });
    section.focus({ preventScroll: true });
  }

  /* An address the audio element may load, though it sends no Authorization header: on a
   * server started with --private, the token goes as ?token= (which it takes on reads). */
  async function mediaAddress(address) {
    const url = sameOrigin(address);
    if (!url || !token.value()) return url;
    const probe = await fetch(url, { method: "HEAD", credentials: "omit" }).catch(() => null);
    if (!probe || probe.status !== 401) return url;
    const withToken = new URL(url);
    withToken.searchParams.set("token", token.value());
    return withToken.href;
  }

  function closeEpisode() {
    const audio = $("player");
    audio.pause();
    audio.replaceChildren();
    audio.removeAttribute("src");
    episode.id = null;
    $("episode").hidden = true;
  }

  /* The .vtt as the audio's track ("hidden": loaded and timed, drawn by us as a list). */
  function transcript(audio, vtt, language) {
    const list = $("transcript");
    list.replaceChildren();
    episode.cues = new Map();
    if (!vtt) return list.append(el("li", {}, "No transcript for this episode."));
    const track = el("track", { kind: "subtitles", src: vtt, srclang: language || "en",
      label: "Transcript", default: true });
    audio.append(track);
    track.track.mode = "hidden";
    track.addEventListener("load", () => listCues(track.track));
    track.track.addEventListener("cuechange", () => highlightCue(track.track));
  }

  function listCues(textTrack) {
    const list = $("transcript");
    list.replaceChildren();
    for (const cue of Array.from(textTrack.cues || [])) {
      // getCueAsHTML parses WebVTT's own tags only; its text is all we insert
      const text = cue.getCueAsHTML().textContent.replace(/\s+/g, " ").trim();
      const item = el("li", { "data-start": cue.startTime.toFixed(3) }, text);
      episode.cues.set(cue, item);
      list.append(item);
    }
    highlightCue(textTrack);
  }

  function highlightCue(textTrack) {
    const active = textTrack.activeCues && textTrack.activeCues[0];
    for (const item of $("transcript").querySelectorAll("[aria-current]")) {
      item.removeAttribute("aria-current");
    }
    const item = active && episode.cues.get(active);
    if (!item) return;
    item.setAttribute("aria-current", "true");
    scrollWithin($("transcript"), item);
  }

  /* Scroll the list (not the page: the listener may be reading elsewhere) to show the item. */
  function scrollWithin(list, item) {
    const top = item.offsetTop; // the list is the items' offsetParent (page.css)
    if (top < list.scrollTop || top + item.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = Math.max(0, top - list.clientHeight / 3);
    }
  }

  async function chapters(job) {
    const list = $("chapters");
    list.replaceChildren();
    let found = Array.isArray(job.chapters) ? job.chapters : null;
    if (!found && sameOrigin(job.chapters_url)) found = await chapterFile(job.chapters_url);
    episode.chapters = (found || []).map((c) => ({
      title: String(c.title ?? ""),
      start: Number(c.start ?? c.startTime) || 0,
    }));
    for (const chapter of episode.chapters) {
      const button = el("button", { type: "button", class: "chapter" },
        el("span", { class: "time" }, clock(chapter.start)), " ", chapter.title);
      button.addEventListener("click", () => seek(chapter.start));
      list.append(el("li", {}, button));
    }
    $("chapters-title").hidden = !episode.chapters.length;
  }

  async function chapterFile(address) {
    try {
      const response = await fetch(sameOrigin(address), { headers: headers("application/json") });
      return (await response.json()).chapters;
    } catch {
      return null;
    }
  }

  function seek(start) {
    const audio = $("player");
    audio.currentTime = start;
    audio.play().catch(() => {}); // a browser may refuse to start: the listener presses play
  }

  /* Which chapter is playing, marked on its button. */
  function markChapter() {
    const now = $("player").currentTime;
    const buttons = $("chapters").querySelectorAll("button");
    let current = -1;
    episode.chapters.forEach((chapter, index) => {
      if (chapter.start <= now + 0.05) current = index;
    });
    buttons.forEach((button, index) => {
      if (index === current) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    });
  }

  /* --- the feed ------------------------------------------------------------------------- */

  function showFeed(address) {
    let url;
    try {
      url = new URL(address, location.href);
    } catch {
      return;
    }
    if (!["http:", "https:"].includes(url.protocol)) return;
    $("feed-url").value = url.href;
    // podcast:// is the scheme podcast apps register; the app fetches the address after it.
    $("subscribe-link").href = `podcast://${url.host}${url.pathname}${url.search}`;
  }

  async function onCopy() {
    const input = $("feed-url");
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      input.select(); // no clipboard API over plain http: the older way
      document.execCommand("copy");
    }
    $("copy-status").textContent = "The feed's address is copied.";
  }

  /* --- start ---------------------------------------------------------------------------- */

  function start() {
    showFeed("/feed.xml");
    showToken();
    $("token-form").addEventListener("submit", onTokenSaved);
    $("forget-token").addEventListener("click", onTokenForgotten);
    $("add-form").addEventListener("submit", onAdd);
    $("more").addEventListener("click", onMore);
    $("copy-feed").addEventListener("click", onCopy);
    $("player").addEventListener("timeupdate", markChapter);
    loadArticles(pagePath(0));
  }

  start();
})();
