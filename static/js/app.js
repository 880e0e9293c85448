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

  function focusOn(element, options) {
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus(options);
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
    // A region polled for progress changes every second: it neither takes the focus nor
    // speaks until it asks to (the drafting job, once done).
    if (region.hasAttribute("data-quiet-swap") && !requested) { return; }
    var active = document.activeElement;
    var focusLost = !active || active === document.body || !document.body.contains(active);
    var verdict = region.querySelector("#verdict");
    if (requested) {
      focusOn(requested, { preventScroll: !!verdict });
      // On a phone the verdict can land above or below the screen after the swap:
      // bring it to the top; the sticky action bar keeps "Next question" in reach.
      if (verdict) { verdict.scrollIntoView({ block: "start" }); }
    } else if (focusLost) {
      var news = region.querySelector("[role='alert']:not([hidden]), .error:not([hidden]), [data-announce]") ||
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

  // --- Taking a quiz -------------------------------------------------------------

  function answerForm() {
    return document.querySelector("#question-panel form.answer-form");
  }

  function hasAnswer(form) {
    var typed = form.querySelector("input[name=answer]");
    return !!form.querySelector("input:checked") || !!(typed && typed.value.trim());
  }

  // Drafts: what was typed or ticked survives a reload or a crash of the tab, until the
  // answer is recorded. Kept in this tab's sessionStorage only, never sent anywhere.
  function draftKey(form) { return "draft:" + form.getAttribute("data-draft-key"); }

  function saveDraft(form) {
    try {
      var typed = form.querySelector("input[name=answer]");
      var picks = Array.prototype.map.call(form.querySelectorAll("input:checked"), function (i) { return i.value; });
      window.sessionStorage.setItem(draftKey(form), JSON.stringify({ text: typed ? typed.value : "", picks: picks }));
    } catch (ignored) { /* storage full or refused: the draft is a convenience */ }
  }

  function restoreDraft(form) {
    var draft = null;
    try { draft = JSON.parse(window.sessionStorage.getItem(draftKey(form)) || "null"); } catch (ignored) { return; }
    // What the server sent back (a refused answer) wins over an older draft.
    if (!draft || hasAnswer(form)) { return; }
    var typed = form.querySelector("input[name=answer]");
    if (typed) { typed.value = draft.text || ""; }
    (draft.picks || []).forEach(function (value) {
      var input = form.querySelector("input[value='" + value.replace(/[^0-9]/g, "") + "']");
      if (input) { input.checked = true; }
    });
  }

  function setUpAnswerForm() {
    var form = answerForm();
    if (form) { restoreDraft(form); }
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form.answer-form");
    if (form) { saveDraft(form); }
  });
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form.answer-form");
    if (form) { saveDraft(form); }
  });

  // Offline: say the answer was not sent, keep it, and send it again once back online
  // (or on the next press of "Check answer").
  var unsent = null;

  function offlineNote(form, text) {
    var note = form.querySelector(".offline-note");
    if (!note) { return; }
    note.hidden = !text;
    note.textContent = text || "";
  }

  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt;
    if (!form.matches || !form.matches("form.answer-form")) { return; }
    unsent = form;
    offlineNote(form, "Your answer was not sent: there is no connection. It is kept here and will be sent " +
      "as soon as you are back online, or press “Check answer” again.");
  });

  window.addEventListener("online", function () {
    if (unsent && document.body.contains(unsent)) { unsent.requestSubmit(); }
  });

  // An answer came back (the panel was swapped: its form is gone from the page, so
  // this listens for the swap rather than for the form's own request events).
  document.addEventListener("htmx:afterSwap", function (event) {
    var panel = document.getElementById("question-panel");
    if (!panel || !event.detail.target || event.detail.target.id !== "question-panel") { return; }
    unsent = null;
    if (panel.querySelector("#feedback")) {
      try { window.sessionStorage.removeItem("draft:" + panel.getAttribute("data-question-url")); } catch (ignored) { /* none */ }
    }
    if (timeIsUp) { finishAttempt(); }
  });

  // The timer: a warning at one minute, and at zero the page sends what is typed but
  // unsent (the server accepts it for a few seconds past the deadline), then finishes.
  var timeIsUp = false;

  function finishAttempt() {
    var finish = document.getElementById("time-up-form");
    if (finish) { finish.submit(); }
  }

  function timeUp() {
    timeIsUp = true;
    var form = answerForm();
    if (form && hasAnswer(form)) {
      form.requestSubmit();  // its htmx:afterRequest then finishes the attempt
    } else {
      finishAttempt();
    }
  }

  function startTimer() {
    var timer = document.querySelector(".timer[data-deadline]");
    if (!timer) { return; }
    var deadline = new Date(timer.getAttribute("data-deadline")).getTime();
    var value = timer.querySelector(".timer-value");
    var warned = false;
    var tick = function () {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      value.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
      if (left <= 60 && !warned) {
        warned = true;
        timer.classList.add("is-low");
        var warning = document.getElementById("timer-warning");
        if (warning && left > 0) { warning.hidden = false; }
      }
      if (left > 0) { window.setTimeout(tick, 1000); } else { timeUp(); }
    };
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    startTimer();
    setUpAnswerForm();
    // A keyboard user starts at the question, not at the site's navigation: one Tab
    // from here reaches the first answer. Not when the address names a place to go.
    var heading = document.querySelector("#question-panel #question-heading[tabindex]");
    if (heading && !window.location.hash) { heading.focus({ preventScroll: true }); }
  });

  document.addEventListener("htmx:afterSettle", setUpAnswerForm);
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
