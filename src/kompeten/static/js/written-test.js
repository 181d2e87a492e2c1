// The written test page: autosave of each answer (one POST per answer) and a countdown from the server's
// seconds_left (the server keeps the deadline; a reload starts again from what it says).
// Each save carries the page's token (data-token, new at each opening of the page; written_test.issue_token)
// in its header; when the server says the page no longer holds (another tab opened the test, or the candidate
// logged out), a warning with a reload button stays on top of the page. Every data-touch-seconds a save also
// asks the server to keep the session alive (the answer endpoint does not read the session otherwise).
(function () {
  "use strict";
  var root = document.getElementById("written-test");
  if (!root) return;
  var left = parseInt(root.dataset.secondsLeft, 10) || 0;
  var clock = document.getElementById("wt-clock");
  var status = document.getElementById("wt-status");
  var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var token = root.dataset.token || "";
  var tokenHeader = root.dataset.tokenHeader || "X-Attempt-Token";
  var touchEvery = (parseInt(root.dataset.touchSeconds, 10) || 300) * 1000;
  var touched = Date.now();  // the page itself was a request that kept the session alive
  var started = Date.now();
  var closed = false;
  var reloadBox = document.getElementById("wt-reload");

  function askReload(message) {
    document.getElementById("wt-reload-text").textContent = message;
    reloadBox.classList.remove("d-none");
    reloadBox.classList.add("d-flex");
  }
  document.getElementById("wt-reload-button").addEventListener("click", function () { window.location.reload(); });

  function show(s) {
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    clock.textContent = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(r).padStart(2, "0");
  }
  function tick() {
    var now = Math.max(0, left - Math.floor((Date.now() - started) / 1000));
    show(now);
    if (now === 0 && !closed) {
      closed = true;
      status.textContent = root.dataset.timeout;
      window.setTimeout(function () { window.location.reload(); }, 1500);
    }
  }
  show(left);
  window.setInterval(tick, 1000);

  function save(box, body) {
    var mark = box.querySelector(".wt-saved");
    mark.textContent = root.dataset.saving;
    mark.className = "small text-body-secondary wt-saved";
    body.append("item", box.dataset.item);
    if (Date.now() - touched >= touchEvery) { body.append("touch", "1"); touched = Date.now(); }
    var headers = {"X-CSRFToken": csrf, "X-Requested-With": "fetch"};
    headers[tokenHeader] = token;
    fetch(root.dataset.answerUrl, {method: "POST", body: body, credentials: "same-origin", headers: headers})
      .then(function (r) { return r.json().then(function (j) { return [r.ok, j]; }); })
      .then(function (res) {
        var ok = res[0], j = res[1];
        if (ok && j.ok) {
          mark.textContent = root.dataset.saved;
          mark.className = "small text-success wt-saved";
          left = j.seconds_left; started = Date.now();
        } else {
          mark.textContent = (j.reload && root.dataset.stale) || j.error || root.dataset.failed;
          mark.className = "small text-danger wt-saved";
          if (j.closed) window.setTimeout(function () { window.location.reload(); }, 2500);
          if (j.reload) askReload(j.error || root.dataset.failed);
        }
      })
      .catch(function () {
        mark.textContent = root.dataset.failed;
        mark.className = "small text-danger wt-saved";
      });
  }

  root.querySelectorAll(".wt-question").forEach(function (box) {
    box.querySelectorAll("input[type=radio]").forEach(function (input) {
      input.addEventListener("change", function () {
        var b = new FormData(); b.append("choice", input.value); save(box, b);
      });
    });
    var area = box.querySelector("textarea");
    if (area) {
      var timer = null;
      var send = function () { var b = new FormData(); b.append("text", area.value); save(box, b); };
      area.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(send, 800); });
      area.addEventListener("blur", function () { if (timer) { window.clearTimeout(timer); timer = null; send(); } });
    }
  });
})();
