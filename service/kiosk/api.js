/* Talking to the daemon, same origin.  Every call resolves to
   {status, json} for any HTTP answer and rejects only when no answer came
   (network down): callers tell "refused" from "not sent" by that alone.
   The kiosk token lives in localStorage and goes only into the
   Authorization header, never into a URL; a person's registration code
   and birth date go only into a request body, for the same reason. */
"use strict";
var KD = window.KD || (window.KD = {});

KD.api = (function () {
  function token() { return localStorage.getItem("kd.token") || ""; }

  function call(method, path, body, headers) {
    var init = { method: method, headers: headers || {}, cache: "no-store", credentials: "omit" };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (res) {
      return res.text().then(function (text) {
        var json = null;
        try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
        return { status: res.status, json: json };
      });
    });
  }

  function authed(extra) {
    var h = extra || {};
    h.Authorization = "Bearer " + token();
    return h;
  }

  return {
    token: token,
    setToken: function (value) { localStorage.setItem("kd.token", value); },
    get: function (path) { return call("GET", path); },
    getAuthed: function (path) { return call("GET", path, undefined, authed()); },
    post: function (path, body) { return call("POST", path, body); },
    status: function (code, birthDate) {
      return call("POST", "/v1/status", { code: code, birth_date: birthDate });
    },
    register: function (body, idempotencyKey) {
      return call("POST", "/v1/seekers", body, authed({ "Idempotency-Key": idempotencyKey }));
    }
  };
})();
