// Service worker of the attendance sheets (served as /<language>/sessions/attendance-worker.js,
// so its scope is that language's /sessions/). It keeps the last copy of each sheet and of the
// files the sheet uses, and gives that copy back when the network is gone, so a sheet reloaded
// without the network still opens: its script then shows and sends the taps kept in the browser.
// Taps (POST) never pass through here. A sheet the server refuses (signed out) is forgotten.
"use strict";
const CACHE = "himaya-attendance-v1";
const SHEET = /\/sessions\/\d+\/attendance\/$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (n) { return n.startsWith("himaya-attendance-") && n !== CACHE; })
          .map(function (n) { return caches.delete(n); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const sheet = request.mode === "navigate";
  if (sheet && !SHEET.test(url.pathname)) return;
  const key = sheet ? url.origin + url.pathname : request;
  event.respondWith(
    fetch(request)
      .then(function (response) {
        return caches.open(CACHE).then(function (cache) {
          if (response.ok && !response.redirected && response.type === "basic") {
            return cache.put(key, response.clone()).then(function () { return response; });
          }
          if (sheet) return cache.delete(key).then(function () { return response; });
          return response;
        });
      })
      .catch(function (error) {
        return caches.open(CACHE)
          .then(function (cache) { return cache.match(key); })
          .then(function (copy) { if (copy) return copy; throw error; });
      })
  );
});
