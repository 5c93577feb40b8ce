/* Operator Desk visitor widget: a chat launcher and panel that speaks protocol v1 on /v1/visitor.
 *
 * Rules this file keeps:
 * - Server and user text goes into the page with textContent only, never as markup: a visitor or an
 *   operator who types <b>bold</b> sees exactly that.
 * - Nothing is logged to the console (messages, names, details are personal data).
 * - Nothing the visitor typed is lost: the composer keeps its text until the message is queued, queued
 *   messages keep their client_msg_id and are sent again after a reconnect (the server stores a
 *   client_msg_id once), and forms are never rebuilt while they hold input.
 * - Consent is asked per purpose, with unticked boxes, against the notice the server sent; the widget
 *   records each choice with consent.set and never assumes a consent the server has not confirmed.
 * - Nothing is kept in the browser on page load. The visitor_token goes to sessionStorage once the
 *   visitor asks for the chat (this visit only), and to localStorage (a later visit) only with
 *   visitor_insights consent, deleted on its withdrawal; "Forget me" removes both.
 */
"use strict";

(function () {
  const i18n = window.OperatorDeskI18n;
  const t = i18n.t;

  const SESSION_KEY = "operatorDesk.sessionToken";
  const RECOGNISE_KEY = "operatorDesk.visitorToken";
  const MAX_TEXT = 10000;
  const MAX_URL = 2048;
  const MAX_TITLE = 512;
  const TYPING_THROTTLE_MS = 300;
  const TYPING_IDLE_MS = 4000;
  const PING_EVERY_MS = 25000;
  const PING_TIMEOUT_MS = 10000;
  const BACKOFF_MIN_MS = 1000;
  const BACKOFF_MAX_MS = 30000;
  const PURPOSES = ["chat", "visitor_insights", "contact_details", "typing_preview"];
  // Asked in the pre-chat form. contact_details is asked when an operator actually asks for details,
  // where the visitor can see what they would share.
  const PRECHAT_PURPOSES = ["chat", "visitor_insights", "typing_preview"];
  const FIELD_INPUTS = {
    phone: { type: "tel", autocomplete: "tel" },
    email: { type: "email", autocomplete: "email" },
    postal_address: { multiline: true, autocomplete: "street-address" },
    company: { type: "text", autocomplete: "organization" },
    order_reference: { type: "text", autocomplete: "off" },
  };

  // -- small DOM helpers ----------------------------------------------------------------------------

  let uid = 0;
  function nextDomId(prefix) {
    uid += 1;
    return "odw-" + prefix + "-" + uid;
  }

  /* h("button", {class: "x", text: "Send", onclick: fn, "aria-label": "..."}, [children])
   * "text" sets textContent; strings among the children become text nodes. There is deliberately no
   * way to set innerHTML through this helper. */
  function h(tag, attrs, children) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const key of Object.keys(attrs)) {
        const value = attrs[key];
        if (value === undefined || value === null || value === false) {
          continue;
        }
        if (key === "text") {
          el.textContent = String(value);
        } else if (key === "class") {
          el.className = value;
        } else if (key.startsWith("on")) {
          el.addEventListener(key.slice(2), value);
        } else if (key === "hidden" || key === "disabled" || key === "checked") {
          el[key] = Boolean(value);
        } else {
          el.setAttribute(key, value === true ? "" : String(value));
        }
      }
    }
    for (const child of children || []) {
      if (child === null || child === undefined || child === false) {
        continue;
      }
      el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return el;
  }

  const SVG_NS = "http://www.w3.org/2000/svg";
  const ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    close: "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z",
    shield: "M12 2 4 5v6c0 5 3.4 9.7 8 11 4.6-1.3 8-6 8-11V5l-8-3zm-1 14-4-4 1.4-1.4L11 13.2l4.6-4.6L17 10l-6 6z",
    send: "M3 20.5 21 12 3 3.5 3 10l12 2-12 2z",
    minimize: "M5 11h14v2H5z",
    back: "M20 11H7.8l5.6-5.6L12 4l-8 8 8 8 1.4-1.4L7.8 13H20z",
  };
  function icon(name) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "odw-icon");
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", ICONS[name]);
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  function clear(el) {
    while (el.firstChild) {
      el.removeChild(el.firstChild);
    }
  }

  function randomId() {
    if (window.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  const timeFormat = new Intl.DateTimeFormat(i18n.tag, { hour: "numeric", minute: "2-digit" });
  function formatTime(at) {
    const date = at ? new Date(at) : new Date();
    return isNaN(date.getTime()) ? "" : timeFormat.format(date);
  }

  function errorText(error) {
    const code = (error && error.code) || "internal";
    const key = "w.error." + code;
    const text = t(key);
    return text === key ? t("w.error.generic", { code: code }) : text;
  }

  function purposeLabel(purpose) {
    const key = "w.purpose." + purpose;
    const text = t(key);
    return text === key ? purpose : text;
  }

  function fieldLabel(field) {
    const key = "w.field." + field;
    const text = t(key);
    // A field the server's configuration added and we have no words for: show its name readably.
    return text === key ? field.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase()) : text;
  }

  // -- what the browser keeps (docs/widget.md, "What the browser keeps") ----------------------------------
  //
  // On page load, nothing: the server's token for this page lives in memory, so a reload or another
  // page is someone new to the server, linked to nothing. Once the visitor asks for the chat (a consent
  // recorded, a chat started), the token is kept in sessionStorage, so that the chat goes on across the
  // pages of this visit; it is gone when the tab closes. Only with visitor_insights granted is it also
  // kept in localStorage, with its expiry, so that a later visit is recognised; it is deleted when that
  // consent is withdrawn, on "Forget me", and once expired.

  function store(kind) {
    try {
      return window[kind] || null;
    } catch (e) {
      return null; // storage blocked (private mode, settings): the visitor is simply new each time
    }
  }

  function readToken() {
    try {
      const session = store("sessionStorage");
      const forVisit = session && session.getItem(SESSION_KEY);
      if (forVisit) {
        state.askedForService = true;
        return forVisit;
      }
      const local = store("localStorage");
      const raw = local && local.getItem(RECOGNISE_KEY);
      if (!raw) {
        return null;
      }
      let kept = null;
      try {
        kept = JSON.parse(raw);
      } catch (e) {
        kept = null;
      }
      if (!kept || typeof kept.token !== "string" || !(Number(kept.expires) > Date.now())) {
        local.removeItem(RECOGNISE_KEY); // expired, or kept by an older widget without consent
        return null;
      }
      return kept.token;
    } catch (e) {
      return null;
    }
  }

  // Keep (or drop) the token where the visitor's choices say, and say so in the small print.
  function syncStorage() {
    try {
      const session = store("sessionStorage");
      const local = store("localStorage");
      if (session && state.token && state.askedForService) {
        session.setItem(SESSION_KEY, state.token);
      }
      if (local) {
        if (state.token && state.consent.visitor_insights && state.recognitionDays > 0) {
          const expires = Date.now() + state.recognitionDays * 24 * 3600 * 1000;
          local.setItem(RECOGNISE_KEY, JSON.stringify({ token: state.token, expires: expires }));
        } else {
          local.removeItem(RECOGNISE_KEY);
        }
      }
    } catch (e) {
      /* see store() */
    }
    renderStorageNotes();
  }

  function forgetTokens() {
    state.token = null;
    state.askedForService = false;
    try {
      const session = store("sessionStorage");
      const local = store("localStorage");
      if (session) {
        session.removeItem(SESSION_KEY);
      }
      if (local) {
        local.removeItem(RECOGNISE_KEY);
      }
    } catch (e) {
      /* see store() */
    }
    renderStorageNotes();
  }

  function storageNote() {
    if (state.consent.visitor_insights && state.recognitionDays > 0) {
      return t("w.store.recognise", { days: state.recognitionDays });
    }
    return state.askedForService ? t("w.store.visit") : t("w.store.none");
  }

  function renderStorageNotes() {
    for (const note of ui.storageNotes || []) {
      note.textContent = storageNote();
    }
  }

  function storageNoteElement() {
    const note = h("p", { class: "odw-smallprint", role: "note", text: storageNote() });
    ui.storageNotes = (ui.storageNotes || []).concat([note]);
    return note;
  }

  function currentPage() {
    return {
      url: String(location.href).slice(0, MAX_URL),
      title: String(document.title || "").slice(0, MAX_TITLE),
    };
  }

  // -- state -----------------------------------------------------------------------------------------

  const state = {
    ws: null,
    ready: false, // visitor.hello answered on the current socket
    available: true, // someone can answer now (visitor.hello): else a message is left
    stopped: false, // after "Forget me": no reconnect until the visitor opens the widget again
    attempt: 0,
    retryTimer: null,
    retryAt: 0,
    countdownTimer: null,
    pingTimer: null,
    nextRequest: 1,
    pending: new Map(), // request id -> {resolve, reject}
    visitorId: null,
    notices: [],
    consent: { chat: false, visitor_insights: false, contact_details: false, typing_preview: false },
    outdated: new Set(),
    // The server's token for this page, in memory; kept in the browser only as syncStorage() says.
    token: null,
    askedForService: false,
    recognitionDays: 0,
    chat: null,
    operatorName: null,
    messages: [], // {key, id, clientMsgId, author, authorName, text, at, status, el}
    open: false,
    unread: 0,
    view: "loading",
    lastPageUrl: null,
    typing: { sentTyping: false, sentDraft: null, lastSentAt: 0, timer: null, idleTimer: null },
    wasConnected: false,
  };

  // -- the connection --------------------------------------------------------------------------------

  // The server this file was loaded from, which may not be the page's: a shop embeds the widget with
  // one script tag from the chat server (embed.js). Read now: currentScript is only set while it runs.
  const SCRIPT_URL = (document.currentScript && document.currentScript.src) || location.href;
  // The team (department) the page's chats go to: data-team on the script tag (embed.js passes it on)
  // or on the mount element; a value that cannot be a team id is ignored (the chat is anyone's).
  const TEAM = (function () {
    const mount = document.getElementById("operator-desk-widget");
    const named = (document.currentScript && document.currentScript.getAttribute("data-team")) ||
      (mount && mount.getAttribute("data-team")) || "";
    return /^[a-z0-9_-]{1,32}$/.test(named) ? named : null;
  })();

  function socketUrl() {
    // ../v1/visitor beside /widget/: a server behind a path prefix (/chat/widget/...) works too.
    const url = new URL("../v1/visitor", SCRIPT_URL);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.search = "";
    url.hash = "";
    return url.href;
  }

  function connect() {
    if (state.ws || state.stopped) {
      return;
    }
    clearTimeout(state.retryTimer);
    state.retryTimer = null;
    stopCountdown();
    let ws;
    try {
      ws = new WebSocket(socketUrl());
    } catch (e) {
      scheduleReconnect();
      return;
    }
    state.ws = ws;
    if (!state.wasConnected) {
      showBanner("connecting");
    }
    ws.addEventListener("open", () => hello(ws));
    ws.addEventListener("message", (event) => onFrame(ws, event.data));
    ws.addEventListener("close", () => onClose(ws));
    // An error is always followed by close, which does the work.
  }

  function hello(ws, withoutToken) {
    const token = withoutToken ? null : readToken();
    const payload = { page: currentPage(), language: i18n.tag };
    if (TEAM) {
      payload.team = TEAM;
    }
    if (token) {
      payload.visitor_token = token;
    }
    // No referrer is sent: the widget works without it and it can carry search terms.
    requestOn(ws, "visitor.hello", payload).then(
      (res) => {
        if (state.ws !== ws) {
          return;
        }
        state.token = res.visitor_token;
        state.recognitionDays = Number(res.recognition_days) || 0;
        state.visitorId = res.visitor_id;
        state.notices = Array.isArray(res.notices) ? res.notices : [];
        for (const purpose of PURPOSES) {
          state.consent[purpose] = Boolean(res.consent && res.consent[purpose]);
        }
        // Purposes agreed to under an earlier version of a notice that asks again: not granted now.
        state.outdated = new Set(Array.isArray(res.consent_outdated) ? res.consent_outdated : []);
        if (res.chat) {
          state.askedForService = true; // a chat of this visit goes on
        }
        syncStorage();
        showAvailability(res.available !== false);
        showHelloChat(res.chat, Array.isArray(res.messages) ? res.messages : []);
        state.ready = true;
        state.attempt = 0;
        state.lastPageUrl = payload.page.url;
        showBanner(state.wasConnected ? "back" : null);
        state.wasConnected = true;
        startPing(ws);
        onReady();
      },
      (error) => {
        if (state.ws !== ws) {
          return;
        }
        if (token && error.code !== "disconnected" && error.code !== "rate_limited") {
          // The server does not know this token any more (erased, expired): start as a new visitor.
          forgetTokens();
          hello(ws, true);
        } else {
          ws.close();
        }
      },
    );
  }

  function onFrame(ws, data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (e) {
      return;
    }
    if (!frame || typeof frame !== "object" || frame.v !== 1) {
      return;
    }
    if (frame.type === "res") {
      const waiter = state.pending.get(frame.id);
      if (!waiter) {
        return;
      }
      state.pending.delete(frame.id);
      if (frame.ok) {
        waiter.resolve(frame.payload || {});
      } else {
        waiter.reject(frame.error || { code: "internal", message: "" });
      }
    } else if (frame.type === "push" && state.ws === ws) {
      onPush(frame.action, frame.payload || {});
    }
  }

  function onClose(ws) {
    if (state.ws !== ws) {
      return;
    }
    state.ws = null;
    state.ready = false;
    clearInterval(state.pingTimer);
    state.pingTimer = null;
    const waiting = Array.from(state.pending.values());
    state.pending.clear();
    for (const waiter of waiting) {
      waiter.reject({ code: "disconnected", message: "" });
    }
    resetTyping();
    renderOutboxStatus();
    if (!state.stopped) {
      scheduleReconnect();
    }
  }

  function scheduleReconnect() {
    // Exponential backoff with jitter, so that a restarted server is not hit by every widget at once.
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, state.attempt));
    const delay = Math.round(base * (0.5 + Math.random() * 0.5));
    state.attempt += 1;
    state.retryAt = Date.now() + delay;
    clearTimeout(state.retryTimer);
    state.retryTimer = setTimeout(connect, delay);
    startCountdown();
  }

  function retryNow() {
    state.attempt = 0;
    connect();
  }

  function startPing(ws) {
    clearInterval(state.pingTimer);
    // A connection that silently died (laptop asleep, network switched) is only noticed by writing to
    // it; an unanswered ping closes it, which starts the reconnect.
    state.pingTimer = setInterval(() => {
      const timer = setTimeout(() => ws.close(), PING_TIMEOUT_MS);
      requestOn(ws, "ping", {}).then(
        () => clearTimeout(timer),
        () => clearTimeout(timer),
      );
    }, PING_EVERY_MS);
  }

  function requestOn(ws, action, payload) {
    return new Promise((resolve, reject) => {
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        reject({ code: "disconnected", message: "" });
        return;
      }
      const id = "w" + state.nextRequest++;
      state.pending.set(id, { resolve, reject });
      ws.send(JSON.stringify({ v: 1, type: "req", id: id, action: action, payload: payload }));
    });
  }

  // Every request after the hello: refused at once while offline, so the caller can say so.
  function request(action, payload) {
    if (!state.ready) {
      return Promise.reject({ code: "disconnected", message: "" });
    }
    return requestOn(state.ws, action, payload);
  }

  // -- consent ---------------------------------------------------------------------------------------

  function noticeFor(purpose) {
    for (const notice of state.notices) {
      if (Array.isArray(notice.purposes) && notice.purposes.indexOf(purpose) >= 0) {
        return notice;
      }
    }
    return null;
  }

  async function setConsent(purpose, granted, method, notice) {
    const shown = notice || noticeFor(purpose);
    if (!shown) {
      throw { code: "not_found", message: "" };
    }
    const res = await request("consent.set", {
      purpose: purpose,
      granted: granted,
      notice_id: shown.id,
      notice_version: shown.version,
      method: method,
    });
    // The server's answer is what counts: it may have recorded something else than we asked.
    const event = res && res.consent;
    state.consent[purpose] = event && event.purpose === purpose ? Boolean(event.granted) : granted;
    state.outdated.delete(purpose);
    // A recorded choice is the visitor asking for the service: keep the token for this visit (and for
    // later visits only while visitor_insights is granted).
    state.askedForService = true;
    syncStorage();
    refreshConsentViews();
    return state.consent[purpose];
  }

  // -- the page ---------------------------------------------------------------------------------------

  function onNavigate() {
    // Deferred: the shop's own hashchange handler sets the new title first.
    setTimeout(() => {
      const page = currentPage();
      if (!state.ready || page.url === state.lastPageUrl) {
        return;
      }
      state.lastPageUrl = page.url;
      request("visitor.page", page).catch(() => {
        // Offline: the next hello carries the current page.
        state.lastPageUrl = null;
      });
    }, 0);
  }

  // -- building the widget -----------------------------------------------------------------------------

  const ui = {};

  function build(mount) {
    const titleId = nextDomId("title");
    ui.launcherIcon = icon("chat");
    ui.badge = h("span", { class: "odw-badge", hidden: true, "aria-hidden": "true" });
    ui.launcher = h(
      "button",
      {
        type: "button",
        class: "odw-launcher",
        "aria-label": t("w.launcher.open"),
        "aria-expanded": "false",
        onclick: () => (state.open ? closePanel() : openPanel()),
      },
      [ui.launcherIcon, ui.badge],
    );

    ui.privacyButton = h(
      "button",
      {
        type: "button",
        class: "odw-head-button",
        "aria-label": t("w.privacy.open"),
        "aria-haspopup": "dialog",
        onclick: openSettings,
      },
      [icon("shield"), h("span", { class: "odw-head-label", text: t("w.privacy") })],
    );
    ui.closeButton = h(
      "button",
      { type: "button", class: "odw-head-button", "aria-label": t("w.minimize"), onclick: closePanel },
      [icon("minimize")],
    );
    ui.header = h("div", { class: "odw-header" }, [
      h("div", { class: "odw-heading" }, [
        h("h2", { id: titleId, class: "odw-title", text: t("w.title") }),
        h("p", { class: "odw-subtitle", text: t("w.subtitle") }),
      ]),
      ui.privacyButton,
      ui.closeButton,
    ]);

    ui.bannerText = h("span", { class: "odw-banner-text" });
    ui.bannerRetry = h("button", {
      type: "button",
      class: "odw-link",
      text: t("w.status.retry"),
      hidden: true,
      onclick: retryNow,
    });
    ui.banner = h("div", { class: "odw-banner", role: "status", hidden: true }, [ui.bannerText, ui.bannerRetry]);

    ui.views = h("div", { class: "odw-views" });
    ui.announcer = h("div", { class: "odw-sr-only", role: "status", "aria-live": "polite" });

    ui.panel = h(
      "section",
      {
        class: "odw-panel",
        id: nextDomId("panel"),
        role: "dialog",
        "aria-modal": "false",
        "aria-labelledby": titleId,
        hidden: true,
        onkeydown: onPanelKey,
      },
      [ui.header, ui.banner, ui.views, ui.announcer],
    );
    ui.launcher.setAttribute("aria-controls", ui.panel.id);

    ui.root = h("div", { class: "odw", lang: i18n.lang }, [ui.panel, ui.launcher]);
    mount.appendChild(ui.root);

    buildLoading();
    buildPrechat();
    buildChat();
    buildErased();
    buildLeft();
    buildSettings();
    showView("loading");
  }

  function buildLoading() {
    ui.loading = h("div", { class: "odw-view odw-loading", "data-view": "loading" }, [
      h("div", { class: "odw-spinner", "aria-hidden": "true" }),
      h("p", { text: t("w.status.connecting") }),
    ]);
    ui.views.appendChild(ui.loading);
  }

  // The pre-chat form. Built once; its notice part is filled when the notices arrive, and then only
  // rebuilt if the notices changed and the visitor has not touched a checkbox (input is never lost).
  function buildPrechat() {
    ui.prechatNotices = h("div", { class: "odw-notices" });
    ui.prechatName = h("input", {
      type: "text",
      id: nextDomId("name"),
      autocomplete: "name",
      maxlength: "200",
      class: "odw-input",
    });
    ui.prechatEmail = h("input", {
      type: "email",
      id: nextDomId("email"),
      autocomplete: "email",
      maxlength: "320",
      class: "odw-input",
    });
    ui.prechatMessage = h("textarea", { id: nextDomId("first"), rows: "3", class: "odw-input" });
    ui.prechatMessageLabel = h("label", { for: ui.prechatMessage.id, text: t("w.prechat.message") });
    ui.awayNote = h("p", { class: "odw-away", role: "note", hidden: true, text: t("w.away.note") });
    ui.prechatMessage.addEventListener("input", () => updateStartButton());
    ui.prechatHint = h("p", { class: "odw-hint", id: nextDomId("hint"), text: t("w.prechat.needchat") });
    ui.prechatError = h("p", { class: "odw-error", role: "alert", hidden: true });
    ui.prechatCardWarning = cardWarning(ui.prechatMessage, () => ui.prechatForm.requestSubmit());
    ui.startButton = h("button", {
      type: "submit",
      class: "odw-button odw-primary",
      text: t("w.prechat.start"),
      disabled: true,
      "aria-describedby": ui.prechatHint.id,
    });
    ui.prechatForm = h(
      "form",
      { class: "odw-view odw-prechat", "data-view": "prechat", novalidate: true, onsubmit: onStartChat },
      [
        ui.awayNote,
        h("p", { class: "odw-intro", text: t("w.prechat.intro") }),
        ui.prechatNotices,
        h("div", { class: "odw-field" }, [
          h("label", { for: ui.prechatName.id, text: t("w.prechat.name") }),
          ui.prechatName,
        ]),
        h("div", { class: "odw-field" }, [
          h("label", { for: ui.prechatEmail.id, text: t("w.prechat.email") }),
          ui.prechatEmail,
        ]),
        h("div", { class: "odw-field" }, [ui.prechatMessageLabel, ui.prechatMessage]),
        ui.prechatError,
        ui.prechatCardWarning,
        h("div", { class: "odw-actions" }, [ui.startButton]),
        ui.prechatHint,
        storageNoteElement(),
      ],
    );
    ui.prechatBoxes = {};
    ui.prechatTouched = false;
    ui.prechatNoticeKey = null;
    ui.prechatMessage.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !ui.startButton.disabled) {
        event.preventDefault();
        ui.prechatForm.requestSubmit();
      }
    });
    ui.views.appendChild(ui.prechatForm);
  }

  function noticeChanged(notice) {
    // The visitor agreed to an earlier version of this notice, which no longer counts: say why we ask.
    if (!(notice.purposes || []).some((p) => state.outdated.has(p))) {
      return null;
    }
    return h("p", { class: "odw-notice-changed", role: "note", text: t("w.notice.changed") });
  }

  function noticeBlock(notice, collapsible) {
    // In layers: the short text first, the full notice one click away (a server that sends no summary
    // gets its full text shown, unless the block is collapsible anyway, as in the privacy menu).
    const summary = notice.summary ? h("p", { class: "odw-notice-summary", text: notice.summary }) : null;
    const body = h("div", { class: "odw-notice-body", tabindex: "0", text: notice.body });
    const meta = h("p", {
      class: "odw-notice-meta",
      text: t("w.notice.version", { version: notice.version, language: notice.language }),
    });
    const changed = noticeChanged(notice);
    const titleId = nextDomId("notice");
    const title = h("h3", { class: "odw-notice-title", id: titleId, text: notice.title });
    if (collapsible || summary) {
      body.setAttribute("role", "region");
      body.setAttribute("aria-labelledby", titleId);
      return h("div", { class: "odw-notice" }, [
        title,
        meta,
        changed,
        summary,
        h("details", { class: "odw-notice-details" }, [h("summary", { text: t("w.notice.show") }), body]),
      ]);
    }
    body.setAttribute("role", "region");
    body.setAttribute("aria-labelledby", titleId);
    return h("div", { class: "odw-notice" }, [title, meta, changed, body]);
  }

  function consentBox(purpose, checked, onchange, extraClass) {
    const id = nextDomId("purpose-" + purpose);
    const helpId = id + "-help";
    const box = h("input", {
      type: "checkbox",
      id: id,
      class: "odw-check",
      checked: checked,
      "aria-describedby": helpId,
      "data-purpose": purpose,
      onchange: onchange,
    });
    const row = h("div", { class: "odw-consent " + (extraClass || "") }, [
      box,
      h("div", { class: "odw-consent-text" }, [
        h("label", { for: id, class: "odw-consent-label", text: purposeLabel(purpose) }),
        h("p", { id: helpId, class: "odw-consent-help", text: t("w.purpose." + purpose + ".help") }),
      ]),
    ]);
    return { row: row, box: box };
  }

  function renderPrechatNotices() {
    const shown = state.notices
      .filter((notice) => (notice.purposes || []).some((p) => PRECHAT_PURPOSES.indexOf(p) >= 0))
      .sort((a, b) => noticeRank(a) - noticeRank(b));
    const key = shown.map((n) => n.id + "@" + n.version).join(",");
    if (ui.prechatTouched && ui.prechatNoticeKey !== null) {
      return; // the visitor's own ticks win over anything the server says until they start
    }
    if (key === ui.prechatNoticeKey) {
      // Same notices (a reconnect): show the recorded state, which may have changed meanwhile.
      for (const purpose of Object.keys(ui.prechatBoxes)) {
        ui.prechatBoxes[purpose].checked = state.consent[purpose];
      }
      updateStartButton();
      return;
    }
    ui.prechatNoticeKey = key;
    clear(ui.prechatNotices);
    ui.prechatBoxes = {};
    if (!shown.length) {
      ui.prechatNotices.appendChild(h("p", { class: "odw-error", text: t("w.notice.none") }));
    }
    for (const notice of shown) {
      const fieldset = h("fieldset", { class: "odw-choices" }, [
        h("legend", { class: "odw-sr-only", text: t("w.prechat.choices") }),
      ]);
      for (const purpose of notice.purposes) {
        if (PRECHAT_PURPOSES.indexOf(purpose) < 0 || ui.prechatBoxes[purpose]) {
          continue;
        }
        // Ticked only if this visitor already granted it earlier (their own choice, shown as it is).
        const item = consentBox(purpose, state.consent[purpose], () => {
          ui.prechatTouched = true;
          updateStartButton();
        });
        ui.prechatBoxes[purpose] = item.box;
        fieldset.appendChild(item.row);
      }
      const block = noticeBlock(notice, false);
      block.appendChild(fieldset);
      ui.prechatNotices.appendChild(block);
    }
    updateStartButton();
  }

  function updateStartButton() {
    const chatBox = ui.prechatBoxes.chat;
    // A message left needs its message; a chat may start without one.
    const ok = Boolean(chatBox && chatBox.checked) && state.ready &&
      (state.available !== false || ui.prechatMessage.value.trim() !== "");
    ui.startButton.disabled = !ok || ui.starting === true;
    ui.prechatHint.hidden = Boolean(chatBox && chatBox.checked);
  }

  async function onStartChat(event) {
    event.preventDefault();
    if (ui.startButton.disabled) {
      return;
    }
    hideError(ui.prechatError);
    if (warnOfCardNumber(ui.prechatCardWarning, ui.prechatMessage.value.trim())) {
      return;
    }
    ui.starting = true;
    const leaving = state.available === false;
    ui.startButton.textContent = leaving ? t("w.away.sending") : t("w.prechat.starting");
    updateStartButton();
    try {
      // Record every choice made in the form, the chat consent first: it is what chat.start checks.
      for (const purpose of PRECHAT_PURPOSES) {
        const box = ui.prechatBoxes[purpose];
        if (box && box.checked !== state.consent[purpose]) {
          await setConsent(purpose, box.checked, "prechat_form");
        }
      }
      const payload = {};
      const name = ui.prechatName.value.trim();
      const email = ui.prechatEmail.value.trim();
      const message = ui.prechatMessage.value.trim();
      if (name) {
        payload.name = name;
      }
      if (email) {
        payload.email = email;
      }
      if (message) {
        payload.message = message.slice(0, MAX_TEXT);
      }
      if (TEAM) {
        payload.team = TEAM;
      }
      if (leaving) {
        payload.leave_message = true;
      }
      const res = await request("chat.start", payload);
      if (leaving) {
        // Stored closed, for the team to answer later: nothing more happens in this widget.
        ui.prechatMessage.value = "";
        ui.prechatTouched = false;
        showView("left");
        ui.leftView.querySelector("h3").focus();
        return;
      }
      state.askedForService = true;
      syncStorage();
      startChatView(res.chat);
      if (message) {
        // As stored (a card number masked), from a server that says (res.message); else as typed.
        const first = addLocalMessage({
          text: res.message ? res.message.text : payload.message,
          status: "sent",
          fromStart: true,
        });
        if (res.message) {
          first.id = res.message.id;
          first.at = res.message.at;
          renderMessageMeta(first);
        }
      }
      // Cleared only now that the server has it.
      ui.prechatMessage.value = "";
      ui.prechatTouched = false;
      ui.composer.focus();
    } catch (error) {
      if (error && error.code === "conflict") {
        // This visitor already has an open chat (a reload, another tab): carry on with it rather
        // than refuse. Its earlier messages are not available to this page; new ones are.
        continueOpenChat();
      } else {
        showError(ui.prechatError, errorText(error));
      }
    } finally {
      ui.starting = false;
      ui.startButton.textContent = state.available === false ? t("w.away.send") : t("w.prechat.start");
      updateStartButton();
    }
  }

  function buildChat() {
    ui.chatStatus = h("p", { class: "odw-chat-status", text: t("w.chat.waiting") });
    ui.endButton = h("button", {
      type: "button",
      class: "odw-link odw-end",
      text: t("w.chat.end"),
      onclick: askEndChat,
    });
    ui.endConfirm = h("div", { class: "odw-confirm", hidden: true }, [
      h("span", { text: t("w.chat.end.confirm") }),
      h("button", {
        type: "button",
        class: "odw-button odw-danger odw-small",
        text: t("w.chat.end.yes"),
        onclick: endChat,
      }),
      h("button", {
        type: "button",
        class: "odw-button odw-small",
        text: t("w.chat.end.no"),
        onclick: cancelEndChat,
      }),
    ]);
    ui.chatBar = h("div", { class: "odw-chat-bar" }, [ui.chatStatus, ui.endButton]);
    ui.log = h("ol", {
      class: "odw-log",
      role: "log",
      "aria-live": "polite",
      "aria-relevant": "additions",
      "aria-label": t("w.chat.log"),
    });
    ui.scroller = h("div", { class: "odw-scroller" }, [ui.log]);
    ui.typingLine = h("p", { class: "odw-typing", hidden: true }, [
      h("span", { class: "odw-dots", "aria-hidden": "true" }, [h("i"), h("i"), h("i")]),
      h("span", { class: "odw-typing-text" }),
    ]);
    const composerId = nextDomId("composer");
    const hintId = nextDomId("composer-hint");
    ui.composer = h("textarea", {
      id: composerId,
      class: "odw-composer-input",
      rows: "1",
      placeholder: t("w.chat.input"),
      "aria-describedby": hintId,
      oninput: onComposerInput,
      onkeydown: onComposerKey,
    });
    ui.sendButton = h(
      "button",
      { type: "submit", class: "odw-send", "aria-label": t("w.chat.send") },
      [icon("send")],
    );
    ui.composerError = h("p", { class: "odw-error odw-composer-error", role: "alert", hidden: true });
    // Before a message that looks like a card number goes out: the server masks it anyway, but the
    // visitor should know not to send one (and may take it out).
    ui.cardWarning = cardWarning(ui.composer, () => ui.composerForm.requestSubmit());
    ui.composerForm = h("form", { class: "odw-composer", onsubmit: onSend }, [
      h("label", { for: composerId, class: "odw-sr-only", text: t("w.chat.input") }),
      ui.composer,
      ui.sendButton,
    ]);
    ui.composerHint = h("p", { class: "odw-composer-hint", id: hintId, text: t("w.chat.input.hint") });
    ui.newChatButton = h("button", {
      type: "button",
      class: "odw-button odw-primary",
      text: t("w.chat.new"),
      onclick: newChat,
    });
    ui.closedBar = h("div", { class: "odw-closed-bar", hidden: true }, [ui.newChatButton]);
    ui.chatView = h("div", { class: "odw-view odw-chat", "data-view": "chat" }, [
      ui.chatBar,
      ui.endConfirm,
      ui.scroller,
      ui.typingLine,
      ui.composerError,
      ui.cardWarning,
      ui.composerForm,
      ui.composerHint,
      ui.closedBar,
    ]);
    ui.views.appendChild(ui.chatView);
  }

  // A view with a mark, a title, a sentence and Close: after "Forget me", and after a message was left
  // while nobody was available.
  function buildEndView(name, mark, title, body) {
    const titleId = nextDomId(name);
    const view = h(
      "div",
      { class: "odw-view odw-" + name, "data-view": name, role: "region", "aria-labelledby": titleId },
      [
        h("div", { class: "odw-erased-mark", "aria-hidden": "true" }, [icon(mark)]),
        h("h3", { id: titleId, tabindex: "-1", class: "odw-erased-title", text: title }),
        h("p", { text: body }),
        h("button", {
          type: "button",
          class: "odw-button odw-primary",
          text: t("w.erased.close"),
          onclick: closePanel,
        }),
      ],
    );
    ui.views.appendChild(view);
    return view;
  }

  function buildErased() {
    ui.erasedView = buildEndView("erased", "shield", t("w.erased.title"), t("w.erased.body"));
  }

  function buildLeft() {
    ui.leftView = buildEndView("left", "chat", t("w.away.left.title"), t("w.away.left.body"));
  }

  // Whether someone can answer now (visitor.hello's "available"): else the form leaves a message.
  function showAvailability(available) {
    state.available = available;
    ui.awayNote.hidden = available;
    ui.prechatMessageLabel.textContent = available ? t("w.prechat.message") : t("w.away.message");
    if (!ui.starting) {
      ui.startButton.textContent = available ? t("w.prechat.start") : t("w.away.send");
    }
    updateStartButton();
  }

  function buildSettings() {
    const titleId = nextDomId("settings");
    ui.settingsList = h("div", { class: "odw-settings-list" });
    ui.settingsError = h("p", { class: "odw-error", role: "alert", hidden: true });
    ui.forgetButton = h("button", {
      type: "button",
      class: "odw-button odw-danger",
      text: t("w.settings.forget"),
      onclick: askForget,
    });
    ui.forgetYes = h("button", {
      type: "button",
      class: "odw-button odw-danger",
      text: t("w.settings.forget.yes"),
      onclick: forgetMe,
    });
    ui.forgetNo = h("button", {
      type: "button",
      class: "odw-button",
      text: t("w.settings.forget.no"),
      onclick: cancelForget,
    });
    ui.forgetConfirm = h("div", { class: "odw-forget-confirm", role: "alertdialog", hidden: true }, [
      h("p", { text: t("w.settings.forget.confirm") }),
      h("div", { class: "odw-actions" }, [ui.forgetYes, ui.forgetNo]),
    ]);
    ui.forgetError = h("p", { class: "odw-error", role: "alert", hidden: true });
    ui.downloadButton = h("button", {
      type: "button",
      class: "odw-button",
      text: t("w.download.title"),
      onclick: downloadMyData,
    });
    ui.downloadLinks = h("div", { class: "odw-actions odw-download-links", hidden: true });
    ui.downloadError = h("p", { class: "odw-error", role: "alert", hidden: true });
    ui.settingsTitle = h("h2", { id: titleId, class: "odw-title", tabindex: "-1", text: t("w.settings.title") });
    ui.settingsBack = h(
      "button",
      { type: "button", class: "odw-head-button", "aria-label": t("w.settings.back"), onclick: closeSettings },
      [icon("back")],
    );
    ui.settings = h(
      "div",
      {
        class: "odw-settings",
        role: "dialog",
        "aria-modal": "true",
        "aria-labelledby": titleId,
        hidden: true,
      },
      [
        h("div", { class: "odw-header" }, [ui.settingsBack, h("div", { class: "odw-heading" }, [ui.settingsTitle])]),
        h("div", { class: "odw-settings-body" }, [
          h("p", { class: "odw-intro", text: t("w.settings.intro") }),
          ui.settingsError,
          ui.settingsList,
          h("div", { class: "odw-download" }, [
            h("h3", { class: "odw-notice-title", text: t("w.download.title") }),
            h("p", { class: "odw-consent-help", text: t("w.download.help") }),
            ui.downloadButton,
            ui.downloadLinks,
            ui.downloadError,
          ]),
          h("div", { class: "odw-forget" }, [
            h("h3", { class: "odw-notice-title", text: t("w.settings.forget") }),
            h("p", { class: "odw-consent-help", text: t("w.settings.forget.help") }),
            ui.forgetButton,
            ui.forgetConfirm,
            ui.forgetError,
          ]),
          storageNoteElement(),
        ]),
      ],
    );
    ui.panel.appendChild(ui.settings);
  }

  // -- the visitor's own data ("Download my data") ------------------------------------------------------

  // The server answers subject.export_me with everything it holds about this visitor (their token
  // named them at hello). The widget offers it as a JSON file and as a readable page, both made here
  // in the browser as Blobs: nothing is kept once the page is gone, and nothing goes anywhere else.
  async function downloadMyData() {
    hideError(ui.downloadError);
    ui.downloadButton.disabled = true;
    try {
      // The export comes in pages (docs/protocol.md §7): ask until there is no next cursor.
      const pages = [];
      let cursor = null;
      do {
        const res = await request("subject.export_me", cursor ? { cursor: cursor } : {});
        pages.push((res && res.export) || {});
        cursor = res && res.next_cursor;
      } while (cursor && pages.length < MAX_EXPORT_PAGES);
      const data = mergeExportPages(pages);
      const day = String(data.exported_at || new Date().toISOString()).slice(0, 10);
      revokeDownloads();
      const json = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
      const page = new Blob([readablePage(data)], { type: "text/html" });
      ui.downloadUrls = [URL.createObjectURL(json), URL.createObjectURL(page)];
      clear(ui.downloadLinks);
      const names = [
        ["my-data-" + day + ".json", t("w.download.json")],
        ["my-data-" + day + ".html", t("w.download.page")],
      ];
      names.forEach(([name, label], i) => {
        ui.downloadLinks.appendChild(
          h("a", { class: "odw-button", href: ui.downloadUrls[i], download: name, text: label }),
        );
      });
      ui.downloadLinks.hidden = false;
      ui.downloadLinks.querySelector("a").focus();
    } catch (error) {
      showError(ui.downloadError, errorText(error));
    } finally {
      ui.downloadButton.disabled = false;
    }
  }

  // The pages of an export put back together (the rule of docs/protocol.md §7, as
  // protocol/export.py has it): lists appended; a chat whose id is there already is continued.
  function mergeExportPages(pages) {
    const merged = {};
    const chats = {};
    for (const page of pages) {
      for (const [key, value] of Object.entries(page)) {
        if (key === "chats") {
          merged.chats = merged.chats || [];
          for (const chat of value || []) {
            const known = chats[chat.id];
            if (!known) {
              chats[chat.id] = Object.assign({}, chat, {
                messages: (chat.messages || []).slice(),
                details: (chat.details || []).slice(),
              });
              merged.chats.push(chats[chat.id]);
              continue;
            }
            for (const [field, item] of Object.entries(chat)) {
              if (field === "messages" || field === "details") {
                known[field] = known[field].concat(item || []);
              } else if (!(field in known)) {
                known[field] = item;
              }
            }
          }
        } else if (EXPORT_LISTS.indexOf(key) >= 0) {
          merged[key] = (merged[key] || []).concat(value || []);
        } else if (!(key in merged)) {
          merged[key] = value;
        }
      }
    }
    return merged;
  }

  function revokeDownloads() {
    for (const url of ui.downloadUrls || []) {
      URL.revokeObjectURL(url);
    }
    ui.downloadUrls = [];
    if (ui.downloadLinks) {
      clear(ui.downloadLinks);
      ui.downloadLinks.hidden = true;
    }
  }

  const EXPORT_LISTS = ["page_views", "consents", "audit"];
  const MAX_EXPORT_PAGES = 1000;

  const PAGE_STYLE =
    "body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2933}" +
    "h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d9e2ec}" +
    "table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #eef2f6}" +
    ".msg{margin:4px 0}.who{font-weight:600}.when{color:#627d98;font-size:.85em}" +
    "pre{white-space:pre-wrap;background:#f5f7fa;padding:8px;border-radius:6px}.muted{color:#627d98}";

  // A readable page of the export: every value goes in as text (the page is built with DOM calls on
  // a separate document and serialised), so nothing in the data can become markup or script.
  function readablePage(data) {
    const doc = document.implementation.createHTMLDocument(t("w.data.title"));
    doc.documentElement.setAttribute("lang", i18n.lang);
    const add = (parent, tag, text) => {
      const el = doc.createElement(tag);
      if (text !== undefined && text !== null) {
        el.textContent = String(text);
      }
      parent.appendChild(el);
      return el;
    };
    const body = doc.body;
    const when = (at) => (at ? new Date(at).toLocaleString(i18n.tag) : "");
    add(body, "h1", t("w.data.title"));
    add(body, "p", t("w.data.exported", { at: when(data.exported_at) })).className = "muted";
    const visitor = data.visitor || {};
    add(body, "h2", t("w.data.you"));
    const facts = add(body, "table");
    for (const [label, value] of [
      [t("w.data.id"), visitor.id],
      [t("w.data.name"), visitor.name],
      [t("w.data.email"), visitor.email],
      [t("w.data.language"), visitor.language],
      [t("w.data.first"), when(visitor.created_at)],
      [t("w.data.last"), when(visitor.last_seen)],
    ]) {
      if (value) {
        const row = add(facts, "tr");
        add(row, "th", label);
        add(row, "td", value);
      }
    }
    add(body, "h2", t("w.data.choices"));
    const consents = Array.isArray(data.consents) ? data.consents : [];
    if (!consents.length) {
      add(body, "p", t("w.data.none")).className = "muted";
    }
    for (const consent of consents) {
      const notice = consent.notice || {};
      const line = add(body, "p");
      add(line, "span", purposeLabel(consent.purpose) + ": ").className = "who";
      add(line, "span", consent.granted ? t("w.settings.granted") : t("w.settings.denied"));
      add(line, "span", " · " + when(consent.at)).className = "when";
      const details = add(body, "details");
      add(details, "summary", t("w.data.notice", { title: notice.title || consent.notice_id,
                                                   version: consent.notice_version }));
      add(details, "pre", notice.body || "");
    }
    add(body, "h2", t("w.data.chats"));
    const chats = Array.isArray(data.chats) ? data.chats : [];
    if (!chats.length) {
      add(body, "p", t("w.data.none")).className = "muted";
    }
    for (const chat of chats) {
      add(body, "h3", t("w.data.chat", { at: when(chat.started_at) }));
      for (const message of chat.messages || []) {
        const line = add(body, "p");
        line.className = "msg";
        add(line, "span", when(message.at) + " ").className = "when";
        const author = message.author === "visitor" ? t("w.data.me") : message.author_name || "";
        add(line, "span", author ? author + ": " : "").className = "who";
        add(line, "span", message.text);
      }
      for (const record of chat.details || []) {
        for (const [field, value] of Object.entries(record.values || {})) {
          const line = add(body, "p");
          add(line, "span", t("w.data.shared", { field: fieldLabel(field) }) + ": ").className = "who";
          add(line, "span", value);
        }
      }
    }
    if (data.insights || (data.page_views && data.page_views.length)) {
      add(body, "h2", t("w.purpose.visitor_insights"));
      const insights = data.insights || {};
      const location = insights.location || {};
      const table = add(body, "table");
      for (const [label, value] of [
        ["IP", insights.ip],
        [t("w.data.place"), [location.city, location.country].filter(Boolean).join(", ")],
        [t("w.data.company"), insights.company],
      ]) {
        if (value) {
          const row = add(table, "tr");
          add(row, "th", label);
          add(row, "td", value);
        }
      }
      for (const view of data.page_views || []) {
        add(body, "p", when(view.at) + " · " + (view.title || "") + " · " + (view.url || "")).className = "msg";
      }
    }
    add(body, "p", t("w.data.footer")).className = "muted";
    // The style sheet is a constant of this file, added as text after serialising: a style element
    // made here would be refused by the widget's own Content-Security-Policy (the saved file has none).
    const head = '<meta charset="utf-8"><style>' + PAGE_STYLE + "</style>";
    return "<!doctype html>\n" + doc.documentElement.outerHTML.replace("<head>", "<head>" + head);
  }

  // The order a reader expects (chat first), whatever order the server listed the notices in.
  function noticeRank(notice) {
    const ranks = (notice.purposes || []).map((p) => PURPOSES.indexOf(p)).filter((i) => i >= 0);
    return ranks.length ? Math.min.apply(null, ranks) : PURPOSES.length;
  }

  function renderSettings() {
    clear(ui.settingsList);
    ui.settingsBoxes = {};
    const notices = state.notices.slice().sort((a, b) => noticeRank(a) - noticeRank(b));
    for (const notice of notices) {
      const block = noticeBlock(notice, true);
      for (const purpose of notice.purposes || []) {
        if (PURPOSES.indexOf(purpose) < 0 || ui.settingsBoxes[purpose]) {
          continue;
        }
        const stateText = h("span", { class: "odw-state", "aria-live": "polite" });
        const item = consentBox(purpose, state.consent[purpose], (event) =>
          changeSetting(purpose, event.target, stateText),
        );
        item.box.setAttribute("role", "switch");
        item.row.querySelector(".odw-consent-text").appendChild(stateText);
        ui.settingsBoxes[purpose] = { box: item.box, stateText: stateText };
        block.appendChild(item.row);
      }
      ui.settingsList.appendChild(block);
    }
    refreshConsentViews();
  }

  function refreshConsentViews() {
    if (!ui.prechatTouched) {
      // An untouched pre-chat form shows the recorded state (changed from the privacy menu, say).
      for (const purpose of Object.keys(ui.prechatBoxes)) {
        ui.prechatBoxes[purpose].checked = state.consent[purpose];
      }
      updateStartButton();
    }
    if (!ui.settingsBoxes) {
      return;
    }
    for (const purpose of Object.keys(ui.settingsBoxes)) {
      const item = ui.settingsBoxes[purpose];
      if (item.busy) {
        continue;
      }
      item.box.checked = state.consent[purpose];
      item.stateText.textContent = state.consent[purpose]
        ? t("w.settings.granted")
        : t(state.outdated.has(purpose) ? "w.settings.renew" : "w.settings.denied");
      item.stateText.classList.toggle("odw-state-on", state.consent[purpose]);
    }
  }

  async function changeSetting(purpose, box, stateText) {
    const item = ui.settingsBoxes[purpose];
    const wanted = box.checked;
    hideError(ui.settingsError);
    item.busy = true;
    box.disabled = true;
    stateText.textContent = t("w.settings.saving");
    try {
      await setConsent(purpose, wanted, "widget_settings");
      item.busy = false;
      refreshConsentViews();
      stateText.textContent += " · " + t("w.settings.saved");
    } catch (error) {
      item.busy = false;
      refreshConsentViews();
      showError(ui.settingsError, errorText(error));
    } finally {
      box.disabled = false;
      box.focus();
    }
  }

  // -- views, panel, dialogs ---------------------------------------------------------------------------

  function showView(name) {
    state.view = name;
    for (const view of ui.views.children) {
      view.hidden = view.getAttribute("data-view") !== name;
    }
    ui.privacyButton.hidden = name === "erased";
  }

  function showBanner(kind) {
    if (!ui.banner) {
      return;
    }
    ui.bannerRetry.hidden = true;
    ui.banner.classList.remove("odw-banner-ok");
    if (kind === "connecting") {
      ui.bannerText.textContent = t("w.status.connecting");
    } else if (kind === "offline") {
      const seconds = Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000));
      ui.bannerText.textContent =
        seconds > 0 ? t("w.status.offline", { s: seconds }) : t("w.status.offline.now");
      ui.bannerRetry.hidden = false;
    } else if (kind === "back") {
      ui.bannerText.textContent = t("w.status.back");
      ui.banner.classList.add("odw-banner-ok");
      clearTimeout(ui.bannerTimer);
      ui.bannerTimer = setTimeout(() => showBanner(null), 2500);
    }
    ui.banner.hidden = !kind;
  }

  function startCountdown() {
    stopCountdown();
    showBanner("offline");
    state.countdownTimer = setInterval(() => showBanner("offline"), 1000);
  }

  function stopCountdown() {
    clearInterval(state.countdownTimer);
    state.countdownTimer = null;
  }

  function openPanel() {
    if (state.stopped) {
      // After "Forget me" the widget stays disconnected until the visitor comes back to it.
      state.stopped = false;
      state.wasConnected = false;
      resetChat();
      ui.prechatNoticeKey = null;
      showView("loading");
      connect();
    }
    state.open = true;
    state.unread = 0;
    renderBadge();
    ui.panel.hidden = false;
    ui.root.classList.add("odw-open");
    ui.launcher.setAttribute("aria-expanded", "true");
    ui.launcher.setAttribute("aria-label", t("w.launcher.close"));
    swapLauncherIcon("close");
    focusView();
  }

  function closePanel() {
    closeSettings(true);
    state.open = false;
    ui.panel.hidden = true;
    ui.root.classList.remove("odw-open");
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.setAttribute("aria-label", t("w.launcher.open"));
    swapLauncherIcon("chat");
    ui.launcher.focus();
  }

  function swapLauncherIcon(name) {
    const next = icon(name);
    ui.launcher.replaceChild(next, ui.launcherIcon);
    ui.launcherIcon = next;
  }

  function focusView() {
    if (state.view === "chat" && !ui.composerForm.hidden) {
      ui.composer.focus();
    } else if (state.view === "prechat") {
      const first = ui.prechatForm.querySelector("input, textarea, button, [tabindex]");
      (first || ui.prechatForm).focus();
    } else if (state.view === "erased") {
      ui.erasedView.querySelector("h3").focus();
    } else {
      ui.closeButton.focus();
    }
  }

  function openSettings() {
    renderSettings();
    hideError(ui.settingsError);
    hideError(ui.forgetError);
    cancelForget();
    ui.settings.hidden = false;
    ui.settingsTitle.focus();
  }

  function closeSettings(quiet) {
    if (!ui.settings || ui.settings.hidden) {
      return;
    }
    ui.settings.hidden = true;
    if (quiet !== true) {
      ui.privacyButton.focus();
    }
  }

  function onPanelKey(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      if (!ui.forgetConfirm.hidden) {
        cancelForget();
      } else if (!ui.settings.hidden) {
        closeSettings();
      } else if (!ui.endConfirm.hidden) {
        cancelEndChat();
      } else {
        closePanel();
      }
    } else if (event.key === "Tab" && !ui.settings.hidden) {
      trapFocus(ui.settings, event);
    }
  }

  // Keeps Tab inside the settings dialog while it covers the panel.
  function trapFocus(container, event) {
    const focusable = Array.from(
      container.querySelectorAll("button, input, textarea, select, summary, [tabindex]"),
    ).filter((el) => !el.disabled && el.offsetParent !== null && el.tabIndex >= 0);
    if (!focusable.length) {
      return;
    }
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && (document.activeElement === first || !container.contains(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  function showError(el, text) {
    el.textContent = text;
    el.hidden = false;
  }

  function hideError(el) {
    el.hidden = true;
    el.textContent = "";
  }

  function renderBadge() {
    ui.badge.hidden = state.unread === 0;
    ui.badge.textContent = state.unread > 9 ? "9+" : String(state.unread);
    if (state.unread > 0) {
      ui.launcher.setAttribute(
        "aria-label",
        t("w.launcher.open") + " (" + t("w.launcher.unread", { n: state.unread }) + ")",
      );
    } else if (!state.open) {
      ui.launcher.setAttribute("aria-label", t("w.launcher.open"));
    }
  }

  function announce(text) {
    // Cleared first so that the same sentence twice is announced twice.
    ui.announcer.textContent = "";
    setTimeout(() => {
      ui.announcer.textContent = text;
    }, 50);
  }

  // -- the chat ----------------------------------------------------------------------------------------

  function onReady() {
    renderPrechatNotices();
    if (!ui.settings.hidden) {
      renderSettings();
    }
    if (state.view === "loading") {
      showView(state.chat ? "chat" : "prechat");
      if (state.open) {
        focusView();
      }
    }
    updateStartButton();
    flushOutbox();
  }

  function resetChat() {
    state.chat = null;
    state.operatorName = null;
    state.messages = [];
    clear(ui.log);
    ui.typingLine.hidden = true;
    ui.endConfirm.hidden = true;
  }

  function startChatView(chat) {
    resetChat();
    setChat(chat);
    showView("chat");
  }

  function setChat(chat) {
    if (!chat) {
      return;
    }
    state.chat = Object.assign({}, state.chat || {}, chat);
    renderChatState();
  }

  function renderChatState() {
    const chat = state.chat;
    const closed = !chat || chat.state === "closed";
    if (closed) {
      ui.chatStatus.textContent = t("w.chat.closed");
    } else if (chat.state === "active") {
      ui.chatStatus.textContent = state.operatorName
        ? t("w.chat.active", { name: state.operatorName })
        : t("w.chat.active.anon");
    } else {
      ui.chatStatus.textContent = t("w.chat.waiting");
    }
    ui.endButton.hidden = closed;
    ui.composerForm.hidden = closed;
    ui.composerHint.hidden = closed;
    ui.closedBar.hidden = !closed;
    if (closed) {
      ui.endConfirm.hidden = true;
      ui.typingLine.hidden = true;
      hideError(ui.composerError);
    }
  }

  function chatOpen() {
    return Boolean(state.chat && state.chat.state !== "closed");
  }

  function markClosed(announceIt, chat) {
    if (!state.chat) {
      return;
    }
    const wasOpen = state.chat.state !== "closed";
    state.chat = Object.assign({}, state.chat, chat || {}, { state: "closed" });
    if (wasOpen) {
      appendSystemLine(t("w.chat.closed"));
      if (announceIt) {
        announce(t("w.chat.closed"));
      }
    }
    resetTyping();
    renderChatState();
  }

  function continueOpenChat() {
    const text = ui.prechatMessage.value.trim();
    startChatView({ id: null, state: "active" });
    appendSystemLine(t("w.chat.resumed"));
    if (text) {
      // The question typed into the form is not lost: it goes as the first message of this chat.
      ui.prechatMessage.value = "";
      sendQueued(addLocalMessage({ text: text.slice(0, MAX_TEXT), clientMsgId: randomId(), status: "sending" }));
    }
    ui.prechatTouched = false;
    ui.composer.focus();
  }

  // Pushes name their chat; a chat continued after a reload learns its id from the first of them.
  function sameChat(chatId) {
    if (!state.chat) {
      return false;
    }
    if (!state.chat.id && chatId) {
      state.chat.id = chatId;
    }
    return !chatId || chatId === state.chat.id;
  }

  function askEndChat() {
    ui.endConfirm.hidden = false;
    ui.endConfirm.querySelector("button").focus();
  }

  function cancelEndChat() {
    ui.endConfirm.hidden = true;
    ui.endButton.focus();
  }

  async function endChat() {
    try {
      await request("chat.end", {});
      ui.endConfirm.hidden = true;
      markClosed(false);
      ui.newChatButton.focus();
    } catch (error) {
      ui.endConfirm.hidden = true;
      showError(ui.composerError, errorText(error));
      ui.endButton.focus();
    }
  }

  function newChat() {
    resetChat();
    hideError(ui.prechatError);
    showView("prechat");
    updateStartButton();
    focusView();
  }

  function appendSystemLine(text) {
    ui.log.appendChild(
      h("li", { class: "odw-msg odw-msg-system" }, [h("p", { class: "odw-system-text", text: text })]),
    );
    scrollToEnd();
  }

  function scrollToEnd() {
    ui.scroller.scrollTop = ui.scroller.scrollHeight;
  }

  function messageElement(msg) {
    const own = msg.author === "visitor";
    const who = own
      ? t("w.chat.you")
      : msg.author === "system"
        ? t("w.chat.system")
        : msg.authorName || t("w.chat.operator");
    const time = h("time", { class: "odw-time" });
    const status = h("span", { class: "odw-status" });
    const retry = h("button", {
      type: "button",
      class: "odw-link odw-retry",
      text: t("w.chat.retry"),
      hidden: true,
      onclick: () => sendQueued(msg),
    });
    const el = h("li", { class: "odw-msg odw-msg-" + (own ? "visitor" : msg.author === "system" ? "system" : "operator") }, [
      h("div", { class: "odw-meta" }, [h("span", { class: "odw-author", text: who }), " ", time]),
      // The text, as text: whatever the author typed shows exactly as typed.
      h("div", { class: "odw-bubble", text: msg.text }),
      h("div", { class: "odw-delivery" }, [status, retry]),
    ]);
    msg.el = el;
    msg.timeEl = time;
    msg.statusEl = status;
    msg.retryEl = retry;
    renderMessageMeta(msg);
    return el;
  }

  function renderMessageMeta(msg) {
    if (!msg.el) {
      return;
    }
    msg.timeEl.textContent = formatTime(msg.at);
    if (msg.at) {
      msg.timeEl.setAttribute("datetime", msg.at);
    }
    let text = "";
    if (msg.status === "sending") {
      text = t("w.chat.sending");
    } else if (msg.status === "queued") {
      text = t("w.chat.queued");
    } else if (msg.status === "failed") {
      text = t("w.chat.failed") + (msg.error ? " " + msg.error : "");
    }
    msg.statusEl.textContent = text;
    msg.retryEl.hidden = msg.status !== "failed";
    msg.el.classList.toggle("odw-pending", msg.status === "sending" || msg.status === "queued");
    msg.el.classList.toggle("odw-failed", msg.status === "failed");
  }

  function addLocalMessage(options) {
    const msg = {
      key: options.clientMsgId || "local-" + randomId(),
      id: null,
      clientMsgId: options.clientMsgId || null,
      author: "visitor",
      authorName: "",
      text: options.text,
      at: null,
      status: options.status,
      fromStart: Boolean(options.fromStart),
    };
    state.messages.push(msg);
    ui.log.appendChild(messageElement(msg));
    scrollToEnd();
    return msg;
  }

  function findMessage(server) {
    for (const msg of state.messages) {
      if (msg.id && msg.id === server.id) {
        return msg;
      }
      if (msg.clientMsgId && server.client_msg_id && msg.clientMsgId === server.client_msg_id) {
        return msg;
      }
    }
    // The first message went with chat.start, which has no client_msg_id: match it by its text.
    if (server.author === "visitor" && !server.client_msg_id) {
      for (const msg of state.messages) {
        if (msg.fromStart && !msg.id && msg.text === server.text) {
          return msg;
        }
      }
    }
    return null;
  }

  // The chat the server says this visitor is in (a reloaded page, a reconnect, a restarted server),
  // with its last messages; messages already shown are matched, not added twice.
  function showHelloChat(chat, messages) {
    if (!chat || chat.state === "closed") {
      if (chatOpen()) {
        markClosed(false);
      }
      return;
    }
    if (!state.chat || (state.chat.id && state.chat.id !== chat.id)) {
      startChatView(chat);
    } else {
      sameChat(chat.id);
      setChat(chat);
    }
    for (const message of messages) {
      onServerMessage(message, true);
    }
  }

  function onServerMessage(server, quiet) {
    if (!server || typeof server.text !== "string") {
      return;
    }
    const known = findMessage(server);
    if (known) {
      known.id = server.id;
      known.at = server.at;
      known.status = "sent";
      if (known.text !== server.text && known.el) {
        // What the server kept (a card number masked): the visitor sees what the operator sees.
        known.text = server.text;
        known.el.querySelector(".odw-bubble").textContent = server.text;
      }
      renderMessageMeta(known);
      return;
    }
    const msg = {
      key: server.id,
      id: server.id,
      clientMsgId: server.client_msg_id || null,
      author: server.author,
      authorName: server.author_name || "",
      text: server.text,
      at: server.at,
      status: "sent",
    };
    state.messages.push(msg);
    ui.log.appendChild(messageElement(msg));
    scrollToEnd();
    if (server.author === "operator") {
      if (server.author_name && server.author_name !== state.operatorName) {
        state.operatorName = server.author_name;
        renderChatState();
      }
      ui.typingLine.hidden = true;
      if (!quiet && (!state.open || document.hidden)) {
        state.unread += 1;
        renderBadge();
        announce(t("w.chat.new.message", { name: msg.authorName || t("w.chat.operator"), text: msg.text }));
      }
    }
  }

  function onSend(event) {
    event.preventDefault();
    const text = ui.composer.value.replace(/^\s+|\s+$/g, "");
    if (!text || !chatOpen()) {
      return;
    }
    if (text.length > MAX_TEXT) {
      showError(ui.composerError, t("w.chat.toolong", { max: MAX_TEXT, n: text.length }));
      return;
    }
    hideError(ui.composerError);
    if (warnOfCardNumber(ui.cardWarning, text)) {
      return; // the text stays in the composer until the visitor edits it or sends it anyway
    }
    const msg = addLocalMessage({ text: text, clientMsgId: randomId(), status: "sending" });
    // The text now lives in the message and its outbox entry, so the composer may let go of it.
    ui.composer.value = "";
    autoGrow();
    stopTyping();
    sendQueued(msg);
  }

  // A warning shown instead of sending a message that looks like a card number (the server masks it
  // anyway, but the visitor should know not to send one, and may take it out): "Edit message" goes
  // back to ``input``, "Send anyway" sends that very text (``send``).
  function cardWarning(input, send) {
    const warning = h("div", { class: "odw-confirm odw-card-warning", role: "alert", hidden: true }, [
      h("span", { text: t("w.chat.card.warning") }),
      h("button", {
        type: "button",
        class: "odw-button odw-small",
        text: t("w.chat.card.edit"),
        onclick: () => {
          warning.hidden = true;
          input.focus();
        },
      }),
      h("button", {
        type: "button",
        class: "odw-button odw-small",
        text: t("w.chat.card.send"),
        onclick: () => {
          warning.allowed = input.value.replace(/^\s+|\s+$/g, "");
          send();
        },
      }),
    ]);
    input.addEventListener("input", () => {
      warning.hidden = true;
    });
    return warning;
  }

  // True (and the warning shown) when ``text`` should not go out yet.
  function warnOfCardNumber(warning, text) {
    if (looksLikeCardNumber(text) && warning.allowed !== text) {
      warning.hidden = false;
      warning.querySelector("button").focus();
      return true;
    }
    warning.allowed = null;
    warning.hidden = true;
    return false;
  }

  // The server's rule (domain/masking.py), to warn before sending: 13 to 19 digits, together or in
  // groups of whole digits joined by up to three spaces, dots or dashes, passing the Luhn check.
  function looksLikeCardNumber(text) {
    const runs = text.match(/\d+(?:[\s.\-\u2010-\u2015]{1,3}\d+)*/g) || [];
    for (const run of runs) {
      const groups = run.match(/\d+/g);
      for (let first = 0; first < groups.length; first += 1) {
        let digits = "";
        for (let last = first; last < groups.length; last += 1) {
          digits += groups[last];
          if (digits.length > 19) {
            break;
          }
          if (digits.length >= 13 && luhnValid(digits)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  function luhnValid(digits) {
    let total = 0;
    for (let i = 0; i < digits.length; i += 1) {
      let value = digits.charCodeAt(digits.length - 1 - i) - 48;
      if (i % 2 === 1) {
        value *= 2;
        if (value > 9) {
          value -= 9;
        }
      }
      total += value;
    }
    return total % 10 === 0;
  }

  function sendQueued(msg) {
    if (!chatOpen()) {
      return;
    }
    if (!state.ready) {
      msg.status = "queued";
      renderMessageMeta(msg);
      return;
    }
    msg.status = "sending";
    msg.error = null;
    renderMessageMeta(msg);
    request("chat.send", { client_msg_id: msg.clientMsgId, text: msg.text }).then(
      (res) => onServerMessage(Object.assign({ client_msg_id: msg.clientMsgId }, res.message)),
      (error) => {
        if (error.code === "disconnected") {
          // Sent again with the same client_msg_id after the reconnect: stored once by the server.
          msg.status = "queued";
        } else {
          msg.status = "failed";
          msg.error = errorText(error);
        }
        renderMessageMeta(msg);
      },
    );
  }

  function flushOutbox() {
    for (const msg of state.messages) {
      if (msg.status === "queued" || (msg.status === "sending" && msg.clientMsgId)) {
        sendQueued(msg);
      }
    }
  }

  function renderOutboxStatus() {
    for (const msg of state.messages) {
      if (msg.status === "sending") {
        msg.status = "queued";
        renderMessageMeta(msg);
      }
    }
  }

  function onComposerKey(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.composerForm.requestSubmit();
    }
  }

  function autoGrow() {
    // Setting a height through the CSSOM is allowed by the page's CSP (only style attributes in markup
    // and inline <style> are not).
    ui.composer.style.height = "auto";
    const wanted = ui.composer.scrollHeight + 2; // + the border, as the box is border-box
    ui.composer.style.height = Math.min(wanted, 140) + "px";
    ui.composer.style.overflowY = wanted > 140 ? "auto" : "hidden";
  }

  function onComposerInput() {
    autoGrow();
    const length = ui.composer.value.length;
    if (length > MAX_TEXT) {
      showError(ui.composerError, t("w.chat.toolong", { max: MAX_TEXT, n: length }));
    } else if (!ui.composerError.hidden && ui.composerError.textContent.indexOf(String(MAX_TEXT)) >= 0) {
      hideError(ui.composerError);
    }
    if (!chatOpen()) {
      return;
    }
    // Throttled: at most one chat.typing per TYPING_THROTTLE_MS, and always a last one with the
    // final draft. The draft itself goes only with typing_preview consent.
    const typing = state.typing;
    clearTimeout(typing.idleTimer);
    typing.idleTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
    if (typing.timer) {
      return;
    }
    const wait = Math.max(0, typing.lastSentAt + TYPING_THROTTLE_MS - Date.now());
    typing.timer = setTimeout(() => {
      typing.timer = null;
      sendTyping();
    }, wait);
  }

  function sendTyping() {
    const typing = state.typing;
    const text = ui.composer.value;
    const isTyping = text.trim().length > 0;
    const draft = isTyping && state.consent.typing_preview ? text.slice(0, MAX_TEXT) : null;
    if (isTyping === typing.sentTyping && draft === typing.sentDraft) {
      return;
    }
    const payload = { typing: isTyping };
    if (draft !== null) {
      payload.draft = draft;
    }
    typing.sentTyping = isTyping;
    typing.sentDraft = draft;
    typing.lastSentAt = Date.now();
    // Fire and forget: a lost typing hint is not worth an error message.
    request("chat.typing", payload).catch(() => {});
  }

  function stopTyping() {
    const typing = state.typing;
    clearTimeout(typing.timer);
    clearTimeout(typing.idleTimer);
    typing.timer = null;
    if (typing.sentTyping && chatOpen()) {
      typing.sentTyping = false;
      typing.sentDraft = null;
      typing.lastSentAt = Date.now();
      request("chat.typing", { typing: false }).catch(() => {});
    }
  }

  function resetTyping() {
    const typing = state.typing;
    clearTimeout(typing.timer);
    clearTimeout(typing.idleTimer);
    typing.timer = null;
    typing.sentTyping = false;
    typing.sentDraft = null;
  }

  // -- details requests -------------------------------------------------------------------------------

  function onDetailsRequested(payload) {
    if (!payload.request_id || !payload.notice || !Array.isArray(payload.fields)) {
      return;
    }
    if (ui.log.querySelector('[data-request="' + CSS.escape(payload.request_id) + '"]')) {
      return;
    }
    if (state.view !== "chat") {
      showView("chat");
    }
    const name = state.operatorName || t("w.chat.operator");
    const titleId = nextDomId("details");
    const inputs = {};
    const fieldRows = payload.fields.map((field) => {
      const spec = FIELD_INPUTS[field] || { type: "text" };
      const id = nextDomId("field-" + field);
      const input = spec.multiline
        ? h("textarea", { id: id, rows: "2", class: "odw-input", maxlength: "1000", autocomplete: spec.autocomplete })
        : h("input", {
            id: id,
            type: spec.type,
            class: "odw-input",
            maxlength: "1000",
            autocomplete: spec.autocomplete,
            "data-field": field,
          });
      inputs[field] = input;
      return h("div", { class: "odw-field" }, [h("label", { for: id, text: fieldLabel(field) }), input]);
    });
    const error = h("p", { class: "odw-error", role: "alert", hidden: true });
    const accept = h("button", { type: "submit", class: "odw-button odw-primary", text: t("w.details.accept") });
    const decline = h("button", { type: "button", class: "odw-button", text: t("w.details.decline") });
    const form = h("form", { class: "odw-details-form", novalidate: true }, [
      noticeBlock(payload.notice, true),
      h("p", { class: "odw-consent-help", text: t("w.details.fields") }),
      ...fieldRows,
      error,
      h("div", { class: "odw-actions" }, [accept, decline]),
    ]);
    const card = h(
      "li",
      { class: "odw-msg odw-card", "data-request": payload.request_id, role: "group", "aria-labelledby": titleId },
      [h("h3", { id: titleId, class: "odw-card-title", text: t("w.details.title", { name: name }) }), form],
    );

    function busy(on) {
      accept.disabled = on;
      decline.disabled = on;
    }

    function finish(text) {
      form.replaceWith(h("p", { class: "odw-card-done", text: text }));
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      hideError(error);
      const fields = {};
      for (const field of Object.keys(inputs)) {
        const value = inputs[field].value.trim();
        if (value) {
          fields[field] = value;
        }
      }
      const names = Object.keys(fields);
      if (!names.length) {
        showError(error, t("w.details.empty"));
        return;
      }
      busy(true);
      try {
        // Consent first, against the notice shown in this form; the server refuses details without it.
        await setConsent("contact_details", true, "details_prompt", payload.notice);
        await request("details.submit", { request_id: payload.request_id, fields: fields });
        finish(t("w.details.sent", { fields: names.map(fieldLabel).join(", ") }));
        ui.composer.focus();
      } catch (err) {
        busy(false);
        showError(error, errorText(err));
      }
    });
    decline.addEventListener("click", async () => {
      hideError(error);
      busy(true);
      try {
        await request("details.decline", { request_id: payload.request_id });
        finish(t("w.details.declined"));
        ui.composer.focus();
      } catch (err) {
        busy(false);
        showError(error, errorText(err));
      }
    });
    ui.log.appendChild(card);
    scrollToEnd();
    if (!state.open) {
      state.unread += 1;
      renderBadge();
    }
  }

  // -- pushes --------------------------------------------------------------------------------------------

  function onPush(action, payload) {
    if (action === "chat.updated") {
      const chat = payload.chat;
      if (!chat) {
        return;
      }
      if (!state.chat && chat.state !== "closed") {
        startChatView(chat);
      } else if (sameChat(chat.id)) {
        if (chat.state === "closed") {
          markClosed(true, chat);
        } else {
          setChat(chat);
        }
      }
    } else if (action === "chat.message") {
      if (!state.chat && payload.chat_id) {
        // A chat this page did not start (opened before a reload): show it rather than drop it.
        startChatView({ id: payload.chat_id, state: "active" });
      }
      if (sameChat(payload.chat_id)) {
        onServerMessage(payload.message);
      }
    } else if (action === "chat.typing") {
      if (chatOpen()) {
        ui.typingLine.hidden = !payload.typing;
        ui.typingLine.querySelector(".odw-typing-text").textContent = state.operatorName
          ? t("w.chat.typing", { name: state.operatorName })
          : t("w.chat.typing.anon");
      }
    } else if (action === "details.requested") {
      onDetailsRequested(payload);
    } else if (action === "chat.closed") {
      if (sameChat(payload.chat_id)) {
        markClosed(true);
      }
    } else if (action === "chat.transferred") {
      // A colleague carries on: one neutral line; who, and the operators' note, are not the visitor's.
      if (chatOpen()) {
        state.operatorName = null;   // named again by the colleague's first message
        renderChatState();
        appendSystemLine(t("w.chat.transferred"));
        announce(t("w.chat.transferred"));
      }
    }
  }

  // -- forget me ----------------------------------------------------------------------------------------

  function askForget() {
    ui.forgetButton.hidden = true;
    ui.forgetConfirm.hidden = false;
    ui.forgetNo.focus();
  }

  function cancelForget() {
    if (ui.forgetConfirm.hidden) {
      return;
    }
    ui.forgetConfirm.hidden = true;
    ui.forgetButton.hidden = false;
    ui.forgetButton.focus();
  }

  async function forgetMe() {
    hideError(ui.forgetError);
    ui.forgetYes.disabled = true;
    try {
      await request("subject.forget_me", {});
    } catch (error) {
      ui.forgetYes.disabled = false;
      showError(ui.forgetError, errorText(error));
      return;
    }
    ui.forgetYes.disabled = false;
    // Erased on the server: now forget locally too, and stay offline until the visitor returns.
    forgetTokens();
    revokeDownloads();
    state.stopped = true;
    state.visitorId = null;
    for (const purpose of PURPOSES) {
      state.consent[purpose] = false;
    }
    resetChat();
    ui.prechatName.value = "";
    ui.prechatEmail.value = "";
    ui.prechatMessage.value = "";
    ui.composer.value = "";
    ui.prechatTouched = false;
    ui.prechatNoticeKey = null;
    const ws = state.ws;
    state.ws = null;
    state.ready = false;
    clearInterval(state.pingTimer);
    clearTimeout(state.retryTimer);
    stopCountdown();
    if (ws) {
      ws.close();
    }
    ui.forgetConfirm.hidden = true;
    ui.forgetButton.hidden = false;
    ui.settings.hidden = true;
    showBanner(null);
    showView("erased");
    ui.erasedView.querySelector("h3").focus();
  }

  // -- start ------------------------------------------------------------------------------------------

  function start() {
    const mount = document.getElementById("operator-desk-widget") || document.body;
    build(mount);
    window.addEventListener("hashchange", onNavigate);
    window.addEventListener("popstate", onNavigate);
    connect();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
