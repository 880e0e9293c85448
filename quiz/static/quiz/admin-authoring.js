// Question form: keep the passage list to the chosen source, show the chosen
// passage's text, and show only the answer fields the chosen kind uses.
// Everything here is optional: without it the form still works and the server checks it all.
(function () {
  "use strict";

  function setUpCitation() {
    var source = document.getElementById("id_source");
    var passage = document.getElementById("id_passage");
    if (!passage) { return; }
    var box = passage.parentNode.querySelector(".cited-passage-text");
    function showText() {
      var option = passage.options[passage.selectedIndex];
      var text = option && option.getAttribute("data-text");
      if (box) { box.textContent = text || box.getAttribute("data-empty"); }
    }
    function filterBySource() {
      if (!source) { return; }
      var wanted = source.value;
      Array.prototype.forEach.call(passage.querySelectorAll("option[data-source]"), function (option) {
        var hide = wanted !== "" && option.getAttribute("data-source") !== wanted;
        option.hidden = hide;
        option.disabled = hide;
      });
      Array.prototype.forEach.call(passage.querySelectorAll("optgroup"), function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      var chosen = passage.options[passage.selectedIndex];
      if (chosen && chosen.hidden) { passage.value = ""; showText(); }
    }
    passage.addEventListener("change", showText);
    if (source) { source.addEventListener("change", filterBySource); }
    filterBySource();
    showText();
  }

  function setUpKindFieldsets() {
    var kind = document.getElementById("id_kind");
    if (!kind) { return; }
    var choiceKinds = ["single", "multiple", "true_false"];
    function toggle() {
      Array.prototype.forEach.call(document.querySelectorAll(".kind-fieldset"), function (fieldset) {
        fieldset.hidden = !fieldset.classList.contains("kind-" + kind.value);
      });
      var choices = document.getElementById("choices-group");
      if (choices) { choices.hidden = choiceKinds.indexOf(kind.value) === -1; }
    }
    kind.addEventListener("change", toggle);
    toggle();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCitation();
    setUpKindFieldsets();
  });
})();
