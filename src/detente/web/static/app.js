// Detente: small progressive enhancements. Every link and form works without this file.
(function () {
  "use strict";

  // Timeline: open an episode's dossier in the side panel. The address becomes
  // /?...&episode=ID (shareable; the server renders the same view), Back closes the panel,
  // Escape or × close it, and focus returns to the episode that opened it.
  var HINT = '<p class="hint">Choose an episode to read its dossier here.</p>';
  var opener = null;

  function panel() {
    var p = document.getElementById("dossier");
    return p && !p.classList.contains("page") ? p : null;
  }

  function urlWith(id) {
    var url = new URL(window.location.href);
    if (id) {
      url.searchParams.set("episode", id);
    } else {
      url.searchParams.delete("episode");
    }
    return url.pathname + url.search + url.hash;
  }

  function markSelected(id) {
    document.querySelectorAll(".episode.selected, .episode-link.selected").forEach(function (el) {
      el.classList.remove("selected");
    });
    if (!id) {
      return;
    }
    document.querySelectorAll('[data-id="' + CSS.escape(id) + '"]').forEach(function (el) {
      if (el.classList.contains("episode") || el.classList.contains("episode-link")) {
        el.classList.add("selected");
      }
    });
  }

  function linkFor(id) {
    return document.querySelector('a.episode-link[data-id="' + CSS.escape(id) + '"]') ||
      document.querySelector('a.episode[data-id="' + CSS.escape(id) + '"]');
  }

  function showDossier(id) {
    var p = panel();
    if (!p) {
      return false;
    }
    var href = "/episodes/" + encodeURIComponent(id);
    p.setAttribute("aria-busy", "true");
    fetch(href + "?fragment=1", { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        // Same-origin HTML rendered by the server with every text escaped.
        p.innerHTML = html;
        p.classList.add("open");
        p.removeAttribute("aria-busy");
        p.setAttribute("data-opened", id);
        markSelected(id);
        p.focus({ preventScroll: true });
        if (window.matchMedia("(max-width: 900px)").matches) {
          p.scrollIntoView({ block: "start" });
        }
      })
      .catch(function () {
        window.location.href = href;
      });
    return true;
  }

  function hideDossier() {
    var p = panel();
    if (!p || !p.classList.contains("open")) {
      return;
    }
    var id = p.getAttribute("data-opened");
    p.classList.remove("open");
    p.removeAttribute("data-opened");
    p.innerHTML = HINT;
    markSelected(null);
    var back = opener || (id ? linkFor(id) : null);
    opener = null;
    if (back) {
      back.focus();
      if (window.matchMedia("(max-width: 900px)").matches) {
        back.scrollIntoView({ block: "center" });
      }
    }
  }

  // Close by the user (× or Escape): step back if we pushed the entry, else drop the
  // parameter from the address.
  function closeDossier() {
    var state = window.history.state;
    if (state && state.episode && state.pushed) {
      window.history.back();
      return;
    }
    window.history.replaceState(null, "", urlWith(null));
    hideDossier();
  }

  window.addEventListener("popstate", function (event) {
    var id = event.state && event.state.episode;
    if (id) {
      showDossier(id);
    } else {
      hideDossier();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var p = panel();
      if (p && p.classList.contains("open")) {
        event.preventDefault();
        closeDossier();
      }
      return;
    }
    var target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target instanceof Element &&
        target.matches("mark.event[data-event]")) {
      event.preventDefault();
      showCoding(target, true);
    }
  });

  function showCoding(mark, focus) {
    document.querySelectorAll(".event-item.current").forEach(function (el) {
      el.classList.remove("current");
    });
    mark.getAttribute("data-event").split(" ").forEach(function (anchor, i) {
      var item = document.getElementById(anchor);
      if (item) {
        item.classList.add("current");
        if (i === 0) {
          item.scrollIntoView({ block: "nearest", behavior: "smooth" });
          if (focus) {
            item.focus({ preventScroll: true });
          }
        }
      }
    });
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
    var id = link && link.getAttribute("data-id");
    if (link && id && panel()) {
      event.preventDefault();
      opener = link;
      var state = window.history.state;
      if (state && state.episode) {
        // Replace the open dossier rather than stacking one entry per click.
        window.history.replaceState({ episode: id, pushed: state.pushed }, "", urlWith(id));
        showDossier(id);
      } else {
        window.history.pushState({ episode: id, pushed: true }, "", urlWith(id));
        showDossier(id);
      }
      return;
    }
    if (target.closest(".close-dossier")) {
      closeDossier();
      return;
    }
    // Document page: a highlighted event shows its coding in the side panel.
    var mark = target.closest("mark.event[data-event]");
    if (mark) {
      showCoding(mark, false);
    }
  });

  // A dossier the server opened (?episode=ID): remember it in the history entry.
  document.addEventListener("DOMContentLoaded", function () {
    var p = panel();
    var id = p && p.getAttribute("data-opened");
    if (id) {
      window.history.replaceState({ episode: id, pushed: false }, "", window.location.href);
      markSelected(id);
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
