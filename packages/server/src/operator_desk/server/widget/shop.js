/* The demo shop page: hash navigation between sections, a basket counter, translated text.
 *
 * Knows nothing about the chat: widget.js notices navigation through the hashchange event and reads
 * document.title, which this file sets first (its listener is registered first: scripts run in order).
 */
"use strict";

(function () {
  var i18n = window.OperatorDeskI18n;
  var SHOP = "Northwind Outfitters";
  var PAGES = ["home", "jackets", "boots", "tents", "about"];

  // The shop's page is in the widget's language (a site that embeds the widget keeps its own).
  document.documentElement.lang = i18n.lang;
  i18n.apply(document);

  function currentPage() {
    var name = location.hash.replace(/^#\/?/, "");
    return PAGES.indexOf(name) >= 0 ? name : "home";
  }

  function show(moveFocus) {
    var page = currentPage();
    var sections = document.querySelectorAll("section.page");
    for (var i = 0; i < sections.length; i++) {
      sections[i].hidden = sections[i].getAttribute("data-page") !== page;
    }
    var links = document.querySelectorAll(".shop-nav a");
    for (var j = 0; j < links.length; j++) {
      if (links[j].getAttribute("data-page") === page) {
        links[j].setAttribute("aria-current", "page");
      } else {
        links[j].removeAttribute("aria-current");
      }
    }
    document.title = page === "home" ? SHOP : i18n.t("shop.nav." + page) + " · " + SHOP;
    if (moveFocus) {
      // A hash change does not move focus in a single-page layout: move it to the new content so a
      // keyboard or screen-reader user lands where a page load would have put them.
      document.getElementById("main").focus();
    }
  }

  window.addEventListener("hashchange", function () {
    show(true);
  });
  show(false);

  var count = 0;
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.add") : null;
    if (!button || button.classList.contains("added")) {
      return;
    }
    count += 1;
    button.classList.add("added");
    button.textContent = i18n.t("shop.added");
    document.getElementById("basket-count").textContent = String(count);
  });
})();
