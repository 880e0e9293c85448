// Small enhancements on top of pages that already work without JavaScript.
(function () {
  "use strict";

  function announce(root) {
    var announcer = document.getElementById("announcer");
    var source = root.querySelector("[data-announce]");
    if (announcer && source) {
      announcer.textContent = "";
      // A fresh text node after a tick makes screen readers read it even if unchanged.
      window.setTimeout(function () { announcer.textContent = source.textContent.replace(/\s+/g, " ").trim(); }, 50);
    }
  }

  // After htmx swaps a question or its feedback in, move focus there and announce the result.
  document.addEventListener("htmx:afterSwap", function (event) {
    var panel = document.getElementById("question-panel");
    if (!panel) { return; }
    var target = panel.querySelector("[data-focus-on-swap]") ||
                 panel.querySelector("[aria-invalid='true'], .error") ||
                 panel.querySelector("input, button");
    var heading = panel.querySelector("#question-heading");
    if (target && target.matches("[data-focus-on-swap], .error")) {
      target.setAttribute("tabindex", "-1");
      target.focus();
    } else if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
    announce(panel);
  });

  // Dashboards, statistics and class lists: after htmx replaces one of these regions,
  // read out its status line (a saved assignment, a joined class, how many attempts).
  var announcedRegions = ["dashboard", "stats", "my-classes", "student-attempts", "missed", "progress"];
  document.addEventListener("htmx:afterSwap", function (event) {
    var id = event.detail.target && event.detail.target.id;
    if (announcedRegions.indexOf(id) === -1) { return; }
    var region = document.getElementById(id);
    if (region) { announce(region); }
  });

  // Reader: bring a cited quote into view and give it focus. Chrome scrolls to the
  // #p<n> fragment after DOMContentLoaded and blurs whatever had the focus then, so
  // this waits for the load event and the frame after it.
  window.addEventListener("load", function () {
    var cited = document.getElementById("cited-quote");
    if (!cited) { return; }
    window.requestAnimationFrame(function () {
      cited.scrollIntoView({ block: "center" });
      cited.focus({ preventScroll: true });
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    var timer = document.querySelector(".timer[data-deadline]");
    if (timer) {
      var deadline = new Date(timer.getAttribute("data-deadline")).getTime();
      var value = timer.querySelector(".timer-value");
      var tick = function () {
        var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
        value.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
        if (left > 0) { window.setTimeout(tick, 1000); }
      };
      tick();
    }
  });
})();
