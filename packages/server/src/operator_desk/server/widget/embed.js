/* Operator Desk embed: the one script tag a site adds to its own pages.
 *
 *   <script src="https://chat.example.com/widget/embed.js" async></script>
 *   <script src="https://chat.example.com/widget/embed.js" data-team="sales" async></script>
 *
 * data-team names the team (department) whose operators chats started on this page are offered to.
 * Loads the widget's style sheet and scripts from the server this file came from; the widget then
 * connects to that server's /v1/visitor, whose allowed-origins list decides whether this site may
 * host it. Adds nothing else to the page: one mount element at the end of <body>, the widget's
 * styles scoped under .odw, and the page's own lang attribute left alone.
 */
"use strict";

(function () {
  const me = document.currentScript;
  // A page that includes the tag twice gets one widget.
  if (!me || !me.src || document.querySelector("script[data-operator-desk-widget]")) {
    return;
  }
  const base = new URL(".", me.src);

  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("widget.css", base).href;
  document.head.appendChild(style);

  // Dynamically inserted scripts run in insertion order when async is false: i18n.js first.
  for (const name of ["i18n.js", "widget.js"]) {
    const script = document.createElement("script");
    script.src = new URL(name, base).href;
    script.async = false;
    script.setAttribute("data-operator-desk-widget", "");
    // <script ... data-team="sales">: chats started on this page go to that team's operators.
    if (me.dataset.team) {
      script.setAttribute("data-team", me.dataset.team);
    }
    document.head.appendChild(script);
  }
})();
