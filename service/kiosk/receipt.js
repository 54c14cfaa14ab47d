/* The receipt: the registration code, a QR code of it drawn in the page
   (Debian's qrcode-generator, embedded as /kiosk/qrcode.js), and the
   nearby vacancies the registration answer recommends. */
"use strict";
var KD = window.KD || (window.KD = {});

KD.receipt = (function () {
  function $(id) { return document.getElementById(id); }

  function drawQr(canvas, text) {
    var qr = qrcode(0, "M");
    qr.addData(text);
    qr.make();
    var n = qr.getModuleCount(), quiet = 4;
    var cell = Math.floor(canvas.width / (n + 2 * quiet));
    var offset = Math.floor((canvas.width - cell * n) / 2);
    var ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = "#000";
    for (var r = 0; r < n; r++)
      for (var c = 0; c < n; c++)
        if (qr.isDark(r, c)) ctx.fillRect(offset + c * cell, offset + r * cell, cell, cell);
    canvas.dataset.qr = text;
  }

  function para(text, cls) {
    var p = document.createElement("p");
    p.textContent = text;
    if (cls) p.className = cls;
    return p;
  }

  /* answer: the 201 body of POST /v1/seekers. */
  function show(answer) {
    var t = KD.i18n.t;
    $("rc-code").textContent = answer.registration_code;
    drawQr($("rc-qr"), answer.registration_code);
    var labels = {};
    (answer.skills || []).forEach(function (s) { labels[s.code] = s.label; });
    var list = $("rc-matches");
    list.textContent = "";
    var recs = answer.recommendations || [];
    recs.forEach(function (r) {
      var li = document.createElement("li");
      li.className = "match";
      var h = document.createElement("h4");
      h.textContent = r.title;
      li.appendChild(h);
      li.appendChild(para(r.employer));
      var where = KD.form.kecamatanName(r.kecamatan_code) + " · " +
        Number(r.distance_km).toFixed(1) + " " + t("rc_km");
      var p = para(where, "where");
      if (r.same_kecamatan) {
        var b = document.createElement("span");
        b.className = "badge";
        b.textContent = t("rc_same_kec");
        p.appendChild(document.createTextNode(" "));
        p.appendChild(b);
      }
      li.appendChild(p);
      var matched = (r.matched_skills || []).map(function (c) { return labels[c] || c; });
      if (matched.length) li.appendChild(para(t("rc_skills") + ": " + matched.join(", "), "skills"));
      list.appendChild(li);
    });
    $("rc-none").hidden = recs.length > 0;
  }

  /* Takes the last receipt off the page: its code, QR code and matches. */
  function clear() {
    $("rc-code").textContent = "";
    var canvas = $("rc-qr");
    canvas.getContext("2d").clearRect(0, 0, canvas.width, canvas.height);
    delete canvas.dataset.qr;
    $("rc-matches").textContent = "";
    $("rc-none").hidden = true;
  }

  return { show: show, clear: clear };
})();
