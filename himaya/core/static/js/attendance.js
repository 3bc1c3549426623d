// Attendance sheet: each tap is sent at once; the page never reloads. Without JavaScript the
// same buttons submit the form and the server redirects back to the participant.
//
// Without the network, a tap is kept in this browser's storage (keyed by session, like the test
// paper's answers in test-autosave.js) and sent when the connection returns: on the "online"
// event, every few seconds, and when the sheet is opened again (a service worker keeps a copy of
// the sheet, so it opens without the network). For each person only the last tap is kept; each
// carries the time it was made, and the server keeps the latest of the taps it receives, so a tap
// sent twice or late changes nothing it should not. Every text comes translated from the page.
(function () {
  "use strict";
  const list = document.querySelector(".attendance-list");
  if (!list) return;
  const text = JSON.parse(document.getElementById("attendance-messages").textContent);
  const endpoint = list.dataset.endpoint;
  const storageKey = "himaya-attendance-" + list.dataset.session;
  const queueNote = document.getElementById("attendance-queue");
  const readOnly = list.dataset.readOnly === "true";
  const KEEP_SAVED_MS = 2 * 24 * 3600 * 1000;

  // participant id -> {status, tapped_at (ISO), saved (bool), time ("HH:MM" once saved)}.
  // Saved taps are kept a while: a copy of the sheet opened later without the network may be
  // older than them, and must still show them.
  let taps = {};
  try { taps = JSON.parse(localStorage.getItem(storageKey) || "{}") || {}; } catch (e) { taps = {}; }
  // Once this page is being left, a save that completes keeps its tap in storage as unsent: the
  // next page may have been drawn before the save was written (sending it again is harmless).
  let leaving = false;
  function leave() { leaving = true; }
  window.addEventListener("beforeunload", leave);
  window.addEventListener("pagehide", leave);

  function keep() {
    try {
      if (Object.keys(taps).length) localStorage.setItem(storageKey, JSON.stringify(taps));
      else localStorage.removeItem(storageKey);
    } catch (e) { /* storage full or refused: the taps still go out while the page is open */ }
  }
  function unsent() { return Object.keys(taps).filter(function (pid) { return !taps[pid].saved; }); }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function rowOf(pid) { return list.querySelector('.attendee[data-participant="' + CSS.escape(String(pid)) + '"]'); }
  function buttonsOf(item) { return Array.from(item.querySelectorAll(".status-buttons button")); }
  function statusOf(button) { return button.value.split(":")[1]; }

  // One tab stop per row: the pressed button (or the first); the arrow keys move within the row.
  function rove(item) {
    const buttons = buttonsOf(item);
    const current = buttons.find(function (b) { return b.getAttribute("aria-pressed") === "true"; }) || buttons[0];
    buttons.forEach(function (b) { b.tabIndex = b === current ? 0 : -1; });
  }
  function press(item, status) {
    buttonsOf(item).forEach(function (b) { b.setAttribute("aria-pressed", statusOf(b) === status ? "true" : "false"); });
    if (item.contains(document.activeElement)) {
      buttonsOf(item).forEach(function (b) { b.tabIndex = b === document.activeElement ? 0 : -1; });
    } else {
      rove(item);
    }
  }
  function show(item, state, message) {
    if (!item) return;
    item.dataset.state = state;
    item.querySelector(".saved").textContent = message;
  }

  function refreshCounts() {
    const counts = { present: 0, late: 0, excused: 0, absent: 0, not_expected: 0, unrecorded: 0 };
    list.querySelectorAll(".attendee").forEach(function (item) {
      const pressed = item.querySelector('button[aria-pressed="true"]');
      counts[pressed ? statusOf(pressed) : "unrecorded"] += 1;
    });
    document.querySelectorAll("#attendance-summary [data-count]").forEach(function (span) {
      const strong = span.querySelector("strong");
      if (strong) strong.textContent = counts[span.dataset.count];
    });
    const waiting = unsent().length;
    if (queueNote) {
      queueNote.hidden = !waiting;
      queueNote.textContent = waiting ? text.queued + " " + waiting : "";
    }
  }

  function send(pid) {
    const tap = taps[pid];
    const item = rowOf(pid);
    return fetch(endpoint, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify({ participant: pid, status: tap.status, tapped_at: tap.tapped_at }),
    }).then(function (response) {
      const current = taps[pid] === tap;  // not tapped again while this one was on its way
      if (response.type === "opaqueredirect") {
        // Signed out: the server sends the sign-in page. Keep the tap for later.
        if (current) show(item, "waiting", text.signin);
        return false;
      }
      if (response.status !== 200 && response.status !== 400) throw new Error("HTTP " + response.status);
      return response.json().then(function (data) {
        if (!current) return true;
        if (data.ok) {
          if (!leaving) { taps[pid] = { status: data.status, tapped_at: tap.tapped_at, saved: true, time: data.recorded_at }; keep(); }
          if (item) {
            item.dataset.serverStatus = data.status;
            press(item, data.status);
            show(item, "saved", text.saved + " " + data.recorded_at + (data.kept_newer ? " · " + text.newer : ""));
          }
        } else {
          // Refused for good (a closed cycle, a day too early, a person no longer enrolled).
          if (!leaving) { delete taps[pid]; keep(); }
          if (item) {
            press(item, item.dataset.serverStatus || "");
            show(item, "refused", text.refused + " " + data.error);
          }
        }
        return true;
      });
    });
  }

  // Failed sends are tried again later, every few seconds (a little longer each time) and as
  // soon as the browser says it is back online.
  let retry = null;
  let delay = 3000;
  function retryLater() {
    if (retry || leaving) return;
    retry = window.setTimeout(function () { retry = null; flush(); }, delay);
    delay = Math.min(delay * 2, 30000);
  }
  function waitingAll() {
    unsent().forEach(function (pid) {
      const item = rowOf(pid);
      if (item && item.dataset.state !== "waiting") show(item, "waiting", text.waiting);
    });
  }

  let running = null;
  let again = false;
  function flush() {
    if (running) { again = true; return running; }
    const pids = unsent();
    refreshCounts();
    if (!pids.length) return Promise.resolve();
    // The browser knows it has no network ("online" may be wrong, "offline" is not): wait for
    // the "online" event (and look again from time to time) rather than send in vain.
    if (navigator.onLine === false) { waitingAll(); retryLater(); return Promise.resolve(); }
    let signedOut = false;
    running = pids.reduce(function (chain, pid) {
      return chain.then(function () {
        if (!taps[pid] || taps[pid].saved) return null;
        return send(pid).then(function (answered) { if (!answered) signedOut = true; });
      });
    }, Promise.resolve())
      .then(function () { delay = 3000; if (signedOut) retryLater(); })
      .catch(function () { waitingAll(); retryLater(); })
      .finally(function () {
        running = null;
        refreshCounts();
        if (again) { again = false; flush(); }
      });
    return running;
  }

  // What the page shows, then the taps kept in this browser that are newer than it.
  list.querySelectorAll(".attendee").forEach(function (item) {
    const pressed = item.querySelector('button[aria-pressed="true"]');
    item.dataset.serverStatus = pressed ? statusOf(pressed) : "";
    rove(item);
  });
  const oldest = Date.now() - KEEP_SAVED_MS;
  Object.keys(taps).forEach(function (pid) {
    const tap = taps[pid];
    const item = rowOf(pid);
    const tapped = Date.parse(tap.tapped_at);
    const shown = item && item.dataset.recordedAt ? Date.parse(item.dataset.recordedAt) : 0;
    if (tap.saved) {
      if (!item || tapped <= shown || tapped < oldest) { delete taps[pid]; return; }
      press(item, tap.status);
      item.dataset.serverStatus = tap.status;
      show(item, "saved", text.saved + " " + tap.time);
      return;
    }
    if (item) { press(item, tap.status); show(item, "waiting", text.waiting); }
  });
  keep();

  if (!readOnly) {
    list.addEventListener("click", function (event) {
      const button = event.target.closest(".status-buttons button");
      if (!button || button.disabled) return;
      event.preventDefault();
      const item = button.closest(".attendee");
      const pid = item.dataset.participant;
      taps[pid] = { status: statusOf(button), tapped_at: new Date().toISOString(), saved: false };
      keep();
      press(item, statusOf(button));
      show(item, navigator.onLine === false ? "waiting" : "sending", navigator.onLine === false ? text.waiting : text.sending);
      flush();
    });
  }

  list.addEventListener("keydown", function (event) {
    const button = event.target.closest(".status-buttons button");
    if (!button) return;
    const buttons = buttonsOf(button.closest(".attendee"));
    const rtl = getComputedStyle(button).direction === "rtl";
    const forward = rtl ? "ArrowLeft" : "ArrowRight";
    const backward = rtl ? "ArrowRight" : "ArrowLeft";
    let index = buttons.indexOf(button);
    if (event.key === forward) index = (index + 1) % buttons.length;
    else if (event.key === backward) index = (index - 1 + buttons.length) % buttons.length;
    else if (event.key === "Home") index = 0;
    else if (event.key === "End") index = buttons.length - 1;
    else return;
    event.preventDefault();
    buttons.forEach(function (b) { b.tabIndex = -1; });
    buttons[index].tabIndex = 0;
    buttons[index].focus();
  });

  window.addEventListener("online", function () { delay = 3000; flush(); });
  window.addEventListener("offline", waitingAll);
  // The offline copy: the service worker answers with it when the network is gone. The page
  // stores it itself (the worker sees only the pages opened after it started), with its files.
  if (list.dataset.worker && "serviceWorker" in navigator && window.caches && navigator.onLine !== false) {
    const files = [location.origin + location.pathname];
    document.querySelectorAll('link[rel="stylesheet"][href], script[src]').forEach(function (el) {
      files.push(el.href || el.src);
    });
    navigator.serviceWorker.register(list.dataset.worker)
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function () { return caches.open("himaya-attendance-v1"); })  // the worker's CACHE
      .then(function (cache) { return cache.addAll(files); })
      .then(function () { list.dataset.offlineReady = "true"; })
      .catch(function () { /* no offline copy: the taps are still kept and sent */ });
  }
  flush();
})();
