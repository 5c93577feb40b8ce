/* Operator Desk visitor widget: every user-facing string, in English and German.
 *
 * Plain data on one global, loaded before shop.js and widget.js. A string with {name} placeholders is
 * filled by fmt() in widget.js; placeholders are filled as text, never as markup.
 */
"use strict";

window.OperatorDeskI18n = (function () {
  var strings = {
    en: {
      // -- the demo shop page --
      "shop.skip": "Skip to content",
      "shop.tagline": "Gear for long walks and wet weather",
      "shop.nav": "Shop sections",
      "shop.nav.home": "Home",
      "shop.nav.jackets": "Jackets",
      "shop.nav.boots": "Boots",
      "shop.nav.tents": "Tents",
      "shop.nav.about": "About us",
      "shop.home.title": "Built for the long way round",
      "shop.home.lead":
        "Jackets, boots and tents tested on the coast paths of the north. Free returns for 60 days.",
      "shop.home.cta": "Browse jackets",
      "shop.home.help": "Questions about sizes or delivery? Open the chat in the corner: a real person answers.",
      "shop.jackets.title": "Jackets",
      "shop.jackets.lead": "Waterproof, breathable, and made to be repaired.",
      "shop.boots.title": "Boots",
      "shop.boots.lead": "Leather and synthetic boots, resoleable, in half sizes.",
      "shop.tents.title": "Tents",
      "shop.tents.lead": "One- to three-person tents that pitch in a storm.",
      "shop.about.title": "About Northwind Outfitters",
      "shop.about.body":
        "We are a small team in Bergen and Hamburg. Our chat is run with Operator Desk: " +
        "nothing about you is shown to our staff unless you agree to it, and you can change your mind " +
        "at any time from the privacy menu in the chat.",
      "shop.add": "Add to basket",
      "shop.added": "Added to basket",
      "shop.footer": "Northwind Outfitters is a demo shop. Nothing here is for sale.",
      "shop.p.storm.name": "Stormline Shell",
      "shop.p.storm.desc": "3-layer shell, 20,000 mm, pit zips.",
      "shop.p.fjord.name": "Fjord Down Parka",
      "shop.p.fjord.desc": "Recycled down, hood with wire brim.",
      "shop.p.ridge.name": "Ridge Softshell",
      "shop.p.ridge.desc": "Stretch fabric for dry, windy days.",
      "shop.p.moor.name": "Moorland GTX",
      "shop.p.moor.desc": "Full-grain leather, waterproof lining.",
      "shop.p.trail.name": "Trailrunner Mid",
      "shop.p.trail.desc": "Light, fast drying, grippy sole.",
      "shop.p.skerry.name": "Skerry 2",
      "shop.p.skerry.desc": "Two-person tunnel tent, 2.1 kg.",
      "shop.p.cairn.name": "Cairn Solo",
      "shop.p.cairn.desc": "One-person tent that packs to a bottle.",

      // -- the widget --
      "w.launcher.open": "Open chat",
      "w.launcher.close": "Close chat",
      "w.launcher.unread": "{n} new messages",
      "w.title": "Chat with Northwind",
      "w.subtitle": "We usually answer within minutes",
      "w.privacy": "Privacy",
      "w.privacy.open": "Privacy settings",
      "w.minimize": "Minimize chat",
      "w.status.connecting": "Connecting…",
      "w.status.offline": "Connection lost. Reconnecting in {s} s…",
      "w.status.offline.now": "Connection lost. Reconnecting…",
      "w.status.retry": "Retry now",
      "w.status.back": "Connected again.",
      "w.notice.version": "Version {version} · {language}",
      "w.notice.show": "Read the full notice",
      "w.notice.none": "The privacy notice could not be loaded yet.",
      "w.notice.changed":
        "This notice has changed since you last agreed. Your earlier choice no longer counts: please read it and choose again.",
      "w.prechat.intro": "Before we chat, please read how we handle your data and choose what you allow.",
      "w.prechat.choices": "Your choices",
      "w.prechat.name": "Name (optional)",
      "w.prechat.email": "E-mail (optional)",
      "w.prechat.message": "Your question (optional)",
      "w.prechat.start": "Start chat",
      "w.prechat.needchat": "Tick “Chat” above to start a chat. Everything else is optional.",
      "w.prechat.starting": "Starting…",
      "w.away.note":
        "Nobody is available to chat right now. Leave a message and we will answer as soon as we can (by e-mail, if you give your address).",
      "w.away.message": "Your message",
      "w.away.send": "Leave message",
      "w.away.sending": "Sending…",
      "w.away.left.title": "Message left",
      "w.away.left.body":
        "Thank you: your message is with our team. We will answer as soon as we can, by e-mail if you gave your address.",
      "w.purpose.chat": "Chat",
      "w.purpose.chat.help":
        "Required for a chat: we store the conversation and the name and e-mail you give.",
      "w.purpose.visitor_insights": "Visitor insights",
      "w.purpose.visitor_insights.help":
        "Our staff may see your approximate location, company network, IP address and earlier visits.",
      "w.purpose.contact_details": "Contact details",
      "w.purpose.contact_details.help":
        "Details such as a phone number that our staff ask for during a chat.",
      "w.purpose.typing_preview": "Typing preview",
      "w.purpose.typing_preview.help": "Our staff see your message while you type it. It is never stored.",
      "w.chat.waiting": "Waiting for someone from our team…",
      "w.chat.active": "You are chatting with {name}",
      "w.chat.active.anon": "Someone from our team has joined",
      "w.chat.closed": "The chat has ended.",
      "w.chat.transferred": "A colleague is taking over your chat.",
      "w.chat.resumed": "You already have a chat open: it continues here.",
      "w.chat.log": "Conversation",
      "w.chat.you": "You",
      "w.chat.operator": "Northwind",
      "w.chat.system": "Notice",
      "w.chat.typing": "{name} is typing…",
      "w.chat.typing.anon": "Typing…",
      "w.chat.input": "Write a message",
      "w.chat.input.hint": "Enter sends, Shift+Enter adds a new line.",
      "w.chat.send": "Send",
      "w.chat.end": "End chat",
      "w.chat.end.confirm": "End this chat?",
      "w.chat.end.yes": "Yes, end it",
      "w.chat.end.no": "Keep chatting",
      "w.chat.new": "Start a new chat",
      "w.chat.sending": "Sending…",
      "w.chat.queued": "Not sent yet: will be sent when the connection is back.",
      "w.chat.failed": "Not sent.",
      "w.chat.retry": "Try again",
      "w.chat.toolong": "A message can be at most {max} characters ({n} now).",
      "w.chat.card.warning":
        "This looks like a payment card number. Please do not share card numbers in the chat: " +
        "for your safety our team only ever sees it masked, all but the last four digits.",
      "w.chat.card.edit": "Edit message",
      "w.chat.card.send": "Send anyway",
      "w.chat.new.message": "New message from {name}: {text}",
      "w.details.title": "{name} asks for some details",
      "w.details.fields": "Only what you fill in is shared. Leave a field empty to skip it.",
      "w.details.accept": "Agree and share",
      "w.details.decline": "Decline",
      "w.details.sent": "You shared: {fields}.",
      "w.details.declined": "You declined to share these details.",
      "w.details.empty": "Fill in at least one field, or choose Decline.",
      "w.field.phone": "Phone number",
      "w.field.postal_address": "Postal address",
      "w.field.email": "E-mail",
      "w.field.company": "Company",
      "w.field.order_reference": "Order reference",
      "w.settings.title": "Privacy settings",
      "w.settings.intro":
        "These are your current choices. Change them at any time: a change applies from now on.",
      "w.settings.granted": "Allowed",
      "w.settings.denied": "Not allowed",
      "w.settings.renew": "Not allowed (the notice changed: agree again to allow)",
      "w.settings.saved": "Saved.",
      "w.settings.saving": "Saving…",
      "w.download.title": "Download my data",
      "w.download.help":
        "Everything we keep about you: your chats, your choices with the notices you agreed to, and the details you shared. As a file (JSON) and as a page you can read.",
      "w.download.json": "Your data as a file (JSON)",
      "w.download.page": "Your data as a readable page",
      "w.data.title": "Your data",
      "w.data.exported": "As held by us on {at}.",
      "w.data.you": "About you",
      "w.data.id": "Visitor number",
      "w.data.name": "Name",
      "w.data.email": "E-mail",
      "w.data.language": "Language",
      "w.data.first": "First seen",
      "w.data.last": "Last seen",
      "w.data.choices": "Your choices",
      "w.data.notice": "The notice you saw: {title}, version {version}",
      "w.data.chats": "Your chats",
      "w.data.chat": "Chat started {at}",
      "w.data.me": "You",
      "w.data.shared": "You shared: {field}",
      "w.data.place": "Approximate location",
      "w.data.company": "Company network",
      "w.data.none": "Nothing.",
      "w.data.footer":
        "Made in your browser from the data the chat server sent you. The JSON file holds the same data, for other programs.",
      "w.settings.forget": "Forget me",
      "w.settings.forget.help":
        "Erase everything our server holds about you: chats, consents, details and visit history.",
      "w.settings.forget.confirm":
        "This erases your chats, choices and details for good. It cannot be undone. Continue?",
      "w.settings.forget.yes": "Yes, erase everything",
      "w.settings.forget.no": "Cancel",
      "w.settings.back": "Back",
      "w.erased.title": "Everything was erased",
      "w.erased.body":
        "Our server no longer holds your chats, choices or details, and this browser has forgotten " +
        "you. Open the chat again at any time to start afresh.",
      "w.erased.close": "Close",
      "w.store.none": "Nothing is kept in this browser while you only read. If you use the chat, a random identifier is kept for this visit, so that your chat goes on from page to page.",
      "w.store.visit": "This browser keeps a random identifier for this visit only (until you close the tab), so that your chat goes on from page to page. “Forget me” removes it.",
      "w.store.recognise": "Because you allowed visitor insights, this browser keeps a random identifier for {days} days after your visit, so that we recognise you next time. Withdraw visitor insights to delete it.",
      "w.error.consent_required": "This needs your consent first. Tick the box for it and try again.",
      "w.error.rate_limited": "That was a bit fast. Wait a moment and try again.",
      "w.error.bad_request": "The server could not accept that. Check what you entered and try again.",
      "w.error.not_found": "That is no longer available.",
      "w.error.conflict": "That has already been done.",
      "w.error.disconnected": "You are offline. Try again once the connection is back.",
      "w.error.generic": "Something went wrong ({code}). Try again.",
    },
    de: {
      "shop.skip": "Zum Inhalt springen",
      "shop.tagline": "Ausrüstung für lange Wege und nasses Wetter",
      "shop.nav": "Shop-Bereiche",
      "shop.nav.home": "Start",
      "shop.nav.jackets": "Jacken",
      "shop.nav.boots": "Stiefel",
      "shop.nav.tents": "Zelte",
      "shop.nav.about": "Über uns",
      "shop.home.title": "Gemacht für den langen Weg",
      "shop.home.lead":
        "Jacken, Stiefel und Zelte, getestet auf den Küstenwegen des Nordens. 60 Tage kostenlose Rücksendung.",
      "shop.home.cta": "Jacken ansehen",
      "shop.home.help":
        "Fragen zu Größen oder Lieferung? Öffnen Sie den Chat in der Ecke: Ein Mensch antwortet Ihnen.",
      "shop.jackets.title": "Jacken",
      "shop.jackets.lead": "Wasserdicht, atmungsaktiv und reparierbar.",
      "shop.boots.title": "Stiefel",
      "shop.boots.lead": "Stiefel aus Leder und Synthetik, neu besohlbar, in halben Größen.",
      "shop.tents.title": "Zelte",
      "shop.tents.lead": "Zelte für ein bis drei Personen, die auch im Sturm stehen.",
      "shop.about.title": "Über Northwind Outfitters",
      "shop.about.body":
        "Wir sind ein kleines Team in Bergen und Hamburg. Unser Chat läuft mit Operator Desk: " +
        "Unser Team sieht nichts über Sie, dem Sie nicht zugestimmt haben, und Sie können Ihre Wahl " +
        "jederzeit im Datenschutzmenü des Chats ändern.",
      "shop.add": "In den Warenkorb",
      "shop.added": "Im Warenkorb",
      "shop.footer": "Northwind Outfitters ist ein Demo-Shop. Hier wird nichts verkauft.",
      "shop.p.storm.name": "Stormline Shell",
      "shop.p.storm.desc": "3-Lagen-Hardshell, 20.000 mm, Unterarmbelüftung.",
      "shop.p.fjord.name": "Fjord Daunenparka",
      "shop.p.fjord.desc": "Recycelte Daune, Kapuze mit Drahtschirm.",
      "shop.p.ridge.name": "Ridge Softshell",
      "shop.p.ridge.desc": "Stretchstoff für trockene, windige Tage.",
      "shop.p.moor.name": "Moorland GTX",
      "shop.p.moor.desc": "Vollnarbenleder, wasserdichtes Futter.",
      "shop.p.trail.name": "Trailrunner Mid",
      "shop.p.trail.desc": "Leicht, schnell trocken, griffige Sohle.",
      "shop.p.skerry.name": "Skerry 2",
      "shop.p.skerry.desc": "Tunnelzelt für zwei, 2,1 kg.",
      "shop.p.cairn.name": "Cairn Solo",
      "shop.p.cairn.desc": "Einpersonenzelt, so klein wie eine Flasche.",

      "w.launcher.open": "Chat öffnen",
      "w.launcher.close": "Chat schließen",
      "w.launcher.unread": "{n} neue Nachrichten",
      "w.title": "Chat mit Northwind",
      "w.subtitle": "Antwort meist in wenigen Minuten",
      "w.privacy": "Datenschutz",
      "w.privacy.open": "Datenschutz-Einstellungen",
      "w.minimize": "Chat minimieren",
      "w.status.connecting": "Verbindung wird aufgebaut…",
      "w.status.offline": "Verbindung unterbrochen. Neuer Versuch in {s} s…",
      "w.status.offline.now": "Verbindung unterbrochen. Neuer Versuch…",
      "w.status.retry": "Jetzt versuchen",
      "w.status.back": "Wieder verbunden.",
      "w.notice.version": "Version {version} · {language}",
      "w.notice.show": "Vollständigen Hinweis lesen",
      "w.notice.none": "Der Datenschutzhinweis konnte noch nicht geladen werden.",
      "w.notice.changed":
        "Dieser Hinweis hat sich geändert, seit Sie zuletzt zugestimmt haben. Ihre frühere Entscheidung gilt nicht mehr: Bitte lesen Sie ihn und entscheiden Sie neu.",
      "w.prechat.intro":
        "Bevor wir chatten: Bitte lesen Sie, wie wir mit Ihren Daten umgehen, und wählen Sie, was Sie erlauben.",
      "w.prechat.choices": "Ihre Auswahl",
      "w.prechat.name": "Name (freiwillig)",
      "w.prechat.email": "E-Mail (freiwillig)",
      "w.prechat.message": "Ihre Frage (freiwillig)",
      "w.prechat.start": "Chat starten",
      "w.prechat.needchat":
        "Setzen Sie oben das Häkchen bei „Chat“, um einen Chat zu starten. Alles andere ist freiwillig.",
      "w.prechat.starting": "Wird gestartet…",
      "w.away.note":
        "Gerade ist niemand für einen Chat da. Hinterlassen Sie eine Nachricht, wir antworten so bald wie möglich (per E-Mail, wenn Sie Ihre Adresse angeben).",
      "w.away.message": "Ihre Nachricht",
      "w.away.send": "Nachricht hinterlassen",
      "w.away.sending": "Wird gesendet…",
      "w.away.left.title": "Nachricht hinterlassen",
      "w.away.left.body":
        "Danke: Ihre Nachricht ist bei unserem Team. Wir antworten so bald wie möglich, per E-Mail, wenn Sie Ihre Adresse angegeben haben.",
      "w.purpose.chat": "Chat",
      "w.purpose.chat.help":
        "Für einen Chat nötig: Wir speichern das Gespräch sowie den Namen und die E-Mail, die Sie angeben.",
      "w.purpose.visitor_insights": "Besucher-Einblicke",
      "w.purpose.visitor_insights.help":
        "Unser Team darf Ihren ungefähren Standort, Ihr Firmennetz, Ihre IP-Adresse und frühere Besuche sehen.",
      "w.purpose.contact_details": "Kontaktdaten",
      "w.purpose.contact_details.help":
        "Angaben wie eine Telefonnummer, nach denen unser Team während eines Chats fragt.",
      "w.purpose.typing_preview": "Tipp-Vorschau",
      "w.purpose.typing_preview.help":
        "Unser Team sieht Ihre Nachricht schon während Sie tippen. Sie wird nie gespeichert.",
      "w.chat.waiting": "Warten auf jemanden aus unserem Team…",
      "w.chat.active": "Sie chatten mit {name}",
      "w.chat.active.anon": "Jemand aus unserem Team ist da",
      "w.chat.closed": "Der Chat wurde beendet.",
      "w.chat.transferred": "Eine Kollegin oder ein Kollege übernimmt Ihren Chat.",
      "w.chat.resumed": "Sie haben bereits einen offenen Chat: Er geht hier weiter.",
      "w.chat.log": "Gesprächsverlauf",
      "w.chat.you": "Sie",
      "w.chat.operator": "Northwind",
      "w.chat.system": "Hinweis",
      "w.chat.typing": "{name} tippt…",
      "w.chat.typing.anon": "Tippt…",
      "w.chat.input": "Nachricht schreiben",
      "w.chat.input.hint": "Eingabe sendet, Umschalt+Eingabe beginnt eine neue Zeile.",
      "w.chat.send": "Senden",
      "w.chat.end": "Chat beenden",
      "w.chat.end.confirm": "Diesen Chat beenden?",
      "w.chat.end.yes": "Ja, beenden",
      "w.chat.end.no": "Weiter chatten",
      "w.chat.new": "Neuen Chat starten",
      "w.chat.sending": "Wird gesendet…",
      "w.chat.queued": "Noch nicht gesendet: wird gesendet, sobald die Verbindung zurück ist.",
      "w.chat.failed": "Nicht gesendet.",
      "w.chat.retry": "Erneut versuchen",
      "w.chat.toolong": "Eine Nachricht darf höchstens {max} Zeichen lang sein (jetzt {n}).",
      "w.chat.card.warning":
        "Das sieht nach einer Kartennummer aus. Bitte teilen Sie keine Kartennummern im Chat: " +
        "Zu Ihrer Sicherheit sieht unser Team sie nur unkenntlich, bis auf die letzten vier Ziffern.",
      "w.chat.card.edit": "Nachricht bearbeiten",
      "w.chat.card.send": "Trotzdem senden",
      "w.chat.new.message": "Neue Nachricht von {name}: {text}",
      "w.details.title": "{name} bittet um einige Angaben",
      "w.details.fields":
        "Geteilt wird nur, was Sie ausfüllen. Lassen Sie ein Feld leer, um es zu überspringen.",
      "w.details.accept": "Zustimmen und teilen",
      "w.details.decline": "Ablehnen",
      "w.details.sent": "Sie haben geteilt: {fields}.",
      "w.details.declined": "Sie haben abgelehnt, diese Angaben zu teilen.",
      "w.details.empty": "Füllen Sie mindestens ein Feld aus oder wählen Sie „Ablehnen“.",
      "w.field.phone": "Telefonnummer",
      "w.field.postal_address": "Postanschrift",
      "w.field.email": "E-Mail",
      "w.field.company": "Firma",
      "w.field.order_reference": "Bestellnummer",
      "w.settings.title": "Datenschutz-Einstellungen",
      "w.settings.intro":
        "Das ist Ihre aktuelle Auswahl. Sie können sie jederzeit ändern: Eine Änderung gilt ab sofort.",
      "w.settings.granted": "Erlaubt",
      "w.settings.denied": "Nicht erlaubt",
      "w.settings.renew": "Nicht erlaubt (der Hinweis hat sich geändert: erneut zustimmen, um es zu erlauben)",
      "w.settings.saved": "Gespeichert.",
      "w.settings.saving": "Wird gespeichert…",
      "w.download.title": "Meine Daten herunterladen",
      "w.download.help":
        "Alles, was wir über Sie speichern: Ihre Chats, Ihre Entscheidungen mit den Hinweisen, denen Sie zugestimmt haben, und die Angaben, die Sie gemacht haben. Als Datei (JSON) und als lesbare Seite.",
      "w.download.json": "Ihre Daten als Datei (JSON)",
      "w.download.page": "Ihre Daten als lesbare Seite",
      "w.data.title": "Ihre Daten",
      "w.data.exported": "So wie bei uns gespeichert am {at}.",
      "w.data.you": "Über Sie",
      "w.data.id": "Besuchernummer",
      "w.data.name": "Name",
      "w.data.email": "E-Mail",
      "w.data.language": "Sprache",
      "w.data.first": "Zuerst gesehen",
      "w.data.last": "Zuletzt gesehen",
      "w.data.choices": "Ihre Entscheidungen",
      "w.data.notice": "Der Hinweis, den Sie gesehen haben: {title}, Version {version}",
      "w.data.chats": "Ihre Chats",
      "w.data.chat": "Chat begonnen {at}",
      "w.data.me": "Sie",
      "w.data.shared": "Von Ihnen angegeben: {field}",
      "w.data.place": "Ungefährer Standort",
      "w.data.company": "Firmennetz",
      "w.data.none": "Nichts.",
      "w.data.footer":
        "In Ihrem Browser erstellt aus den Daten, die Ihnen der Chat-Server geschickt hat. Die JSON-Datei enthält dieselben Daten, für andere Programme.",
      "w.settings.forget": "Vergiss mich",
      "w.settings.forget.help":
        "Alles löschen, was unser Server über Sie speichert: Chats, Einwilligungen, Angaben und Besuchsverlauf.",
      "w.settings.forget.confirm":
        "Damit werden Ihre Chats, Einwilligungen und Angaben endgültig gelöscht. Das lässt sich nicht " +
        "rückgängig machen. Fortfahren?",
      "w.settings.forget.yes": "Ja, alles löschen",
      "w.settings.forget.no": "Abbrechen",
      "w.settings.back": "Zurück",
      "w.erased.title": "Alles wurde gelöscht",
      "w.erased.body":
        "Unser Server speichert keine Chats, Einwilligungen oder Angaben mehr von Ihnen, und dieser " +
        "Browser hat Sie vergessen. Öffnen Sie den Chat jederzeit erneut, um neu zu beginnen.",
      "w.erased.close": "Schließen",
      "w.store.none": "Solange Sie nur lesen, wird in diesem Browser nichts gespeichert. Wenn Sie den Chat nutzen, wird für diesen Besuch eine zufällige Kennung gespeichert, damit Ihr Chat von Seite zu Seite weitergeht.",
      "w.store.visit": "Dieser Browser speichert eine zufällige Kennung nur für diesen Besuch (bis Sie den Tab schließen), damit Ihr Chat von Seite zu Seite weitergeht. „Vergiss mich“ entfernt sie.",
      "w.store.recognise": "Weil Sie Besucher-Einblicke erlaubt haben, speichert dieser Browser eine zufällige Kennung für {days} Tage nach Ihrem Besuch, damit wir Sie beim nächsten Mal wiedererkennen. Widerrufen Sie die Besucher-Einblicke, um sie zu löschen.",
      "w.error.consent_required":
        "Dafür brauchen wir zuerst Ihre Einwilligung. Setzen Sie das Häkchen und versuchen Sie es erneut.",
      "w.error.rate_limited": "Das war etwas schnell. Warten Sie einen Moment und versuchen Sie es erneut.",
      "w.error.bad_request":
        "Der Server konnte das nicht annehmen. Prüfen Sie Ihre Eingabe und versuchen Sie es erneut.",
      "w.error.not_found": "Das ist nicht mehr verfügbar.",
      "w.error.conflict": "Das ist bereits erledigt.",
      "w.error.disconnected":
        "Sie sind offline. Versuchen Sie es erneut, sobald die Verbindung wieder steht.",
      "w.error.generic": "Etwas ist schiefgegangen ({code}). Bitte erneut versuchen.",
    },
  };

  // The first of the browser's preferred languages that we have, else English.
  function pick(preferred) {
    for (var i = 0; i < preferred.length; i++) {
      var tag = String(preferred[i] || "");
      var base = tag.toLowerCase().split("-")[0];
      if (Object.prototype.hasOwnProperty.call(strings, base)) {
        return { lang: base, tag: tag };
      }
    }
    return { lang: "en", tag: "en" };
  }

  var preferred = navigator.languages && navigator.languages.length
    ? navigator.languages
    : [navigator.language || "en"];
  var chosen = pick(preferred);
  var table = strings[chosen.lang];

  function t(key, params) {
    var text = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : strings.en[key];
    if (text === undefined) {
      text = key;
    }
    if (params) {
      text = text.replace(/\{(\w+)\}/g, function (whole, name) {
        return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
      });
    }
    return text;
  }

  // Fills every element with a data-i18n attribute (text) or data-i18n-aria (aria-label).
  function apply(root) {
    var nodes = root.querySelectorAll("[data-i18n]");
    for (var i = 0; i < nodes.length; i++) {
      nodes[i].textContent = t(nodes[i].getAttribute("data-i18n"));
    }
    var labelled = root.querySelectorAll("[data-i18n-aria]");
    for (var j = 0; j < labelled.length; j++) {
      labelled[j].setAttribute("aria-label", t(labelled[j].getAttribute("data-i18n-aria")));
    }
  }

  return { lang: chosen.lang, tag: chosen.tag, t: t, apply: apply, strings: strings };
})();
