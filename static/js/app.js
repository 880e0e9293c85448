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

  function focusOn(element) {
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  // After htmx replaces a region (a question and its feedback, a class list, a
  // dashboard), keep keyboard and screen-reader users where the change happened.
  // htmx itself gives the focus back to an element with the same id (a filter
  // select); when the focused button or link was swapped away instead, the focus
  // would fall to the top of the page, so it goes to the news in the region:
  // its error, its status line, or its heading. A region can also ask for it
  // with data-focus-on-swap (the feedback after an answer).
  document.addEventListener("htmx:afterSwap", function (event) {
    var id = event.detail.target && event.detail.target.id;
    var region = id ? document.getElementById(id) : null;
    if (!region) { return; }
    var requested = region.querySelector("[data-focus-on-swap]");
    var active = document.activeElement;
    var focusLost = !active || active === document.body || !document.body.contains(active);
    if (requested) {
      focusOn(requested);
    } else if (focusLost) {
      var news = region.querySelector("[role='alert'], .error, [data-announce]") ||
                 region.querySelector("h1, h2, h3") || region;
      focusOn(news);
    }
    announce(region);
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

// The LTI deep-linking reply goes straight back to the LMS; without JavaScript the
// teacher presses its button instead.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosubmit]");
  if (form) { form.submit(); }
})();

// LTI Dynamic Registration ends by telling the LMS that opened us that we are done.
(function () {
  "use strict";
  if (document.querySelector("[data-lti-registered]")) {
    (window.opener || window.parent).postMessage({ subject: "org.imsglobal.lti.close" }, "*");
  }
})();
