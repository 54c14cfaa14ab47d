/* The outbox of registrations.  Each registration is written here first,
   with an Idempotency-Key made once for it, and leaves only on a definite
   answer: 2xx (delivered) or a 4xx refusal.  A network failure or a
   retryable answer (401 until staff fix the token, 408, 409 in_progress,
   429, 5xx) keeps it for the next attempt, on the online event and every
   RETRY_MS.  The daemon answers a repeated key with the first answer, so a
   registration whose answer was lost on the way is still counted once.
   One send at a time per page. */
"use strict";
var KD = window.KD || (window.KD = {});

KD.queue = (function () {
  var STORE = "kd.queue";
  var RETRY_MS = 10000;
  var sending = false;
  var handlers = { queued: [], delivered: [], refused: [], change: [] };

  function load() {
    try {
      var list = JSON.parse(localStorage.getItem(STORE) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }

  function save(list) {
    localStorage.setItem(STORE, JSON.stringify(list));
    emit("change", list);
  }

  function emit(kind, a, b) {
    handlers[kind].forEach(function (fn) { fn(a, b); });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID)
      return "kiosk-" + crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return "kiosk-" + Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
  }

  function retryable(status) {
    return status === 401 || status === 408 || status === 409 || status === 429 || status >= 500;
  }

  function remove(key) {
    save(load().filter(function (e) { return e.key !== key; }));
  }

  /* Sends the oldest entry, then the next, until the queue is empty or one
     could not be delivered.  Resolves when this round is over. */
  function flush() {
    if (sending)
      return Promise.resolve();
    var list = load();
    if (list.length === 0)
      return Promise.resolve();
    sending = true;
    var entry = list[0];
    return KD.api.register(entry.body, entry.key).then(function (res) {
      if (res.status >= 200 && res.status < 300) {
        remove(entry.key);
        emit("delivered", entry, res.json);
        return true;
      }
      if (res.status === 409 && !(res.json && res.json.error && res.json.error.code === "in_progress")) {
        remove(entry.key);
        emit("refused", entry, res);
        return true;
      }
      if (retryable(res.status))
        return false;
      remove(entry.key);
      emit("refused", entry, res);
      return true;
    }, function () {
      return false;   /* no answer: the network is down, keep it */
    }).then(function (goOn) {
      sending = false;
      if (goOn)
        return flush();
    });
  }

  /* Queues a registration body and tries to send it at once; resolves with
     the entry (its key is what identifies it in the handlers). */
  function add(body) {
    var entry = { key: newKey(), body: body, queued_at: new Date().toISOString() };
    var list = load();
    list.push(entry);
    save(list);
    emit("queued", entry);
    return flush().then(function () { return entry; });
  }

  function start() {
    window.addEventListener("online", function () { flush(); });
    setInterval(function () { flush(); }, RETRY_MS);
    emit("change", load());
    flush();
  }

  return {
    add: add, flush: flush, start: start, list: load,
    has: function (key) { return load().some(function (e) { return e.key === key; }); },
    on: function (kind, fn) { handlers[kind].push(fn); }
  };
})();
