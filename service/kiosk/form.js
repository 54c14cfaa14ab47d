/* The registration form: regency (only when the service area has several),
   kecamatan then desa, skills autocompletion, and
   client-side checks that mirror the server's rules (lib/core/validate_seeker.c)
   so that most mistakes are caught before sending.  The server stays the
   authority: its field errors are shown next to the field they name. */
"use strict";
var KD = window.KD || (window.KD = {});

KD.form = (function () {
  // The version of the consent text in i18n.js; 2026-12 added the SMS sentence.
  var CONSENT_VERSION = "2026-12";
  var EDUCATION = ["NONE", "SD", "SMP", "SMA", "SMK", "D1", "D2", "D3", "D4", "S1", "S2", "S3"];
  var EDUCATION_LABEL = { NONE: "Tidak sekolah / None" };
  var MAX_SKILLS = 30;
  var form, skills = [], kecamatan = [], regencies = [], suggestTimer = null, suggestSeq = 0;

  function $(id) { return document.getElementById(id); }

  function fieldBox(name) {
    return form.querySelector('[data-field="' + name + '"]');
  }

  /* Server paths such as "skills[3]", "consent.accepted" or "location.lat"
     land on the form field that holds them. */
  function boxForPath(path) {
    var top = String(path || "").split(/[.[]/)[0];
    if (top === "location") top = "desa_code";
    return fieldBox(top);
  }

  function setError(name, message) {
    var box = typeof name === "string" ? boxForPath(name) : name;
    if (!box) return false;
    box.classList.add("invalid");
    box.querySelector(".field-error").textContent = message;
    return true;
  }

  function clearErrors() {
    form.querySelectorAll(".field").forEach(function (box) {
      box.classList.remove("invalid");
      box.querySelector(".field-error").textContent = "";
    });
    $("form-error").textContent = "";
  }

  function radio(name) {
    var el = form.querySelector('input[name="' + name + '"]:checked');
    return el ? el.value : "";
  }

  function ageOn(birth, today) {
    var age = today.getFullYear() - birth.getFullYear();
    var m = today.getMonth() - birth.getMonth();
    if (m < 0 || (m === 0 && today.getDate() < birth.getDate())) age--;
    return age;
  }

  function parseDate(text) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || "");
    if (!m) return null;
    var d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    return d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]) ? d : null;
  }

  function phoneOk(text) {
    var digits = String(text).replace(/[\s().-]/g, "");
    if (/^\+62/.test(digits)) digits = "0" + digits.slice(3);
    else if (/^62/.test(digits)) digits = "0" + digits.slice(2);
    return /^0\d{7,13}$/.test(digits);
  }

  function byteLength(text) { return new TextEncoder().encode(text).length; }

  /* The body for POST /v1/seekers, or null after marking what is wrong. */
  function collect() {
    clearErrors();
    var t = KD.i18n.t, ok = true;
    function bad(name, key) { setError(name, t(key)); ok = false; }
    var nik = $("f-nik").value.trim();
    var name = $("f-name").value.trim();
    var birthText = $("f-birth").value;
    var birth = parseDate(birthText);
    var gender = radio("gender");
    var phone = $("f-phone").value.trim();
    var desa = $("f-desa").value;
    var education = $("f-edu").value;
    var expText = $("f-exp").value.trim();
    var exp = Number(expText);

    if (!/^\d{16}$/.test(nik)) bad("nik", "e_nik_digits");
    else if (birth && gender) {
      var day = birth.getDate() + (gender === "F" ? 40 : 0);
      var want = ("0" + day).slice(-2) + ("0" + (birth.getMonth() + 1)).slice(-2) +
        ("0" + (birth.getFullYear() % 100)).slice(-2);
      if (nik.slice(6, 12) !== want) bad("nik", "e_nik_birth");
    }
    if (!name) bad("full_name", "e_required");
    else if (byteLength(name) > 100) bad("full_name", "e_name_long");
    if (!birthText) bad("birth_date", "e_required");
    else if (!birth) bad("birth_date", "e_date");
    else if (ageOn(birth, new Date()) < 15) bad("birth_date", "e_age_min");
    if (!gender) bad("gender", "e_required");
    if (!phone) bad("phone", "e_required");
    else if (!phoneOk(phone)) bad("phone", "e_phone");
    if (pickingRegency() && !$("f-reg").value) bad("regency", "e_required");
    if (!$("f-kec").value) bad("kecamatan", "e_required");
    if (!desa) bad("desa_code", "e_required");
    if (!education) bad("education", "e_required");
    if (skills.length === 0) bad("skills", "e_skills_min");
    else if (skills.length > MAX_SKILLS) bad("skills", "e_skills_max");
    if (expText === "" || !Number.isInteger(exp) || exp < 0 || exp > 60) bad("experience_years", "e_exp");
    if (!$("f-consent").checked) bad("consent", "e_consent");
    var minor = birth && ageOn(birth, new Date()) < 18;
    if (minor && !$("f-guardian").checked) bad("guardian_consent", "e_guardian");
    if (!ok) {
      $("form-error").textContent = t("e_form");
      var first = form.querySelector(".field.invalid");
      if (first) first.scrollIntoView({ block: "center" });
      return null;
    }
    var body = {
      nik: nik, full_name: name, birth_date: birthText, gender: gender, phone: phone,
      desa_code: desa, education: education,
      skills: skills.map(function (s) { return s.code || s.text; }),
      experience_years: exp, disability: radio("disability") === "true",
      consent: { version: CONSENT_VERSION, accepted: true }
    };
    if (minor) body.guardian_consent = true;
    return body;
  }

  /* Shows a server refusal: next to its field when it names one. */
  function showServerError(res) {
    var err = res.json && res.json.error;
    var message = err ? err.message : KD.i18n.t("e_server") + " (" + res.status + ")";
    if (!(err && err.field && setError(err.field, message)))
      $("form-error").textContent = KD.i18n.t("e_server") + ": " + message;
    else
      $("form-error").textContent = KD.i18n.t("e_form");
  }

  function fillSelect(select, items, value, label) {
    select.textContent = "";
    var none = document.createElement("option");
    none.value = "";
    none.textContent = KD.i18n.t("choose");
    select.appendChild(none);
    items.forEach(function (item) {
      var o = document.createElement("option");
      o.value = value(item);
      o.textContent = label(item);
      select.appendChild(o);
    });
  }

  /* Reference data is public and small: kept in localStorage, so that a
     kiosk that loses the network can still offer every kecamatan and desa. */
  function cached(key, path, pick) {
    return KD.api.get(path).then(function (res) {
      if (res.status !== 200 || !res.json) return null;
      localStorage.setItem(key, JSON.stringify(pick(res.json)));
      return pick(res.json);
    }, function () {
      try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; }
    });
  }

  function desaOf(code) {
    return cached("kd.ref.desa." + code, "/v1/kecamatan/" + encodeURIComponent(code) + "/desa",
      function (j) { return j.desa; });
  }

  /* With one regency in the service area the form looks as it always did;
     with several, the regency comes first and narrows the kecamatan. */
  function pickingRegency() { return regencies.length > 1; }

  function regencyLabel(r) {
    var provinces = {};
    regencies.forEach(function (x) { provinces[x.province_code] = true; });
    return Object.keys(provinces).length > 1 ? r.name + " (" + r.province_name + ")" : r.name;
  }

  /* The kecamatan select offers those of the chosen regency, or all of them
     when there is no regency to choose.  With prefetch, their villages are
     fetched ahead while online, so that they are there if the network goes. */
  function showKecamatan(prefetch) {
    var regency = $("f-reg").value;
    var offered = !pickingRegency() ? kecamatan : kecamatan.filter(function (k) {
      return regency && k.code.slice(0, regency.length + 1) === regency + ".";
    });
    var keep = $("f-kec").value;
    fillSelect($("f-kec"), offered, function (k) { return k.code; }, function (k) { return k.name; });
    $("f-kec").value = keep;
    $("f-kec").disabled = pickingRegency() && !regency;
    if ($("f-kec").value !== keep) loadDesa("");
    if (prefetch === true && navigator.onLine)
      offered.forEach(function (k) { desaOf(k.code); });
  }

  function showRegencies(list) {
    regencies = list || [];
    var keep = $("f-reg").value;
    fillSelect($("f-reg"), regencies, function (r) { return r.code; }, regencyLabel);
    $("f-reg").value = keep;
    fieldBox("regency").hidden = !pickingRegency();
  }

  function loadKecamatan() {
    return Promise.all([
      cached("kd.ref.regencies", "/v1/regencies", function (j) { return j.regencies; }),
      cached("kd.ref.kecamatan", "/v1/kecamatan", function (j) { return j.kecamatan; })
    ]).then(function (lists) {
      if (!lists[1]) return;
      showRegencies(lists[0]);
      kecamatan = lists[1];
      showKecamatan(true);
    });
  }

  function loadDesa(code) {
    var select = $("f-desa");
    select.disabled = true;
    fillSelect(select, [], null, null);
    if (!code) return Promise.resolve();
    return desaOf(code).then(function (list) {
      if (!list || $("f-kec").value !== code) return;
      fillSelect(select, list, function (d) { return d.code; }, function (d) { return d.name; });
      select.disabled = false;
    });
  }

  function renderChips() {
    var ul = $("skill-chips");
    ul.textContent = "";
    skills.forEach(function (s, i) {
      var li = document.createElement("li");
      var span = document.createElement("span");
      span.textContent = s.label || s.text;
      var x = document.createElement("button");
      x.type = "button";
      x.textContent = "×";
      x.setAttribute("aria-label", KD.i18n.t("skill_remove") + " " + (s.label || s.text));
      x.addEventListener("click", function () { skills.splice(i, 1); renderChips(); });
      li.appendChild(span);
      li.appendChild(x);
      ul.appendChild(li);
    });
  }

  function addSkill(skill) {
    var id = skill.code || skill.text;
    if (!id || skills.some(function (s) { return (s.code || s.text) === id; })) return;
    if (skills.length >= MAX_SKILLS) return;
    skills.push(skill);
    renderChips();
    $("f-skill").value = "";
    hideSuggest();
  }

  function hideSuggest() {
    $("skill-suggest").hidden = true;
    $("f-skill").setAttribute("aria-expanded", "false");
  }

  function suggest() {
    var q = $("f-skill").value.trim();
    var seq = ++suggestSeq;
    if (q.length < 2) { hideSuggest(); return; }
    KD.api.get("/v1/skills?q=" + encodeURIComponent(q) + "&limit=6").then(function (res) {
      if (seq !== suggestSeq || res.status !== 200 || !res.json) return;
      var ul = $("skill-suggest");
      ul.textContent = "";
      var en = KD.i18n.lang() === "en";
      res.json.skills.forEach(function (s) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.dataset.code = s.code;
        li.textContent = en ? s.label_en : s.label;
        var small = document.createElement("small");
        small.textContent = en ? s.label : s.label_en;
        li.appendChild(small);
        li.addEventListener("click", function () {
          addSkill({ code: s.code, label: en ? s.label_en : s.label });
        });
        ul.appendChild(li);
      });
      ul.hidden = res.json.skills.length === 0;
      $("f-skill").setAttribute("aria-expanded", String(!ul.hidden));
    }, function () { hideSuggest(); });
  }

  function updateGuardian() {
    var birth = parseDate($("f-birth").value);
    var minor = !!birth && ageOn(birth, new Date()) < 18;
    $("guardian").hidden = !minor;
    if (!minor) $("f-guardian").checked = false;
  }

  function reset() {
    form.reset();
    skills = [];
    renderChips();
    clearErrors();
    updateGuardian();
    showKecamatan();
    loadDesa("");
  }

  function init(onSubmit) {
    form = $("reg-form");
    $("consent-version").textContent = CONSENT_VERSION;
    fillSelect($("f-edu"), EDUCATION, function (e) { return e; },
      function (e) { return EDUCATION_LABEL[e] || e; });
    fillSelect($("f-desa"), [], null, null);
    fillSelect($("f-reg"), [], null, null);
    $("f-reg").addEventListener("change", function () { showKecamatan(true); });
    $("f-kec").addEventListener("change", function () { loadDesa($("f-kec").value); });
    $("f-birth").addEventListener("change", updateGuardian);
    $("f-birth").addEventListener("input", updateGuardian);
    $("f-skill").addEventListener("input", function () {
      clearTimeout(suggestTimer);
      suggestTimer = setTimeout(suggest, 200);
    });
    $("f-skill").addEventListener("keydown", function (ev) {
      if (ev.key === "Enter") {
        ev.preventDefault();
        var first = $("skill-suggest").querySelector("li");
        if (first && !$("skill-suggest").hidden) first.click();
        else addSkill({ text: $("f-skill").value.trim() });
      }
    });
    $("skill-add").addEventListener("click", function () {
      var text = $("f-skill").value.trim();
      if (text) addSkill({ text: text });
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var body = collect();
      if (body) onSubmit(body);
    });
    loadKecamatan();
    window.addEventListener("online", function () { if (!kecamatan.length) loadKecamatan(); });
    KD.i18n.onChange(function () {
      var reg = $("f-reg").value, kec = $("f-kec").value, desa = $("f-desa").value, edu = $("f-edu").value;
      $("f-reg").options[0].textContent = KD.i18n.t("choose");
      $("f-kec").options[0].textContent = KD.i18n.t("choose");
      $("f-desa").options[0].textContent = KD.i18n.t("choose");
      $("f-edu").options[0].textContent = KD.i18n.t("choose");
      $("f-reg").value = reg; $("f-kec").value = kec; $("f-desa").value = desa; $("f-edu").value = edu;
    });
  }

  function kecamatanName(code) {
    var k = kecamatan.find(function (x) { return x.code === code; });
    return k ? k.name : code;
  }

  return { init: init, reset: reset, showServerError: showServerError, kecamatanName: kecamatanName,
    clearErrors: clearErrors };
})();
