// Detente: small progressive enhancements. Every link and form works without this file.
(function () {
  "use strict";

  // Timeline: open an episode's dossier in the side panel instead of a new page.
  function openDossier(link) {
    var panel = document.getElementById("dossier");
    var id = link.getAttribute("data-id");
    if (!panel || !id || panel.classList.contains("page")) {
      return false;
    }
    var href = "/episodes/" + encodeURIComponent(id);
    panel.setAttribute("aria-busy", "true");
    fetch(href + "?fragment=1", { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        // Same-origin HTML rendered by the server with every text escaped.
        panel.innerHTML = html;
        panel.classList.add("open");
        panel.removeAttribute("aria-busy");
        document.querySelectorAll(".episode.selected, .episode-link.selected").forEach(function (el) {
          el.classList.remove("selected");
        });
        document.querySelectorAll('[data-id="' + CSS.escape(id) + '"]').forEach(function (el) {
          if (el.classList.contains("episode") || el.classList.contains("episode-link")) {
            el.classList.add("selected");
          }
        });
        panel.focus({ preventScroll: true });
      })
      .catch(function () {
        window.location.href = href;
      });
    return true;
  }

  document.addEventListener("click", function (event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    var target = event.target;
    if (!(target instanceof Element)) {
      return;
    }
    var link = target.closest("a.episode, a.episode-link");
    if (link && openDossier(link)) {
      event.preventDefault();
      return;
    }
    var close = target.closest(".close-dossier");
    if (close) {
      var panel = document.getElementById("dossier");
      if (panel && !panel.classList.contains("page")) {
        panel.classList.remove("open");
        panel.innerHTML = '<p class="hint">Choose an episode to read its dossier here.</p>';
      }
      return;
    }
    // Document page: a highlighted event shows its coding in the side panel.
    var mark = target.closest("mark.event[data-event]");
    if (mark) {
      document.querySelectorAll(".event-item.current").forEach(function (el) {
        el.classList.remove("current");
      });
      mark.getAttribute("data-event").split(" ").forEach(function (anchor, i) {
        var item = document.getElementById(anchor);
        if (item) {
          item.classList.add("current");
          if (i === 0) {
            item.scrollIntoView({ block: "nearest", behavior: "smooth" });
          }
        }
      });
    }
  });

  // Ingest job page: poll the job until it is finished, then show the final page.
  function pollJob(result) {
    var id = result.getAttribute("data-job");
    var stage = result.querySelector(".job-stage");
    var status = result.querySelector(".job-status");
    var progress = result.querySelector(".job-progress");
    function tick() {
      fetch("/api/jobs/" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          if (job.error && !job.status) {
            return;
          }
          if (status) { status.textContent = job.status; }
          if (stage) { stage.textContent = job.stage; }
          if (progress) {
            progress.max = Math.max(1, job.total);
            progress.value = job.done;
          }
          result.setAttribute("data-status", job.status);
          if (job.status === "done" || job.status === "failed") {
            window.location.reload();
          } else {
            window.setTimeout(tick, 700);
          }
        })
        .catch(function () { window.setTimeout(tick, 2000); });
    }
    window.setTimeout(tick, 400);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var result = document.getElementById("ingest-result");
    if (result && result.hasAttribute("data-job")) {
      var state = result.getAttribute("data-status");
      if (state === "queued" || state === "running") {
        pollJob(result);
      }
    }
  });
})();
