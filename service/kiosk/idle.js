/* The kiosk is shared: what one person left on screen must not wait there
   for the next.  KD.idle.watch(onIdle) calls onIdle once the page has been
   left alone for the seconds <body data-idle-seconds> names (120 when it
   names none), and again only after someone has used it and left it alone
   once more.  The attribute is read whenever the wait starts over, so that
   staff, or a test, can change it on a running page. */
"use strict";
var KD = window.KD || (window.KD = {});

KD.idle = (function () {
  var DEFAULT_SECONDS = 120;
  var ACTIVITY = ["pointerdown", "keydown", "input", "wheel", "touchstart"];
  var timer = null;

  function seconds() {
    var s = Number(document.body.dataset.idleSeconds);
    return s > 0 ? s : DEFAULT_SECONDS;
  }

  function watch(onIdle) {
    function restart() {
      clearTimeout(timer);
      timer = setTimeout(onIdle, seconds() * 1000);
    }
    ACTIVITY.forEach(function (name) {
      document.addEventListener(name, restart, { capture: true, passive: true });
    });
    restart();
  }

  return { watch: watch };
})();
