/* The kiosk page's wiring: screens, the one-time setup of the kiosk token,
   the registration flow through the outbox (queue.js), the network banner,
   the language toggle, and forgetting each person once they leave. */
"use strict";
var KD = window.KD || (window.KD = {});

(function () {
  var current = null;   /* Idempotency-Key of the registration on screen */

  function $(id) { return document.getElementById(id); }

  function show(name) {
    document.querySelectorAll(".screen").forEach(function (s) {
      s.hidden = s.id !== "screen-" + name;
    });
    document.querySelectorAll(".tabs button").forEach(function (b) {
      if (b.dataset.screen === name) b.setAttribute("aria-current", "page");
      else b.removeAttribute("aria-current");
    });
    document.body.dataset.screen = name;
    window.scrollTo(0, 0);
  }

  /* What one person typed or was shown (the form, the receipt, the status
     with its Decline buttons) must not wait on the shared kiosk for the
     next: a tab change or an idle kiosk takes all of it away.  A
     registration still on its way then lands in the outbox list, not on
     somebody else's screen. */
  function forgetPerson() {
    current = null;
    KD.form.reset();
    KD.receipt.clear();
    KD.status.clear();
  }

  function setup() {
    $("setup-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var value = $("setup-token").value.trim();
      var err = document.querySelector('[data-error-for="token"]');
      err.textContent = "";
      $("setup-result").textContent = "";
      if (!/^kd_[0-9a-f]+_[A-Za-z0-9_-]+$/.test(value)) {
        err.textContent = KD.i18n.t("setup_format");
        return;
      }
      var before = KD.api.token();
      KD.api.setToken(value);
      KD.api.getAuthed("/v1/vacancies?limit=1").then(function (res) {
        if (res.status === 401 || res.status === 403) {
          if (before) KD.api.setToken(before); else localStorage.removeItem("kd.token");
          err.textContent = KD.i18n.t("setup_bad");
          return;
        }
        $("setup-token").value = "";
        $("setup-result").textContent = KD.i18n.t("setup_saved");
        KD.queue.flush();
        show("register");
      }, function () {
        $("setup-token").value = "";
        $("setup-result").textContent = KD.i18n.t("setup_saved_offline");
      });
    });
  }

  function renderQueue(list) {
    var ul = $("queue-list");
    ul.textContent = "";
    list.forEach(function (e) {
      var li = document.createElement("li");
      li.dataset.key = e.key;
      li.textContent = KD.i18n.t("queue_item") + " " + new Date(e.queued_at).toLocaleTimeString();
      ul.appendChild(li);
    });
    $("queue").hidden = list.length === 0 && $("queue-errors").children.length === 0;
  }

  function network() {
    var banner = $("network");
    banner.textContent = KD.i18n.t("offline");
    banner.hidden = navigator.onLine;
  }

  function submit(body) {
    var button = $("reg-submit");
    button.disabled = true;
    button.textContent = KD.i18n.t("sending");
    KD.queue.add(body).then(function (entry) {
      button.disabled = false;
      button.textContent = KD.i18n.t("reg_submit");
      if (KD.queue.has(entry.key)) {
        /* not delivered yet: it stays in the outbox; the next person may go on */
        current = null;
        KD.form.reset();
        $("form-error").textContent = KD.i18n.t("queued");
        window.scrollTo(0, 0);
      }
    });
  }

  function init() {
    KD.i18n.apply();
    $("lang").textContent = KD.i18n.t("lang_other");
    KD.i18n.onChange(function () {
      $("lang").textContent = KD.i18n.t("lang_other");
      network();
      renderQueue(KD.queue.list());
    });
    $("lang").addEventListener("click", KD.i18n.toggle);
    document.querySelectorAll(".tabs button").forEach(function (b) {
      b.addEventListener("click", function () {
        if (b.dataset.screen !== document.body.dataset.screen) forgetPerson();
        show(b.dataset.screen);
      });
    });
    setup();
    KD.form.init(submit);
    KD.status.init();
    $("rc-next").addEventListener("click", function () {
      KD.form.reset();
      show("register");
    });

    KD.queue.on("queued", function (entry) { current = entry.key; });
    KD.queue.on("change", renderQueue);
    KD.queue.on("delivered", function (entry, answer) {
      if (entry.key === current) {
        current = null;
        KD.form.reset();
        KD.receipt.show(answer);
        show("receipt");
      } else {
        var li = document.createElement("li");
        li.className = "delivered";
        li.textContent = KD.i18n.t("rc_title") + ": " + answer.registration_code;
        $("queue-errors").appendChild(li);
        renderQueue(KD.queue.list());
      }
    });
    KD.queue.on("refused", function (entry, res) {
      if (entry.key === current) {
        current = null;
        KD.form.showServerError(res);
        return;
      }
      var err = res.json && res.json.error;
      var li = document.createElement("li");
      li.textContent = KD.i18n.t("queue_failed") + " (" + new Date(entry.queued_at).toLocaleTimeString() +
        "): " + (err ? (err.field ? err.field + ": " : "") + err.message : res.status);
      $("queue-errors").appendChild(li);
      renderQueue(KD.queue.list());
    });
    window.addEventListener("online", network);
    window.addEventListener("offline", network);
    network();
    KD.queue.start();
    KD.idle.watch(function () {
      forgetPerson();
      if (document.body.dataset.screen === "receipt") show("register");
    });
    show(KD.api.token() ? "register" : "setup");
    if (!KD.api.token()) $("setup-result").textContent = KD.i18n.t("setup_needed");
  }

  document.addEventListener("DOMContentLoaded", init);
})();
