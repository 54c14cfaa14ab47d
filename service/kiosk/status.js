/* The status page: registration code and birth date give the person's job
   offers (POST /v1/status, no token); a pending offer may be declined
   (POST /v1/status/decline).  Nothing is kept in the browser, and clear()
   takes it all off the screen before the next person comes. */
"use strict";
var KD = window.KD || (window.KD = {});

KD.status = (function () {
  var REASONS = ["too_far", "wage_too_low", "found_other_work", "personal", "other"];
  var last = null;   /* {code, birth_date} of the shown answer */
  var shown = 0;     /* bumped by clear(): answers to an earlier person are dropped */

  function $(id) { return document.getElementById(id); }

  function when(ts) {
    if (!ts) return "";
    var d = new Date(ts);
    return isNaN(d) ? ts : d.toLocaleString(KD.i18n.lang() === "en" ? "en-GB" : "id-ID",
      { dateStyle: "medium", timeStyle: "short" });
  }

  function line(text) {
    var p = document.createElement("p");
    p.textContent = text;
    return p;
  }

  function errorText(res) {
    if (res.status === 404) return KD.i18n.t("st_not_found");
    if (res.status === 429) return KD.i18n.t("st_rate");
    if (res.status === 409) return KD.i18n.t("st_not_pending");
    var err = res.json && res.json.error;
    return err ? err.message : KD.i18n.t("e_server") + " (" + res.status + ")";
  }

  function item(p) {
    var t = KD.i18n.t;
    var li = document.createElement("li");
    li.className = "placement state-" + p.state;
    li.dataset.id = p.id;
    var h = document.createElement("h4");
    h.textContent = p.vacancy_title;
    li.appendChild(h);
    li.appendChild(line(p.employer_name));
    li.appendChild(line((p.kecamatan_name || p.kecamatan_code) +
      (p.distance_km != null ? " · " + Number(p.distance_km).toFixed(1) + " " + t("rc_km") : "")));
    var badge = document.createElement("span");
    badge.className = "badge state";
    badge.textContent = t("state_" + p.state);
    li.appendChild(badge);
    if (p.offered_at) li.appendChild(line(t("st_offered") + ": " + when(p.offered_at)));
    if (p.state === "pending" && p.decide_by) li.appendChild(line(t("st_decide_by") + ": " + when(p.decide_by)));
    if (p.decided_at) li.appendChild(line(t("st_decided") + ": " + when(p.decided_at)));
    if (p.state === "pending") {
      var box = document.createElement("div");
      box.className = "decline";
      var select = document.createElement("select");
      select.setAttribute("aria-label", t("st_reason"));
      var none = document.createElement("option");
      none.value = "";
      none.textContent = t("st_reason");
      select.appendChild(none);
      REASONS.forEach(function (r) {
        var o = document.createElement("option");
        o.value = r;
        o.textContent = t("r_" + r);
        select.appendChild(o);
      });
      var button = document.createElement("button");
      button.type = "button";
      button.className = "danger";
      button.textContent = t("st_decline");
      button.addEventListener("click", function () { decline(p.id, select.value, button); });
      box.appendChild(select);
      box.appendChild(button);
      li.appendChild(box);
    }
    return li;
  }

  function render(answer) {
    var list = $("st-list");
    list.textContent = "";
    answer.placements.forEach(function (p) { list.appendChild(item(p)); });
    $("st-none").hidden = answer.placements.length > 0;
  }

  function lookup(code, birth) {
    var mine = shown;
    $("st-error").textContent = "";
    return KD.api.status(code, birth).then(function (res) {
      if (mine !== shown) return;
      if (res.status === 200 && res.json) {
        last = { code: code, birth_date: birth };
        render(res.json);
      } else {
        last = null;
        $("st-list").textContent = "";
        $("st-none").hidden = true;
        $("st-error").textContent = errorText(res);
      }
    }, function () { if (mine === shown) $("st-error").textContent = KD.i18n.t("st_offline"); });
  }

  function decline(id, reason, button) {
    if (!last) return;
    var mine = shown;
    button.disabled = true;
    var body = { registration_code: last.code, birth_date: last.birth_date, placement_id: id };
    if (reason) body.reason_code = reason;
    KD.api.post("/v1/status/decline", body).then(function (res) {
      if (mine !== shown) return;
      if (res.status === 200) {
        $("st-error").textContent = KD.i18n.t("st_declined_ok");
        return lookup(last.code, last.birth_date).then(function () {
          if (mine === shown) $("st-error").textContent = KD.i18n.t("st_declined_ok");
        });
      }
      button.disabled = false;
      $("st-error").textContent = errorText(res);
    }, function () {
      if (mine !== shown) return;
      button.disabled = false;
      $("st-error").textContent = KD.i18n.t("st_offline");
    });
  }

  function clearFieldErrors() {
    document.querySelectorAll("#st-form .field").forEach(function (b) {
      b.classList.remove("invalid");
      b.querySelector(".field-error").textContent = "";
    });
  }

  /* Forgets the person: the code and birth date typed, the offers shown
     with their Decline buttons, and any answer still on its way. */
  function clear() {
    shown++;
    last = null;
    $("st-form").reset();
    clearFieldErrors();
    $("st-list").textContent = "";
    $("st-none").hidden = true;
    $("st-error").textContent = "";
  }

  function init() {
    $("st-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var code = $("st-code").value.trim().toUpperCase();
      var birth = $("st-birth").value;
      var ok = true;
      clearFieldErrors();
      function bad(name, key) {
        var b = document.querySelector('#st-form [data-field="' + name + '"]');
        b.classList.add("invalid");
        b.querySelector(".field-error").textContent = KD.i18n.t(key);
        ok = false;
      }
      if (!/^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(code)) bad("code", "e_required");
      if (!/^\d{4}-\d{2}-\d{2}$/.test(birth)) bad("birth_date", "e_date");
      if (ok) lookup(code, birth);
    });
  }

  return { init: init, clear: clear };
})();
