// Suggestions as you type: fills the <datalist> of every search box that names a suggestion endpoint.
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (q === last || q.length < 1) { return; }
      last = q;
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
          .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
          .then(function (body) {
            list.replaceChildren();
            body.suggestions.forEach(function (text) {
              var option = document.createElement("option");
              option.value = text;  // set as a property: never parsed as HTML
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are a convenience; typing still works */ });
      }, 150);
    });
  }
  document.querySelectorAll("input[data-suggest][list]").forEach(attach);
})();
