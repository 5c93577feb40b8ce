<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="de_DE">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../dialogs/about.py" line="15" />
        <source>About Operator Desk</source>
        <translation>Über Operator Desk</translation>
    </message>
    <message>
        <location filename="../dialogs/about.py" line="20" />
        <source>Operator Desk %1</source>
        <translation>Operator Desk %1</translation>
    </message>
    <message>
        <location filename="../dialogs/about.py" line="23" />
        <source>Answer your website's live chats, with privacy built in.

Visitors decide what operators may see: location, company and IP address only with their consent; contact details only through a privacy notice they accept. Transcripts kept on this computer are encrypted.

Licensed under the Apache License 2.0.</source>
        <translation>Beantworten Sie die Live-Chats Ihrer Website – mit eingebautem Datenschutz.

Besucher entscheiden, was Operatoren sehen: Standort, Firma und IP-Adresse nur mit ihrer Einwilligung, Kontaktangaben nur über einen Datenschutzhinweis, dem sie zustimmen. Auf diesem Computer gespeicherte Verläufe sind verschlüsselt.

Lizenziert unter der Apache License 2.0.</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../widgets/banner.py" line="20" />
        <source>Dismiss message</source>
        <translation>Meldung schließen</translation>
    </message>
    <message>
        <location filename="../widgets/banner.py" line="21" />
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location filename="../widgets/banner.py" line="33" />
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location filename="../widgets/banner.py" line="33" />
        <source>Warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <location filename="../widgets/banner.py" line="33" />
        <source>Information</source>
        <translation>Information</translation>
    </message>
</context>
<context>
    <name>AuditWindow</name>
    <message>
        <location filename="../windows/audit_window.py" line="71" />
        <source>Audit log — Operator Desk</source>
        <translation>Prüfprotokoll — Operator Desk</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="78" />
        <source>Which audit log</source>
        <translation>Welches Prüfprotokoll</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="79" />
        <source>Server's audit log</source>
        <translation>Prüfprotokoll des Servers</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="80" />
        <source>This desk's audit log</source>
        <translation>Prüfprotokoll dieses Desks</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="83" />
        <location filename="../windows/audit_window.py" line="114" />
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="84" />
        <source>Any action</source>
        <translation>Jede Aktion</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="88" />
        <location filename="../windows/audit_window.py" line="113" />
        <source>Actor</source>
        <translation>Wer</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="89" />
        <source>Anyone</source>
        <translation>Alle</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="90" />
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="91" />
        <source>From date</source>
        <translation>Von Datum</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="93" />
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="94" />
        <source>To date</source>
        <translation>Bis Datum</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="95" />
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="96" />
        <source>Show the entries</source>
        <translation>Die Einträge anzeigen</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="98" />
        <source>Load more</source>
        <translation>Mehr laden</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="99" />
        <source>Load more entries</source>
        <translation>Weitere Einträge laden</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="102" />
        <source>Export as &amp;CSV…</source>
        <translation>Als &amp;CSV exportieren…</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="103" />
        <source>Export the listed entries as CSV</source>
        <translation>Die aufgelisteten Einträge als CSV exportieren</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="106" />
        <source>Entries name no one: a subject is a pseudonymous id, and a person erased since is shown by their tombstone.</source>
        <translation>Einträge nennen niemanden: Eine betroffene Person ist eine pseudonyme Kennung, eine inzwischen gelöschte Person erscheint als ihr Grabstein.</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="112" />
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="115" />
        <source>Subject</source>
        <translation>Betroffene Person</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="116" />
        <source>Detail</source>
        <translation>Einzelheiten</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="117" />
        <source>Audit entries</source>
        <translation>Protokolleinträge</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="147" />
        <source>Erased person, tombstone %1</source>
        <translation>Gelöschte Person, Grabstein %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/audit_window.py" line="209" />
        <source>%n entry(s) listed</source>
        <translation>
            <numerusform>%n Eintrag aufgelistet</numerusform>
            <numerusform>%n Einträge aufgelistet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/audit_window.py" line="222" />
        <source>Exported %n entry(s)</source>
        <translation>
            <numerusform>%n Eintrag exportiert</numerusform>
            <numerusform>%n Einträge exportiert</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="226" />
        <source>Export audit entries</source>
        <translation>Protokolleinträge exportieren</translation>
    </message>
    <message>
        <location filename="../windows/audit_window.py" line="227" />
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
</context>
<context>
    <name>BundleDialog</name>
    <message>
        <location filename="../flows/bundle_export.py" line="61" />
        <source>Export bundle</source>
        <translation>Export-Paket</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="64" />
        <source>Export everything held about %1</source>
        <translation>Alles exportieren, was über %1 gespeichert ist</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="67" />
        <source>A new folder with records.json, a readable report (HTML and PDF) in the desk's language and a manifest of checksums. Only you can read the files.</source>
        <translation>Ein neuer Ordner mit records.json, einem lesbaren Bericht (HTML und PDF) in der Sprache des Desks und einem Manifest mit Prüfsummen. Nur Sie können die Dateien lesen.</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="71" />
        <source>Folder to create</source>
        <translation>Anzulegender Ordner</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="72" />
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="77" />
        <source>Also make one zip file of it, for sending</source>
        <translation>Zusätzlich eine ZIP-Datei zum Versenden erstellen</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="81" />
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="85" />
        <source>New folder:</source>
        <translation>Neuer Ordner:</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="98" />
        <source>Where to put the bundle</source>
        <translation>Wohin das Paket soll</translation>
    </message>
</context>
<context>
    <name>BundleProgress</name>
    <message>
        <location filename="../flows/bundle_export.py" line="113" />
        <source>Exporting</source>
        <translation>Export läuft</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="114" />
        <source>Reading what the server holds…</source>
        <translation>Lese, was der Server gespeichert hat…</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="115" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="125" />
        <source>Reading what the server and this desk hold…</source>
        <translation>Lese, was der Server und dieser Desk gespeichert haben…</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="126" />
        <source>Writing records.json…</source>
        <translation>Schreibe records.json…</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="127" />
        <source>Writing the report…</source>
        <translation>Schreibe den Bericht…</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="128" />
        <source>Rendering the PDF…</source>
        <translation>Erzeuge das PDF…</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="129" />
        <source>Writing the manifest…</source>
        <translation>Schreibe das Manifest…</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="130" />
        <source>Making the zip…</source>
        <translation>Erstelle die ZIP-Datei…</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="131" />
        <source>Recording the export…</source>
        <translation>Halte den Export fest…</translation>
    </message>
    <message>
        <location filename="../flows/bundle_export.py" line="132" />
        <source>Done.</source>
        <translation>Fertig.</translation>
    </message>
</context>
<context>
    <name>CacheChoiceDialog</name>
    <message>
        <location filename="../dialogs/cache_choice.py" line="39" />
        <source>Local cache — Operator Desk</source>
        <translation>Lokaler Cache – Operator Desk</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="43" />
        <source>The system keyring does not encrypt what it keeps</source>
        <translation>Der Schlüsselbund des Systems verschlüsselt nicht, was er aufbewahrt</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="45" />
        <source>Operator Desk keeps transcripts on this computer only in an encrypted cache, and normally keeps its key and your sign-in in the system keyring. The keyring here (%1) would store them unencrypted in a file, so Operator Desk does not use it. Choose how to go on:</source>
        <translation>Operator Desk speichert Verläufe auf diesem Computer nur in einem verschlüsselten Cache und legt den Schlüssel und Ihre Anmeldung normalerweise im Schlüsselbund des Systems ab. Der Schlüsselbund hier (%1) würde sie unverschlüsselt in einer Datei speichern, deshalb verwendet Operator Desk ihn nicht. Wählen Sie, wie es weitergehen soll:</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="50" />
        <source>The system keyring is not available</source>
        <translation>Der Schlüsselbund des Systems ist nicht verfügbar</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="52" />
        <source>Operator Desk keeps transcripts on this computer only in an encrypted cache, and normally keeps its key in the system keyring. No keyring can be used right now. Choose how to go on:</source>
        <translation>Operator Desk speichert Verläufe auf diesem Computer nur in einem verschlüsselten Cache und legt den Schlüssel normalerweise im Schlüsselbund des Systems ab. Derzeit ist kein Schlüsselbund nutzbar. Wählen Sie, wie es weitergehen soll:</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="60" />
        <source>Unlock the cache with its passphrase</source>
        <translation>Cache mit seiner Passphrase entsperren</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="61" />
        <source>Protect the cache with a passphrase</source>
        <translation>Cache mit einer Passphrase schützen</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="63" />
        <source>Run without a local cache this time</source>
        <translation>Diesmal ohne lokalen Cache arbeiten</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="71" />
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="74" />
        <source>Repeat the passphrase</source>
        <translation>Passphrase wiederholen</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="76" />
        <source>Passphrase:</source>
        <translation>Passphrase:</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="78" />
        <source>Repeat:</source>
        <translation>Wiederholen:</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="80" />
        <source>Without a cache, chats work normally but nothing is kept on this computer: transcripts are not available offline and unsent messages are lost if the desk is closed.</source>
        <translation>Ohne Cache funktionieren Chats normal, aber auf diesem Computer wird nichts gespeichert: Verläufe sind offline nicht verfügbar und ungesendete Nachrichten gehen verloren, wenn der Desk geschlossen wird.</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="91" />
        <source>Continue</source>
        <translation>Weiter</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="92" />
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/cache_choice.py" line="120" />
        <source>Choose a passphrase of at least %n characters.</source>
        <translation>
            <numerusform>Wählen Sie eine Passphrase mit mindestens %n Zeichen.</numerusform>
            <numerusform>Wählen Sie eine Passphrase mit mindestens %n Zeichen.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="123" />
        <source>Enter the passphrase.</source>
        <translation>Geben Sie die Passphrase ein.</translation>
    </message>
    <message>
        <location filename="../dialogs/cache_choice.py" line="126" />
        <source>The two passphrases differ.</source>
        <translation>Die beiden Passphrasen stimmen nicht überein.</translation>
    </message>
</context>
<context>
    <name>ChatTab</name>
    <message>
        <location filename="../widgets/chat_tab.py" line="64" />
        <location filename="../widgets/chat_tab.py" line="104" />
        <source>Request details…</source>
        <translation>Angaben anfragen…</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="65" />
        <source>Request contact details with a privacy notice</source>
        <translation>Kontaktangaben mit Datenschutzhinweis anfragen</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="66" />
        <source>Ask for phone, address, e-mail… with the privacy notice the visitor must accept (Ctrl+Shift+D)</source>
        <translation>Telefon, Anschrift, E-Mail… mit dem Datenschutzhinweis anfragen, dem der Besucher zustimmen muss (Strg+Umschalt+D)</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="69" />
        <source>End chat</source>
        <translation>Chat beenden</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="70" />
        <source>End this chat</source>
        <translation>Diesen Chat beenden</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="71" />
        <source>End this chat (Ctrl+Shift+E)</source>
        <translation>Diesen Chat beenden (Strg+Umschalt+E)</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="88" />
        <source>Visitor typing state</source>
        <translation>Tippstatus des Besuchers</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="92" />
        <source>Visitor's draft, not sent yet</source>
        <translation>Entwurf des Besuchers, noch nicht gesendet</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="105" />
        <source>Request the details with a privacy prompt</source>
        <translation>Angaben mit Datenschutzabfrage anfragen</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="107" />
        <source>Send anyway</source>
        <translation>Trotzdem senden</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="108" />
        <source>Send the message as typed</source>
        <translation>Nachricht wie eingegeben senden</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="121" />
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="123" />
        <source>Send message</source>
        <translation>Nachricht senden</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="124" />
        <source>Send (Enter)</source>
        <translation>Senden (Eingabe)</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="139" />
        <source>This chat has ended.</source>
        <translation>Dieser Chat ist beendet.</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="158" />
        <source>On: %1</source>
        <translation>Auf: %1</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="159" />
        <source>Chat with %1</source>
        <translation>Chat mit %1</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="202" />
        <source>Details requested; waiting for the visitor's answer.</source>
        <translation>Angaben angefragt; warte auf die Antwort des Besuchers.</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="208" />
        <source>%1 is typing…</source>
        <translation>%1 tippt…</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="211" />
        <source>Live preview (not sent yet): %1</source>
        <translation>Live-Vorschau (noch nicht gesendet): %1</translation>
    </message>
    <message>
        <location filename="../widgets/chat_tab.py" line="233" />
        <source>This message asks for personal details (%1). Ask with a privacy prompt instead, so the visitor sees the notice and can agree?</source>
        <translation>Diese Nachricht fragt nach persönlichen Angaben (%1). Stattdessen mit einer Datenschutzabfrage fragen, damit der Besucher den Hinweis sieht und zustimmen kann?</translation>
    </message>
    <message>
        <source>Hand over…</source>
        <translation>Übergeben…</translation>
    </message>
    <message>
        <source>Hand this chat to a colleague or a team</source>
        <translation>Diesen Chat an eine Kollegin, einen Kollegen oder ein Team übergeben</translation>
    </message>
    <message>
        <source>Hand this chat to a colleague or a team, with a note for them (Ctrl+Shift+H)</source>
        <translation>Diesen Chat an eine Kollegin, einen Kollegen oder ein Team übergeben, mit einer Notiz für sie (Strg+Umschalt+H)</translation>
    </message>
    <message>
        <source>You handed this chat to %1.</source>
        <translation>Sie haben diesen Chat an %1 übergeben.</translation>
    </message>
    <message>
        <source>This chat is a colleague's now.</source>
        <translation>Diesen Chat führt jetzt jemand aus dem Team weiter.</translation>
    </message>
    <message>
        <source>%1 handed this chat to you: %2</source>
        <translation>%1 hat Ihnen diesen Chat übergeben: %2</translation>
    </message>
    <message>
        <source>%1 handed this chat to you.</source>
        <translation>%1 hat Ihnen diesen Chat übergeben.</translation>
    </message>
</context>
<context>
    <name>ChatTabs</name>
    <message>
        <location filename="../windows/chat_tabs.py" line="42" />
        <source>Open chats</source>
        <translation>Offene Chats</translation>
    </message>
    <message>
        <location filename="../windows/chat_tabs.py" line="116" />
        <source>%1 — ended</source>
        <translation>%1 – beendet</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/chat_tabs.py" line="119" />
        <source>%n unread message(s)</source>
        <translation>
            <numerusform>%n ungelesene Nachricht</numerusform>
            <numerusform>%n ungelesene Nachrichten</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CloseCaseDialog</name>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="208" />
        <source>Close the request</source>
        <translation>Anfrage abschließen</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="212" />
        <source>Outcome</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="215" />
        <source>Note on the outcome</source>
        <translation>Notiz zum Ergebnis</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="218" />
        <source>Closed on time (due %1).</source>
        <translation>Fristgerecht abgeschlossen (fällig am %1).</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="219" />
        <source>Closed late: it was due on %1.</source>
        <translation>Verspätet abgeschlossen: fällig war sie am %1.</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="221" />
        <source>Close request</source>
        <translation>Anfrage abschließen</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="223" />
        <source>Outcome:</source>
        <translation>Ergebnis:</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="224" />
        <source>Note:</source>
        <translation>Notiz:</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../widgets/composer.py" line="35" />
        <source>Type a message — Enter sends, Shift+Enter adds a line, / inserts a canned response</source>
        <translation>Nachricht eingeben – Eingabe sendet, Umschalt+Eingabe fügt eine Zeile ein, / fügt eine Textvorlage ein</translation>
    </message>
    <message>
        <location filename="../widgets/composer.py" line="37" />
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <location filename="../widgets/composer.py" line="38" />
        <source>Enter sends, Shift+Enter adds a new line</source>
        <translation>Eingabe sendet, Umschalt+Eingabe fügt eine neue Zeile ein</translation>
    </message>
</context>
<context>
    <name>ConsentTimelineModel</name>
    <message>
        <location filename="../models/privacy_models.py" line="120" />
        <source>Given to version %1 of this notice; version %2 asked for consent again, so this no longer counts.</source>
        <translation>Erteilt für Version %1 dieses Hinweises; Version %2 hat erneut um Einwilligung gebeten, daher gilt sie nicht mehr.</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="105" />
        <source>Granted (no longer counts)</source>
        <translation>Erteilt (gilt nicht mehr)</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="73" />
        <source>Purpose</source>
        <translation>Zweck</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="73" />
        <source>Decision</source>
        <translation>Entscheidung</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="73" />
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="73" />
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="74" />
        <source>How</source>
        <translation>Wie</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="106" />
        <source>Granted</source>
        <translation>Erteilt</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="106" />
        <source>Withdrawn</source>
        <translation>Widerrufen</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="108" />
        <source>%1 v%2</source>
        <translation>%1 v%2</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="124" />
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
</context>
<context>
    <name>DeskActions</name>
    <message>
        <location filename="../windows/desk_actions.py" line="24" />
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="25" />
        <source>Sign &amp;out</source>
        <translation>&amp;Abmelden</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="27" />
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="28" />
        <source>&amp;Accept oldest waiting chat</source>
        <translation>Ältesten wartenden Chat &amp;annehmen</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="29" />
        <source>Request &amp;details…</source>
        <translation>Angaben an&amp;fragen…</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="30" />
        <source>&amp;End chat</source>
        <translation>Chat be&amp;enden</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="31" />
        <source>&amp;Close tab</source>
        <translation>Tab &amp;schließen</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="32" />
        <source>&amp;Next chat</source>
        <translation>&amp;Nächster Chat</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="33" />
        <source>&amp;Previous chat</source>
        <translation>&amp;Vorheriger Chat</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="34" />
        <source>&amp;Find visitor</source>
        <translation>Besucher &amp;finden</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="35" />
        <source>&amp;Reset layout</source>
        <translation>Anordnung &amp;zurücksetzen</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="36" />
        <source>&amp;Transcripts…</source>
        <translation>&amp;Verläufe…</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="37" />
        <source>&amp;People…</source>
        <translation>&amp;Personen…</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="38" />
        <source>Data-subject &amp;requests…</source>
        <translation>Betroffenen&amp;anfragen…</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="39" />
        <source>&amp;About Operator Desk</source>
        <translation>&amp;Über Operator Desk</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="42" />
        <source>&amp;Desk</source>
        <translation>&amp;Desk</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="43" />
        <source>&amp;Chat</source>
        <translation>&amp;Chat</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="46" />
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="52" />
        <source>&amp;Review</source>
        <translation>&amp;Prüfung</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="54" />
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="35" />
        <source>&amp;Team canned responses…</source>
        <translation>&amp;Team-Textvorlagen…</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="39" />
        <source>T&amp;eam at work…</source>
        <translation>T&amp;eam bei der Arbeit…</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="40" />
        <source>&amp;Audit log…</source>
        <translation>&amp;Prüfprotokoll…</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="42" />
        <source>&amp;Connected systems…</source>
        <translation>Angebundene &amp;Systeme…</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="30" />
        <source>Accept the &amp;offered chat</source>
        <translation>Angebotenen Chat &amp;annehmen</translation>
    </message>
    <message>
        <location filename="../windows/desk_actions.py" line="31" />
        <source>&amp;Let the offered chat pass</source>
        <translation>Angebotenen Chat &amp;weitergeben</translation>
    </message>
    <message>
        <source>&amp;Hand over chat…</source>
        <translation>Chat &amp;übergeben…</translation>
    </message>
</context>
<context>
    <name>DeskStatusBar</name>
    <message>
        <location filename="../widgets/status_bar.py" line="38" />
        <source>Connection state</source>
        <translation>Verbindungsstatus</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="41" />
        <source>Signed-in operator</source>
        <translation>Angemeldeter Operator</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="43" />
        <source>Local cache</source>
        <translation>Lokaler Cache</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="44" />
        <source>DEMO</source>
        <translation>DEMO</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="46" />
        <source>Demo mode: a built-in server with simulated visitors; nothing is kept after you quit.</source>
        <translation>Demomodus: ein eingebauter Server mit simulierten Besuchern; nach dem Beenden bleibt nichts erhalten.</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="82" />
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="83" />
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="84" />
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="85" />
        <source>Disconnected by the server</source>
        <translation>Vom Server getrennt</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/status_bar.py" line="90" />
        <source>Connection lost, retrying in %n s</source>
        <translation>
            <numerusform>Verbindung verloren, neuer Versuch in %n s</numerusform>
            <numerusform>Verbindung verloren, neuer Versuch in %n s</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="92" />
        <source>Connection lost, reconnecting…</source>
        <translation>Verbindung verloren, verbinde neu…</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="104" />
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="106" />
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="112" />
        <source>Cache encrypted</source>
        <translation>Cache verschlüsselt</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="113" />
        <source>Transcripts kept on this computer are encrypted.</source>
        <translation>Auf diesem Computer gespeicherte Verläufe sind verschlüsselt.</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="116" />
        <source>No local cache</source>
        <translation>Kein lokaler Cache</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="117" />
        <source>Nothing is kept on this computer in this session.</source>
        <translation>In dieser Sitzung wird auf diesem Computer nichts gespeichert.</translation>
    </message>
</context>
<context>
    <name>DeskTray</name>
    <message>
        <location filename="../windows/tray.py" line="20" />
        <source>Operator Desk</source>
        <translation>Operator Desk</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/tray.py" line="27" />
        <source>Operator Desk — %n waiting</source>
        <translation>
            <numerusform>Operator Desk – %n wartet</numerusform>
            <numerusform>Operator Desk – %n warten</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Show Operator Desk</source>
        <translation>Operator Desk &amp;anzeigen</translation>
    </message>
</context>
<context>
    <name>DayChart</name>
    <message>
        <location filename="../widgets/day_chart.py" line="34" />
        <source>Accepted</source>
        <translation>Angenommen</translation>
    </message>
    <message>
        <location filename="../widgets/day_chart.py" line="34" />
        <source>Missed</source>
        <translation>Verpasst</translation>
    </message>
    <message>
        <location filename="../widgets/day_chart.py" line="59" />
        <source>No chats in this period</source>
        <translation>Keine Chats in diesem Zeitraum</translation>
    </message>
    <message>
        <location filename="../work/wt/review/src/operator_desk/ui/widgets/day_chart.py" line="36" />
        <source>Not answered yet</source>
        <translation>Noch nicht angenommen</translation>
    </message>
</context>
<context>
    <name>DetailsModel</name>
    <message>
        <location filename="../models/privacy_models.py" line="149" />
        <source>Detail</source>
        <translation>Angabe</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="149" />
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="149" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="149" />
        <source>Purpose</source>
        <translation>Zweck</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="150" />
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="160" />
        <source>Asked, waiting</source>
        <translation>Angefragt, ausstehend</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="161" />
        <source>Received</source>
        <translation>Erhalten</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="162" />
        <source>Declined by the visitor</source>
        <translation>Vom Besucher abgelehnt</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="188" />
        <source>%1 v%2</source>
        <translation>%1 v%2</translation>
    </message>
</context>
<context>
    <name>DetailsRequestDialog</name>
    <message>
        <location filename="../dialogs/details_request.py" line="39" />
        <source>Request details from %1</source>
        <translation>Angaben von %1 anfragen</translation>
    </message>
    <message>
        <location filename="../dialogs/details_request.py" line="44" />
        <source>%1 will see the privacy notice below and can share or decline. Nothing is asked until you confirm.</source>
        <translation>%1 sieht den folgenden Datenschutzhinweis und kann die Angaben teilen oder ablehnen. Gefragt wird erst, wenn Sie bestätigen.</translation>
    </message>
    <message>
        <location filename="../dialogs/details_request.py" line="46" />
        <source>Details to ask for</source>
        <translation>Anzufragende Angaben</translation>
    </message>
    <message>
        <location filename="../dialogs/details_request.py" line="58" />
        <source>Privacy notice the visitor will be asked to accept</source>
        <translation>Datenschutzhinweis, dem der Besucher zustimmen soll</translation>
    </message>
    <message>
        <location filename="../dialogs/details_request.py" line="67" />
        <source>Full text of the privacy notice</source>
        <translation>Volltext des Datenschutzhinweises</translation>
    </message>
    <message>
        <location filename="../dialogs/details_request.py" line="70" />
        <source>Purpose:</source>
        <translation>Zweck:</translation>
    </message>
    <message>
        <location filename="../dialogs/details_request.py" line="71" />
        <source>Notice:</source>
        <translation>Hinweis:</translation>
    </message>
    <message>
        <location filename="../dialogs/details_request.py" line="72" />
        <source>Version:</source>
        <translation>Version:</translation>
    </message>
    <message>
        <location filename="../dialogs/details_request.py" line="73" />
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <location filename="../dialogs/details_request.py" line="77" />
        <source>No privacy notice for contact details is published on the server, so details cannot be requested. Ask your administrator to publish one.</source>
        <translation>Auf dem Server ist kein Datenschutzhinweis für Kontaktangaben veröffentlicht, daher können keine Angaben angefragt werden. Bitten Sie Ihre Administration, einen zu veröffentlichen.</translation>
    </message>
    <message>
        <location filename="../dialogs/details_request.py" line="93" />
        <source>Send request</source>
        <translation>Anfrage senden</translation>
    </message>
    <message>
        <location filename="../dialogs/details_request.py" line="94" />
        <source>Send the details request</source>
        <translation>Angabenanfrage senden</translation>
    </message>
</context>
<context>
    <name>ErasureConfirmationDialog</name>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="74" />
        <source>Erased</source>
        <translation>Gelöscht</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="77" />
        <source>The person's data was erased</source>
        <translation>Die Daten der Person wurden gelöscht</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="79" />
        <source>On the server: %1 chat(s), %2 message(s), %3 consent record(s), %4 detail request(s).</source>
        <translation>Auf dem Server: %1 Chat(s), %2 Nachricht(en), %3 Einwilligungseintrag/-einträge, %4 Bitte(n) um Angaben.</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="89" />
        <source>Erasure confirmation for the person</source>
        <translation>Löschbestätigung für die Person</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="90" />
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="92" />
        <source>Save as…</source>
        <translation>Speichern unter…</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="94" />
        <source>Mark as sent</source>
        <translation>Als versendet markieren</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="95" />
        <source>Record that the confirmation was sent to the person</source>
        <translation>Festhalten, dass die Bestätigung an die Person versendet wurde</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="106" />
        <source>A confirmation you can send the person:</source>
        <translation>Eine Bestätigung, die Sie der Person schicken können:</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="83" />
        <source>Sent to the site's connected systems that had the person's data (not confirmed yet): %1.</source>
        <translation>An die angebundenen Systeme der Website gesendet, die Daten der Person hatten (noch nicht bestätigt): %1.</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="113" />
        <source>On this desk: nothing (it keeps no cache).</source>
        <translation>Auf diesem Desk: nichts (er hält keinen Cache).</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="116" />
        <source>On this desk: %1 chat(s), %2 message(s), %3 consent record(s), %4 other row(s).</source>
        <translation>Auf diesem Desk: %1 Chat(s), %2 Nachricht(en), %3 Einwilligungseintrag/-einträge, %4 weitere Zeile(n).</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="127" />
        <source>Save the confirmation</source>
        <translation>Bestätigung speichern</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="128" />
        <source>Text files (*.txt)</source>
        <translation>Textdateien (*.txt)</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="142" />
        <source>Recorded as sent</source>
        <translation>Als versendet festgehalten</translation>
    </message>
</context>
<context>
    <name>ErasureLetter</name>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="39" />
        <source>Confirmation of erasure</source>
        <translation>Bestätigung der Löschung</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="40" />
        <source>On %1 we erased all personal data we held about you in our website chat, as you asked.</source>
        <translation>Am %1 haben wir wie gewünscht alle personenbezogenen Daten gelöscht, die wir in unserem Website-Chat über Sie gespeichert hatten.</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="44" />
        <source>Your request of %1 (our reference: %2) is thereby fulfilled.</source>
        <translation>Ihre Anfrage vom %1 (unser Zeichen: %2) ist damit erfüllt.</translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/erasure_confirmation.py" line="46" />
        <location filename="../dialogs/erasure_confirmation.py" line="54" />
        <source>%n chat(s)</source>
        <translation><numerusform>%n Chat</numerusform><numerusform>%n Chats</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/erasure_confirmation.py" line="46" />
        <location filename="../dialogs/erasure_confirmation.py" line="55" />
        <source>%n message(s)</source>
        <translation><numerusform>%n Nachricht</numerusform><numerusform>%n Nachrichten</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/erasure_confirmation.py" line="47" />
        <source>%n consent record(s)</source>
        <translation><numerusform>%n Einwilligungseintrag</numerusform><numerusform>%n Einwilligungseinträge</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/erasure_confirmation.py" line="48" />
        <source>%n request(s) for contact details</source>
        <translation><numerusform>%n Bitte um Kontaktangaben</numerusform><numerusform>%n Bitten um Kontaktangaben</numerusform></translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="49" />
        <source>Erased from our chat server: %1.</source>
        <translation>Von unserem Chat-Server gelöscht: %1.</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="52" />
        <source>Copies on our staff's computers are erased as well (on this one: %1 and %2), at once where they were connected, and when they next connect otherwise.</source>
        <translation>Kopien auf den Computern unserer Mitarbeiter werden ebenfalls gelöscht (auf diesem: %1 und %2), sofort, wo sie verbunden waren, sonst bei der nächsten Verbindung.</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="57" />
        <source>Copies on our staff's computers are erased as well: at once where they were connected, and when they next connect otherwise.</source>
        <translation>Kopien auf den Computern unserer Mitarbeiter werden ebenfalls gelöscht: sofort, wo sie verbunden waren, sonst bei der nächsten Verbindung.</translation>
    </message>
    <message>
        <location filename="../dialogs/erasure_confirmation.py" line="59" />
        <source>We keep nothing about you beyond a record that this erasure took place, which does not name you: when it happened, which of our staff asked for it and approved it, and the numbers above.</source>
        <translation>Wir behalten nichts über Sie außer einem Vermerk, dass diese Löschung stattgefunden hat, der Sie nicht nennt: wann sie geschah, welche unserer Mitarbeiter sie beantragt und freigegeben haben, und die obigen Zahlen.</translation>
    </message>
</context>
<context>
    <name>ErasureRequestDialog</name>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="243" />
        <source>Erase %1?</source>
        <translation>%1 löschen?</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="246" />
        <source>Erase everything about %1</source>
        <translation>Alles über %1 löschen</translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/case_dialogs.py" line="250" />
        <source>The server deletes this person's visitor record, consents, detail requests and %n chat(s) with all messages; every operator's desk removes its local copies. This cannot be undone.</source>
        <translation><numerusform>Der Server löscht den Besucherdatensatz, die Einwilligungen, die Bitten um Angaben und %n Chat mit allen Nachrichten dieser Person; jeder Desk entfernt seine lokalen Kopien. Das kann nicht rückgängig gemacht werden.</numerusform><numerusform>Der Server löscht den Besucherdatensatz, die Einwilligungen, die Bitten um Angaben und %n Chats mit allen Nachrichten dieser Person; jeder Desk entfernt seine lokalen Kopien. Das kann nicht rückgängig gemacht werden.</numerusform></translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="254" />
        <source>A second supervisor must approve this request before anything is erased; an unapproved request expires.</source>
        <translation>Ein zweiter Supervisor muss diese Anfrage freigeben, bevor etwas gelöscht wird; eine nicht freigegebene Anfrage verfällt.</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="256" />
        <source>This site lets one supervisor erase: it happens at once.</source>
        <translation>Auf dieser Website darf ein Supervisor allein löschen: es geschieht sofort.</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="260" />
        <source>Reason, e.g. "erasure request by e-mail on 3 May"</source>
        <translation>Grund, z. B. „Löschantrag per E-Mail vom 3. Mai“</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="261" />
        <source>Reason for the erasure</source>
        <translation>Grund für die Löschung</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="263" />
        <source>I understand that this cannot be undone</source>
        <translation>Mir ist klar, dass dies nicht rückgängig gemacht werden kann</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="265" />
        <source>Request erasure</source>
        <translation>Löschung beantragen</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="265" />
        <source>Erase</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="268" />
        <source>Erase this person's data</source>
        <translation>Daten dieser Person löschen</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="276" />
        <source>Reason (kept in the audit log; no personal data):</source>
        <translation>Grund (wird im Prüfprotokoll festgehalten; keine personenbezogenen Daten):</translation>
    </message>
</context>
<context>
    <name>ExtendCaseDialog</name>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="131" />
        <source>Extend the deadline</source>
        <translation>Frist verlängern</translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/case_dialogs.py" line="135" />
        <source>by %n month(s) in all</source>
        <translation><numerusform>um insgesamt %n Monat</numerusform><numerusform>um insgesamt %n Monate</numerusform></translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="136" />
        <source>Extension</source>
        <translation>Verlängerung</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="139" />
        <source>Why more time is needed (the person is told this)</source>
        <translation>Warum mehr Zeit nötig ist (das erfährt die Person)</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="140" />
        <source>Reason for the extension</source>
        <translation>Grund für die Verlängerung</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="142" />
        <source>The law allows two further months where necessary, given the number and complexity of requests. Tell the person within the first month, with the reason.</source>
        <translation>Das Gesetz erlaubt, wenn nötig, zwei weitere Monate, je nach Zahl und Schwierigkeit der Anfragen. Teilen Sie das der Person innerhalb des ersten Monats mit, samt Grund.</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="146" />
        <source>Extend</source>
        <translation>Verlängern</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="148" />
        <source>Due now:</source>
        <translation>Jetzt fällig:</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="149" />
        <source>Extend:</source>
        <translation>Verlängern:</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="150" />
        <source>New due day:</source>
        <translation>Neuer Fälligkeitstag:</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="154" />
        <source>Reason:</source>
        <translation>Grund:</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../dialogs/login.py" line="33" />
        <source>Sign in — Operator Desk</source>
        <translation>Anmelden – Operator Desk</translation>
    </message>
    <message>
        <location filename="../dialogs/login.py" line="36" />
        <source>Sign in to your chat server</source>
        <translation>Beim Chat-Server anmelden</translation>
    </message>
    <message>
        <location filename="../dialogs/login.py" line="39" />
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <location filename="../dialogs/login.py" line="42" />
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <location filename="../dialogs/login.py" line="44" />
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location filename="../dialogs/login.py" line="52" />
        <source>Sign-in problem</source>
        <translation>Anmeldeproblem</translation>
    </message>
    <message>
        <location filename="../dialogs/login.py" line="53" />
        <source>Your password is sent to the server once and never saved on this computer.</source>
        <translation>Ihr Passwort wird einmal an den Server gesendet und nie auf diesem Computer gespeichert.</translation>
    </message>
    <message>
        <location filename="../dialogs/login.py" line="57" />
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <location filename="../dialogs/login.py" line="58" />
        <source>&amp;User name:</source>
        <translation>&amp;Benutzername:</translation>
    </message>
    <message>
        <location filename="../dialogs/login.py" line="59" />
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <location filename="../dialogs/login.py" line="63" />
        <location filename="../dialogs/login.py" line="64" />
        <location filename="../dialogs/login.py" line="109" />
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location filename="../dialogs/login.py" line="65" />
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <location filename="../dialogs/login.py" line="85" />
        <source>Enter the server address, your user name and your password.</source>
        <translation>Geben Sie die Serveradresse, Ihren Benutzernamen und Ihr Passwort ein.</translation>
    </message>
    <message>
        <location filename="../dialogs/login.py" line="109" />
        <source>Signing in…</source>
        <translation>Melde an…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../windows/main_window.py" line="84" />
        <source>No open chats.

Accept a waiting chat from the queue (double-click, or Ctrl+Return for the oldest).</source>
        <translation>Keine offenen Chats.

Nehmen Sie einen wartenden Chat aus der Warteschlange an (Doppelklick oder Strg+Eingabe für den ältesten).</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="91" />
        <source>Visitors</source>
        <translation>Besucher</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="93" />
        <location filename="../windows/main_window.py" line="299" />
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="95" />
        <source>Visitor details</source>
        <translation>Besucherdetails</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="126" />
        <source>Demo mode — a built-in server with simulated visitors. Open the widget address printed in the terminal to chat as a visitor.</source>
        <translation>Demomodus – ein eingebauter Server mit simulierten Besuchern. Öffnen Sie die im Terminal ausgegebene Widget-Adresse, um als Besucher zu chatten.</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="298" />
        <source>Queue (%1)</source>
        <translation>Warteschlange (%1)</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="278" />
        <source>Operator Desk</source>
        <translation>Operator Desk</translation>
    </message>
    <message>
        <location filename="../windows/main_window.py" line="283" />
        <source>%1 [Demo]</source>
        <translation>%1 [Demo]</translation>
    </message>
</context>
<context>
    <name>NewCaseDialog</name>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="60" />
        <source>New data-subject request</source>
        <translation>Neue Betroffenenanfrage</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="66" />
        <source>What the person asks for</source>
        <translation>Was die Person verlangt</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="70" />
        <source>Day the request was received</source>
        <translation>Tag des Eingangs der Anfrage</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="74" />
        <source>How the identity was checked</source>
        <translation>Wie die Identität geprüft wurde</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="77" />
        <source>How, if not obvious (no copies of documents)</source>
        <translation>Wie, falls nicht offensichtlich (keine Kopien von Dokumenten)</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="78" />
        <source>Note on the identity check</source>
        <translation>Notiz zur Identitätsprüfung</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="81" />
        <source>e.g. ticket 812, letter of 3 May</source>
        <translation>z. B. Ticket 812, Brief vom 3. Mai</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="82" />
        <source>The requester's reference</source>
        <translation>Das Zeichen der anfragenden Person</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="86" />
        <source>Request for:</source>
        <translation>Anfrage auf:</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="87" />
        <source>Received on:</source>
        <translation>Eingegangen am:</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="88" />
        <source>Answer due by:</source>
        <translation>Antwort fällig bis:</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="89" />
        <source>Identity checked:</source>
        <translation>Identität geprüft:</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="90" />
        <source>Identity note:</source>
        <translation>Notiz zur Identität:</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="91" />
        <source>Their reference:</source>
        <translation>Ihr Zeichen:</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="92" />
        <source>Find the person the request is about; you can also do it later. The request keeps only a reference to their records, never a copy.</source>
        <translation>Suchen Sie die Person, um die es geht; das geht auch später. Die Anfrage hält nur einen Verweis auf ihre Daten, nie eine Kopie.</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="96" />
        <source>Record request</source>
        <translation>Anfrage erfassen</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="98" />
        <source>Record a data-subject request</source>
        <translation>Eine Betroffenenanfrage erfassen</translation>
    </message>
</context>
<context>
    <name>NoteDialog</name>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="183" />
        <source>About the handling of the request only: the person's data stays in their records.</source>
        <translation>Nur zur Bearbeitung der Anfrage: die Daten der Person bleiben in ihren Datensätzen.</translation>
    </message>
    <message>
        <location filename="../dialogs/case_dialogs.py" line="187" />
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
</context>
<context>
    <name>PersonFinder</name>
    <message>
        <location filename="../widgets/person_finder.py" line="46" />
        <source>E-mail address, name, phone number or visitor id</source>
        <translation>E-Mail-Adresse, Name, Telefonnummer oder Besucher-ID</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="47" />
        <source>Find a person</source>
        <translation>Eine Person suchen</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="50" />
        <source>Find</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="51" />
        <source>Find people</source>
        <translation>Personen suchen</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="54" />
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="55" />
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="56" />
        <source>Chats</source>
        <translation>Chats</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="57" />
        <source>First seen</source>
        <translation>Zuerst gesehen</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="58" />
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="59" />
        <source>Matched on</source>
        <translation>Gefunden über</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="60" />
        <source>Passed to</source>
        <translation>Weitergegeben an</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="88" />
        <source>%1 (%2 not confirmed)</source>
        <translation>%1 (%2 nicht bestätigt)</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="63" />
        <source>People found</source>
        <translation>Gefundene Personen</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="80" />
        <source>visitor id</source>
        <translation>Besucher-ID</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="80" />
        <source>e-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="80" />
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="81" />
        <source>phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="81" />
        <source>postal address</source>
        <translation>Postanschrift</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="82" />
        <source>company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../widgets/person_finder.py" line="82" />
        <source>order reference</source>
        <translation>Bestellnummer</translation>
    </message>
</context>
<context>
    <name>QtReportWords</name>
    <message numerus="yes">
        <location filename="../report_words.py" line="28" />
        <source>%n hour(s)</source>
        <translation><numerusform>%n Stunde</numerusform><numerusform>%n Stunden</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="29" />
        <source>%n day(s)</source>
        <translation><numerusform>%n Tag</numerusform><numerusform>%n Tagen</numerusform></translation>
    </message>
    <message>
        <location filename="../report_words.py" line="39" />
        <source>d MMMM yyyy</source>
        <translation>d. MMMM yyyy</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="52" />
        <source>%1, %2</source>
        <translation>%1, %2 Uhr</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="61" />
        <source>Your personal data</source>
        <translation>Ihre personenbezogenen Daten</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="64" />
        <source>What %1 holds about you in its website chat, as of %2.</source>
        <translation>Was %1 im Website-Chat über Sie gespeichert hat, Stand %2.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="68" />
        <source>You asked us what personal data we hold about you. This report lists all of it: what the chat server of %1 keeps and what the computer this report was made on keeps. The same data comes in machine-readable form in records.json, for you to take elsewhere.</source>
        <translation>Sie haben uns gefragt, welche personenbezogenen Daten wir über Sie gespeichert haben. Dieser Bericht nennt sie alle: was der Chat-Server von %1 speichert und was der Computer speichert, auf dem dieser Bericht erstellt wurde. Dieselben Daten liegen maschinenlesbar in records.json bei, damit Sie sie mitnehmen können.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="74" />
        <source>It answers your request %1, received on %2.</source>
        <translation>Er beantwortet Ihre Anfrage %1, eingegangen am %2.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="78" />
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="81" />
        <source>What we hold</source>
        <translation>Was wir speichern</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="84" />
        <source>Why we hold it</source>
        <translation>Wozu wir es speichern</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="87" />
        <source>Since when</source>
        <translation>Seit wann</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="90" />
        <source>How long we keep it</source>
        <translation>Wie lange wir es aufbewahren</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="93" />
        <source>Who receives it</source>
        <translation>Wer es erhält</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="96" />
        <source>Your rights</source>
        <translation>Ihre Rechte</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="99" />
        <source>A visitor record: when you first and last visited, your language, and the name and e-mail address you gave</source>
        <translation>Ein Besucherdatensatz: wann Sie uns zuerst und zuletzt besucht haben, Ihre Sprache sowie der Name und die E-Mail-Adresse, die Sie angegeben haben</translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="103" />
        <source>%n chat(s)</source>
        <translation><numerusform>%n Chat</numerusform><numerusform>%n Chats</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="103" />
        <source>with %n message(s)</source>
        <translation><numerusform>mit %n Nachricht</numerusform><numerusform>mit %n Nachrichten</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="106" />
        <source>%n message(s) an operator wrote that had not reached you yet</source>
        <translation><numerusform>%n Nachricht, die ein Mitarbeiter geschrieben hat und die Sie noch nicht erreicht hatte</numerusform><numerusform>%n Nachrichten, die ein Mitarbeiter geschrieben hat und die Sie noch nicht erreicht hatten</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="109" />
        <source>%n record(s) of your consent decisions, with the exact notice text each refers to</source>
        <translation><numerusform>%n Eintrag zu Ihren Einwilligungsentscheidungen, mit dem genauen Hinweistext, auf den er sich bezieht</numerusform><numerusform>%n Einträge zu Ihren Einwilligungsentscheidungen, jeweils mit dem genauen Hinweistext, auf den sie sich beziehen</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="113" />
        <source>%n request(s) for contact details, and what you sent</source>
        <translation><numerusform>%n Bitte um Kontaktangaben und was Sie übermittelt haben</numerusform><numerusform>%n Bitten um Kontaktangaben und was Sie übermittelt haben</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="116" />
        <source>%n page view(s)</source>
        <translation><numerusform>%n Seitenaufruf</numerusform><numerusform>%n Seitenaufrufe</numerusform></translation>
    </message>
    <message>
        <location filename="../report_words.py" line="119" />
        <source>Your IP address, approximate location and company network (visitor insights)</source>
        <translation>Ihre IP-Adresse, Ihr ungefährer Standort und Ihr Firmennetz (Besucherinformationen)</translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="122" />
        <source>%n record(s) of our staff accessing your data</source>
        <translation><numerusform>%n Eintrag über Zugriffe unserer Mitarbeiter auf Ihre Daten</numerusform><numerusform>%n Einträge über Zugriffe unserer Mitarbeiter auf Ihre Daten</numerusform></translation>
    </message>
    <message>
        <location filename="../report_words.py" line="126" />
        <source>From the chat server and from this computer's encrypted copy of chats.</source>
        <translation>Vom Chat-Server und aus der verschlüsselten Chat-Kopie dieses Computers.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="127" />
        <source>From the chat server. This computer keeps no copy of chats.</source>
        <translation>Vom Chat-Server. Dieser Computer hält keine Kopie von Chats.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="130" />
        <source>We first stored data about you on %1; the most recent is from %2.</source>
        <translation>Wir haben am %1 zum ersten Mal Daten über Sie gespeichert; die neuesten stammen vom %2.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="134" />
        <source>We hold no dated records about you.</source>
        <translation>Wir haben keine datierten Einträge über Sie.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="137" />
        <source>Chats: deleted %1 after they end.</source>
        <translation>Chats: gelöscht %1 nach ihrem Ende.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="140" />
        <source>Contact details you sent: deleted after %1.</source>
        <translation>Von Ihnen übermittelte Kontaktangaben: gelöscht nach %1.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="143" />
        <source>IP address, location, company network and page views: deleted after %1.</source>
        <translation>IP-Adresse, Standort, Firmennetz und Seitenaufrufe: gelöscht nach %1.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="147" />
        <source>The visitor record: deleted %1 after your last visit once no chat is left.</source>
        <translation>Der Besucherdatensatz: gelöscht %1 nach Ihrem letzten Besuch, sobald kein Chat mehr gespeichert ist.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="151" />
        <source>Copies on our operators' computers: deleted after %1 at the latest, and at once when the server deletes the original.</source>
        <translation>Kopien auf den Computern unserer Mitarbeiter: gelöscht spätestens nach %1 und sofort, wenn der Server das Original löscht.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="156" />
        <source>Access: you may ask what we hold about you (this report).</source>
        <translation>Auskunft: Sie können fragen, was wir über Sie gespeichert haben (dieser Bericht).</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="157" />
        <source>Rectification: you may have wrong data corrected.</source>
        <translation>Berichtigung: Sie können falsche Daten berichtigen lassen.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="158" />
        <source>Erasure: you may have your data deleted.</source>
        <translation>Löschung: Sie können Ihre Daten löschen lassen.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="159" />
        <source>Restriction: you may ask us to stop using your data while a question is settled.</source>
        <translation>Einschränkung: Sie können verlangen, dass wir Ihre Daten nicht weiter verwenden, solange eine Frage geklärt wird.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="160" />
        <source>Portability: you may take your data with you (records.json is made for this).</source>
        <translation>Übertragbarkeit: Sie können Ihre Daten mitnehmen (dafür ist records.json gedacht).</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="161" />
        <source>Objection: you may object to processing based on our legitimate interests.</source>
        <translation>Widerspruch: Sie können einer Verarbeitung widersprechen, die auf unseren berechtigten Interessen beruht.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="162" />
        <source>Withdrawal: you may withdraw any consent at any time, in the chat's privacy menu; this does not affect what was done before.</source>
        <translation>Widerruf: Sie können jede Einwilligung jederzeit im Datenschutzmenü des Chats widerrufen; was vorher geschah, bleibt davon unberührt.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="167" />
        <source>To use a right, write to %1.</source>
        <translation>Um ein Recht wahrzunehmen, schreiben Sie an %1.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="169" />
        <source>Our data protection officer: %1.</source>
        <translation>Unser(e) Datenschutzbeauftragte(r): %1.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="173" />
        <source>You may also complain to a supervisory authority, for example %1.</source>
        <translation>Sie können sich außerdem bei einer Aufsichtsbehörde beschweren, zum Beispiel bei %1.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="178" />
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="179" />
        <source>Visitor insights</source>
        <translation>Besucherinformationen</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="180" />
        <location filename="../report_words.py" line="225" />
        <source>Contact details</source>
        <translation>Kontaktangaben</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="181" />
        <source>Typing preview</source>
        <translation>Tippvorschau</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="186" />
        <source>to answer you and follow up on your request.</source>
        <translation>um Ihnen zu antworten und Ihr Anliegen zu bearbeiten.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="187" />
        <source>so that our team can see where you browse from.</source>
        <translation>damit unser Team sieht, von wo aus Sie surfen.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="188" />
        <source>only for the request you chatted about.</source>
        <translation>nur für das Anliegen, um das es im Chat ging.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="189" />
        <source>so that an operator could prepare an answer sooner; never stored.</source>
        <translation>damit ein Mitarbeiter schneller antworten konnte; nie gespeichert.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="193" />
        <source>The staff of %1 who answer chats. Nobody else.</source>
        <translation>Die Mitarbeiter von %1, die Chats beantworten. Sonst niemand.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="196" />
        <source>Legal basis: %1</source>
        <translation>Rechtsgrundlage: %1</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="201" />
        <source>Your chats</source>
        <translation>Ihre Chats</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="204" />
        <source>Chat of %1</source>
        <translation>Chat vom %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="207" />
        <source>%n message(s)</source>
        <translation><numerusform>%n Nachricht</numerusform><numerusform>%n Nachrichten</numerusform></translation>
    </message>
    <message>
        <location filename="../report_words.py" line="210" />
        <source>with %1 · %2</source>
        <translation>mit %1 · %2</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="213" />
        <source>You</source>
        <translation>Sie</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="216" />
        <source>Chat system</source>
        <translation>Chat-System</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="219" />
        <source>Our staff</source>
        <translation>Unsere Mitarbeiter</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="222" />
        <source>Written by an operator, not yet delivered to you:</source>
        <translation>Von einem Mitarbeiter geschrieben, Ihnen noch nicht zugestellt:</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="228" />
        <source>Asked on</source>
        <translation>Erbeten am</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="228" />
        <source>What was asked</source>
        <translation>Worum gebeten wurde</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="228" />
        <source>Answer</source>
        <translation>Antwort</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="228" />
        <source>What you sent</source>
        <translation>Was Sie übermittelt haben</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="232" />
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="233" />
        <source>Postal address</source>
        <translation>Postanschrift</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="234" />
        <source>E-mail address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="235" />
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="236" />
        <source>Order reference</source>
        <translation>Bestellnummer</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="240" />
        <source>not answered</source>
        <translation>nicht beantwortet</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="240" />
        <source>sent</source>
        <translation>übermittelt</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="241" />
        <source>declined</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="244" />
        <source>Your consent decisions</source>
        <translation>Ihre Einwilligungsentscheidungen</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="247" />
        <location filename="../report_words.py" line="266" />
        <location filename="../report_words.py" line="283" />
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="247" />
        <source>Purpose</source>
        <translation>Zweck</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="247" />
        <source>Decision</source>
        <translation>Entscheidung</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="247" />
        <source>How</source>
        <translation>Wie</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="247" />
        <source>Notice</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="250" />
        <source>granted</source>
        <translation>erteilt</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="250" />
        <source>withdrawn</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="254" />
        <source>chat form</source>
        <translation>Chat-Formular</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="255" />
        <source>when asked for details</source>
        <translation>bei der Bitte um Angaben</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="256" />
        <source>privacy menu</source>
        <translation>Datenschutzmenü</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="260" />
        <source>%1, version %2</source>
        <translation>%1, Version %2</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="263" />
        <source>Pages you viewed</source>
        <translation>Seiten, die Sie aufgerufen haben</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="266" />
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="266" />
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="269" />
        <source>Where you browsed from</source>
        <translation>Von wo aus Sie gesurft haben</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="272" />
        <source>IP address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="272" />
        <source>Location</source>
        <translation>Standort</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="272" />
        <source>Company network</source>
        <translation>Firmennetz</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="272" />
        <source>Visits</source>
        <translation>Besuche</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="273" />
        <source>First visit</source>
        <translation>Erster Besuch</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="276" />
        <source>Who accessed your data</source>
        <translation>Wer auf Ihre Daten zugegriffen hat</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="279" />
        <source>Every time our staff read your chats, exported or changed your data, it was recorded:</source>
        <translation>Jedes Mal, wenn unsere Mitarbeiter Ihre Chats gelesen oder Ihre Daten exportiert oder geändert haben, wurde das festgehalten:</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="283" />
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="283" />
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="287" />
        <location filename="../report_words.py" line="292" />
        <source>read a chat transcript</source>
        <translation>hat einen Chat-Verlauf gelesen</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="288" />
        <source>exported your data</source>
        <translation>hat Ihre Daten exportiert</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="289" />
        <source>you downloaded your data</source>
        <translation>Sie haben Ihre Daten heruntergeladen</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="290" />
        <source>exported this computer's copy</source>
        <translation>hat die Kopie dieses Computers exportiert</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="291" />
        <source>wrote a report like this one</source>
        <translation>hat einen Bericht wie diesen erstellt</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="293" />
        <source>recorded your request</source>
        <translation>hat Ihre Anfrage erfasst</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="294" />
        <source>found your data for your request</source>
        <translation>hat Ihre Daten zu Ihrer Anfrage gefunden</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="295" />
        <source>extended the deadline of your request</source>
        <translation>hat die Frist Ihrer Anfrage verlängert</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="296" />
        <source>recorded a step of your request</source>
        <translation>hat einen Schritt Ihrer Anfrage festgehalten</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="297" />
        <source>closed your request</source>
        <translation>hat Ihre Anfrage abgeschlossen</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="298" />
        <source>asked a second supervisor to approve an action</source>
        <translation>hat einen zweiten Supervisor um Freigabe gebeten</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="299" />
        <source>approved an action</source>
        <translation>hat eine Aktion freigegeben</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="300" />
        <source>rejected an action</source>
        <translation>hat eine Aktion abgelehnt</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="304" />
        <source>The notices you were shown</source>
        <translation>Die Hinweise, die Ihnen gezeigt wurden</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="308" />
        <source>SHA-256 of this text: %1 (it matches the text below)</source>
        <translation>SHA-256 dieses Textes: %1 (passt zum Text unten)</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="309" />
        <source>SHA-256 as published: %1 (it does NOT match the text below)</source>
        <translation>SHA-256 wie veröffentlicht: %1 (passt NICHT zum Text unten)</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="312" />
        <source>None.</source>
        <translation>Keine.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="315" />
        <source>About this report</source>
        <translation>Über diesen Bericht</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="318" />
        <source>Made on %1 by %2.</source>
        <translation>Erstellt am %1 von %2.</translation>
    </message>
    <message>
        <location filename="../report_words.py" line="321" />
        <source>It comes with records.json (the same data, machine-readable, described by records.schema.json) and manifest.json, which lists the SHA-256 checksum of every file so that anyone can check that nothing was changed. Times are this computer's local time.</source>
        <translation>Ihm liegen records.json bei (dieselben Daten, maschinenlesbar, beschrieben durch records.schema.json) und manifest.json, das die SHA-256-Prüfsumme jeder Datei nennt, damit jeder prüfen kann, dass nichts verändert wurde. Zeiten sind in der Ortszeit dieses Computers angegeben.</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../models/queue_model.py" line="63" />
        <source>Visitor</source>
        <translation>Besucher</translation>
    </message>
    <message>
        <location filename="../models/queue_model.py" line="64" />
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <location filename="../models/queue_model.py" line="65" />
        <source>Page</source>
        <translation>Seite</translation>
    </message>
    <message>
        <location filename="../models/queue_model.py" line="194" />
        <source>No longer waiting</source>
        <translation>Wartet nicht mehr</translation>
    </message>
    <message>
        <location filename="../models/queue_model.py" line="201" />
        <source>Taken by an operator, or the visitor left</source>
        <translation>Von einem Operator angenommen, oder der Besucher ist gegangen</translation>
    </message>
    <message>
        <location filename="../models/queue_model.py" line="204" />
        <source>Double-click or press Ctrl+Return to accept</source>
        <translation>Doppelklicken oder Strg+Eingabe drücken, um anzunehmen</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <location filename="../widgets/queue_panel.py" line="40" />
        <source>Chats waiting for an operator</source>
        <translation>Chats, die auf einen Operator warten</translation>
    </message>
    <message>
        <location filename="../widgets/queue_panel.py" line="52" />
        <source>No one is waiting.</source>
        <translation>Niemand wartet.</translation>
    </message>
    <message>
        <location filename="../widgets/queue_panel.py" line="55" />
        <location filename="../widgets/queue_panel.py" line="126" />
        <source>Accept oldest</source>
        <translation>Ältesten annehmen</translation>
    </message>
    <message>
        <location filename="../widgets/queue_panel.py" line="56" />
        <source>Accept the selected chat, or the oldest waiting one</source>
        <translation>Den gewählten Chat annehmen, sonst den ältesten wartenden</translation>
    </message>
    <message>
        <location filename="../widgets/queue_panel.py" line="57" />
        <source>Accept the selected chat, or the oldest (Ctrl+Return)</source>
        <translation>Den gewählten Chat annehmen, sonst den ältesten (Strg+Eingabe)</translation>
    </message>
    <message>
        <location filename="../widgets/queue_panel.py" line="126" />
        <source>Accept</source>
        <translation>Annehmen</translation>
    </message>
    <message>
        <location filename="../widgets/queue_panel.py" line="58" />
        <source>Which waiting chats the queue shows</source>
        <translation>Welche wartenden Chats die Warteschlange zeigt</translation>
    </message>
    <message>
        <location filename="../widgets/queue_panel.py" line="92" />
        <source>Team %1 (and chats for anyone)</source>
        <translation>Team %1 (und Chats für alle)</translation>
    </message>
    <message>
        <location filename="../widgets/queue_panel.py" line="94" />
        <source>All waiting chats</source>
        <translation>Alle wartenden Chats</translation>
    </message>
</context>
<context>
    <name>QuitDialog</name>
    <message>
        <location filename="../dialogs/quit_confirm.py" line="16" />
        <source>Quit Operator Desk?</source>
        <translation>Operator Desk beenden?</translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/quit_confirm.py" line="20" />
        <source>%n chat(s) could not be ended.</source>
        <translation>
            <numerusform>%n Chat konnte nicht beendet werden.</numerusform>
            <numerusform>%n Chats konnten nicht beendet werden.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../dialogs/quit_confirm.py" line="21" />
        <source>Their visitors are not told until the server notices that you left. Quit anyway?</source>
        <translation>Die Besucher erfahren es erst, wenn der Server bemerkt, dass Sie weg sind. Trotzdem beenden?</translation>
    </message>
    <message>
        <location filename="../dialogs/quit_confirm.py" line="23" />
        <source>Quit anyway</source>
        <translation>Trotzdem beenden</translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/quit_confirm.py" line="25" />
        <source>You have %n open chat(s).</source>
        <translation>
            <numerusform>Sie haben %n offenen Chat.</numerusform>
            <numerusform>Sie haben %n offene Chats.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../dialogs/quit_confirm.py" line="26" />
        <source>Quitting ends them: each visitor is told that the chat has ended.</source>
        <translation>Beenden beendet sie: Jeder Besucher erfährt, dass der Chat zu Ende ist.</translation>
    </message>
    <message>
        <location filename="../dialogs/quit_confirm.py" line="27" />
        <source>End chats and quit</source>
        <translation>Chats beenden und schließen</translation>
    </message>
    <message>
        <location filename="../dialogs/quit_confirm.py" line="37" />
        <source>Stay</source>
        <translation>Bleiben</translation>
    </message>
</context>
<context>
    <name>RequestsWindow</name>
    <message>
        <location filename="../windows/requests_window.py" line="41" />
        <source>Data-subject requests — Operator Desk</source>
        <translation>Betroffenenanfragen — Operator Desk</translation>
    </message>
    <message>
        <location filename="../windows/requests_window.py" line="73" />
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <location filename="../windows/requests_window.py" line="74" />
        <source>Waiting for approval</source>
        <translation>Warten auf Freigabe</translation>
    </message>
    <message>
        <location filename="../windows/requests_window.py" line="75" />
        <source>Requests and approvals</source>
        <translation>Anfragen und Freigaben</translation>
    </message>
    <message>
        <location filename="../windows/requests_window.py" line="51" />
        <source>Open requests</source>
        <translation>Offene Anfragen</translation>
    </message>
    <message>
        <location filename="../windows/requests_window.py" line="52" />
        <source>Closed requests</source>
        <translation>Abgeschlossene Anfragen</translation>
    </message>
    <message>
        <location filename="../windows/requests_window.py" line="53" />
        <source>Which requests to list</source>
        <translation>Welche Anfragen angezeigt werden</translation>
    </message>
    <message>
        <location filename="../windows/requests_window.py" line="55" />
        <source>&amp;New request…</source>
        <translation>&amp;Neue Anfrage…</translation>
    </message>
    <message>
        <location filename="../windows/requests_window.py" line="57" />
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location filename="../windows/requests_window.py" line="80" />
        <source>Record a new data-subject request</source>
        <translation>Eine neue Betroffenenanfrage erfassen</translation>
    </message>
    <message>
        <location filename="../windows/requests_window.py" line="79" />
        <source>Load the requests again</source>
        <translation>Die Anfragen neu laden</translation>
    </message>
    <message>
        <location filename="../windows/requests_window.py" line="60" />
        <source>Data-subject requests</source>
        <translation>Betroffenenanfragen</translation>
    </message>
    <message>
        <location filename="../windows/requests_window.py" line="127" />
        <source>Waiting for approval (%1)</source>
        <translation>Warten auf Freigabe (%1)</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/requests_window.py" line="130" />
        <source>%n request(s)</source>
        <translation><numerusform>%n Anfrage</numerusform><numerusform>%n Anfragen</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/requests_window.py" line="131" />
        <source>, %n overdue</source>
        <translation><numerusform>, %n überfällig</numerusform><numerusform>, %n überfällig</numerusform></translation>
    </message>
</context>
<context>
    <name>ObserveWindow</name>
    <message>
        <location filename="../windows/observe_window.py" line="33" />
        <source>Watching a chat — Operator Desk</source>
        <translation>Chat mitlesen — Operator Desk</translation>
    </message>
    <message>
        <location filename="../windows/observe_window.py" line="38" />
        <source>Opening the chat…</source>
        <translation>Chat wird geöffnet…</translation>
    </message>
    <message>
        <location filename="../windows/observe_window.py" line="44" />
        <source>The watched chat, read-only</source>
        <translation>Der mitgelesene Chat, nur lesend</translation>
    </message>
    <message>
        <location filename="../windows/observe_window.py" line="53" />
        <source>This chat cannot be watched.</source>
        <translation>Dieser Chat kann nicht mitgelesen werden.</translation>
    </message>
    <message>
        <location filename="../windows/observe_window.py" line="62" />
        <source>The chat with %1 has ended. Read-only; watching is recorded in the audit log.</source>
        <translation>Der Chat mit %1 ist beendet. Nur lesend; das Mitlesen ist im Prüfprotokoll vermerkt.</translation>
    </message>
    <message>
        <location filename="../windows/observe_window.py" line="64" />
        <source>Watching the chat with %1 (started %2), read-only. Watching is recorded in the audit log.</source>
        <translation>Sie lesen den Chat mit %1 (begonnen %2) mit, nur lesend. Das Mitlesen wird im Prüfprotokoll vermerkt.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="37" />
        <source>Settings — Operator Desk</source>
        <translation>Einstellungen – Operator Desk</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="45" />
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="47" />
        <source>&amp;Server address:</source>
        <translation>&amp;Serveradresse:</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="48" />
        <source>Used at the next sign-in. Use wss:// for servers on other computers.</source>
        <translation>Gilt ab der nächsten Anmeldung. Verwenden Sie wss:// für Server auf anderen Computern.</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="53" />
        <source>Company certificate authority file</source>
        <translation>Datei der Zertifizierungsstelle des Unternehmens</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="54" />
        <source>None: only the system's certificate authorities</source>
        <translation>Keine: nur die Zertifizierungsstellen des Systems</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="55" />
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="56" />
        <source>Choose the certificate authority file</source>
        <translation>Datei der Zertifizierungsstelle wählen</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="61" />
        <source>Company &amp;CA file:</source>
        <translation>&amp;CA-Datei des Unternehmens:</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="62" />
        <source>A PEM file from your administrator, when the server's certificate is signed by your company's own certificate authority. Used from the next start.</source>
        <translation>Eine PEM-Datei von Ihrer Administration, wenn das Zertifikat des Servers von der eigenen Zertifizierungsstelle Ihres Unternehmens signiert ist. Gilt ab dem nächsten Start.</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="68" />
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="72" />
        <source>Show a desktop notification for new chats when the window is not active</source>
        <translation>Bei neuen Chats eine Desktop-Benachrichtigung zeigen, wenn das Fenster nicht aktiv ist</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="75" />
        <source>Desktop notifications for new chats</source>
        <translation>Desktop-Benachrichtigungen für neue Chats</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="83" />
        <source>Notifications</source>
        <translation>Benachrichtigungen</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="87" />
        <source>Close the tab of an ended chat by itself once another tab is in front</source>
        <translation>Den Tab eines beendeten Chats von selbst schließen, sobald ein anderer Tab vorne ist</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="94" />
        <source>Chats</source>
        <translation>Chats</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="99" />
        <location filename="../dialogs/settings_dialog.py" line="123" />
        <source>Canned responses</source>
        <translation>Textvorlagen</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="100" />
        <source>Keyword</source>
        <translation>Stichwort</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="100" />
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="107" />
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="108" />
        <source>Add a canned response</source>
        <translation>Textvorlage hinzufügen</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="110" />
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="111" />
        <source>Remove the selected canned response</source>
        <translation>Gewählte Textvorlage entfernen</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="117" />
        <source>Type / and the keyword in a chat to insert the text.</source>
        <translation>Tippen Sie im Chat / und das Stichwort, um den Text einzufügen.</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="129" />
        <source> days</source>
        <translation> Tage</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="131" />
        <source>Keep cached transcripts for days</source>
        <translation>Verläufe im Cache so viele Tage behalten</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="133" />
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="135" />
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="139" />
        <source>Keep cached transcripts for:</source>
        <translation>Verläufe im Cache behalten:</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="140" />
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="141" />
        <source>A new language applies at the next start.</source>
        <translation>Eine neue Sprache gilt ab dem nächsten Start.</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="144" />
        <source>Cache and language</source>
        <translation>Cache und Sprache</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="156" />
        <source>Certificate authority file</source>
        <translation>Datei der Zertifizierungsstelle</translation>
    </message>
    <message>
        <location filename="../dialogs/settings_dialog.py" line="157" />
        <source>Certificates (*.pem *.crt);;All files (*)</source>
        <translation>Zertifikate (*.pem *.crt);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Show a desktop notification for new messages in chats that are not in front</source>
        <translation>Bei neuen Nachrichten in Chats, die nicht vorn sind, eine Desktop-Benachrichtigung zeigen</translation>
    </message>
    <message>
        <source>Desktop notifications for new messages</source>
        <translation>Desktop-Benachrichtigungen für neue Nachrichten</translation>
    </message>
    <message>
        <source>Show the message's words in the notification</source>
        <translation>Den Wortlaut der Nachricht in der Benachrichtigung zeigen</translation>
    </message>
    <message>
        <source>Off: the notification says who wrote and "New message". Anyone who sees your screen can read a notification; its words are never shown while the screen is locked.</source>
        <translation>Aus: Die Benachrichtigung nennt nur, wer geschrieben hat, und „Neue Nachricht“. Wer Ihren Bildschirm sieht, kann eine Benachrichtigung lesen; bei gesperrtem Bildschirm wird der Wortlaut nie gezeigt.</translation>
    </message>
    <message>
        <source>Sound for new chats and messages</source>
        <translation>Ton bei neuen Chats und Nachrichten</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>&amp;Anhören</translation>
    </message>
    <message>
        <source>Play the chosen sound</source>
        <translation>Den gewählten Ton abspielen</translation>
    </message>
    <message>
        <source>S&amp;ound:</source>
        <translation>&amp;Ton:</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>System bell</source>
        <translation>Systemklingel</translation>
    </message>
    <message>
        <source>Chime</source>
        <translation>Gong</translation>
    </message>
    <message>
        <source>Ping</source>
        <translation>Ping</translation>
    </message>
</context>
<context>
    <name>SubjectsWindow</name>
    <message>
        <location filename="../windows/subjects_window.py" line="31" />
        <source>People — Operator Desk</source>
        <translation>Personen — Operator Desk</translation>
    </message>
    <message>
        <location filename="../windows/subjects_window.py" line="37" />
        <source>Export bundle…</source>
        <translation>Export-Paket…</translation>
    </message>
    <message>
        <location filename="../windows/subjects_window.py" line="40" />
        <source>New request for this person…</source>
        <translation>Neue Anfrage für diese Person…</translation>
    </message>
    <message>
        <location filename="../windows/subjects_window.py" line="41" />
        <source>Record a data-subject request for this person</source>
        <translation>Eine Betroffenenanfrage für diese Person erfassen</translation>
    </message>
    <message>
        <location filename="../windows/subjects_window.py" line="43" />
        <source>Exports are recorded in the audit logs with your name. To erase someone, record their request: the erasure is approved by a second supervisor.</source>
        <translation>Exporte werden mit Ihrem Namen in den Prüfprotokollen festgehalten. Um jemanden zu löschen, erfassen Sie die Anfrage: die Löschung gibt ein zweiter Supervisor frei.</translation>
    </message>
    <message>
        <location filename="../windows/subjects_window.py" line="91" />
        <source>Bundle written to %1 (manifest SHA-256 %2…).</source>
        <translation>Paket geschrieben nach %1 (Manifest-SHA-256 %2…).</translation>
    </message>
    <message>
        <location filename="../windows/subjects_window.py" line="38" />
        <source>Export everything held about this person</source>
        <translation>Alles über diese Person Gespeicherte exportieren</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/subjects_window.py" line="68" />
        <location filename="../windows/subjects_window.py" line="74" />
        <source>%n person(s) found</source>
        <translation>
            <numerusform>%n Person gefunden</numerusform>
            <numerusform>%n Personen gefunden</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TranscriptModel</name>
    <message>
        <location filename="../models/transcript_model.py" line="114" />
        <source>sending…</source>
        <translation>wird gesendet…</translation>
    </message>
    <message>
        <location filename="../models/transcript_model.py" line="114" />
        <source>delivered</source>
        <translation>zugestellt</translation>
    </message>
</context>
<context>
    <name>TranscriptView</name>
    <message>
        <location filename="../widgets/transcript_view.py" line="120" />
        <source>Chat transcript</source>
        <translation>Chatverlauf</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_view.py" line="121" />
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
</context>
<context>
    <name>TranscriptsWindow</name>
    <message>
        <location filename="../windows/transcripts_window.py" line="42" />
        <source>Transcripts — Operator Desk</source>
        <translation>Verläufe – Operator Desk</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="48" />
        <source>Words in the messages (leave empty for all)</source>
        <translation>Wörter in den Nachrichten (leer lassen für alle)</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="49" />
        <source>Search text</source>
        <translation>Suchtext</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="51" />
        <source>From</source>
        <translation>Ab</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="52" />
        <source>Limit to chats from a date</source>
        <translation>Auf Chats ab einem Datum beschränken</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="55" />
        <source>From date</source>
        <translation>Ab Datum</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="58" />
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="59" />
        <source>Search transcripts</source>
        <translation>Verläufe durchsuchen</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="61" />
        <source>Load more</source>
        <translation>Mehr laden</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="62" />
        <source>Load more results</source>
        <translation>Weitere Ergebnisse laden</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="67" />
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="68" />
        <source>Visitor</source>
        <translation>Besucher</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="69" />
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="70" />
        <location filename="../windows/transcripts_window.py" line="82" />
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="71" />
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="72" />
        <source>Transcripts found</source>
        <translation>Gefundene Verläufe</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="84" />
        <source>Details</source>
        <translation>Angaben</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="122" />
        <source>Waiting</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="122" />
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="122" />
        <source>Closed</source>
        <translation>Geschlossen</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/transcripts_window.py" line="152" />
        <source>%n chat(s) listed</source>
        <translation>
            <numerusform>%n Chat aufgelistet</numerusform>
            <numerusform>%n Chats aufgelistet</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="69" />
        <source>Visitor: name, e-mail or id</source>
        <translation>Besucher: Name, E-Mail oder Kennung</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="74" />
        <source>Any operator</source>
        <translation>Jeder Operator</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="80" />
        <source>To</source>
        <translation>Bis</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="81" />
        <source>Limit to chats up to a date</source>
        <translation>Auf Chats bis zu einem Datum beschränken</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="82" />
        <source>To date</source>
        <translation>Bis Datum</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="84" />
        <source>Any state</source>
        <translation>Jeder Zustand</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="86" />
        <location filename="../windows/transcripts_window.py" line="87" />
        <source>Details collected</source>
        <translation>Angaben erhoben</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="87" />
        <source>With or without details</source>
        <translation>Mit oder ohne Angaben</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="88" />
        <source>No details collected</source>
        <translation>Keine Angaben erhoben</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="89" />
        <source>Order</source>
        <translation>Reihenfolge</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="90" />
        <source>Newest first</source>
        <translation>Neueste zuerst</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="90" />
        <source>Oldest first</source>
        <translation>Älteste zuerst</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="91" />
        <source>Most messages first</source>
        <translation>Meiste Nachrichten zuerst</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="92" />
        <source>Fewest messages first</source>
        <translation>Wenigste Nachrichten zuerst</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="283" />
        <source>Saved %1</source>
        <translation>Gespeichert: %1</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="288" />
        <source>Save transcript as PDF</source>
        <translation>Verlauf als PDF speichern</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="290" />
        <source>PDF documents (*.pdf)</source>
        <translation>PDF-Dokumente (*.pdf)</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="109" />
        <source>Match</source>
        <translation>Treffer</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="110" />
        <source>collected</source>
        <translation>erhoben</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="126" />
        <source>&amp;Print…</source>
        <translation>&amp;Drucken…</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="170" />
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="170" />
        <source>This desk</source>
        <translation>Dieser Desk</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="233" />
        <source>The server cannot be reached: these are the transcripts this desk's cache holds.</source>
        <translation>Der Server ist nicht erreichbar: Das sind die Verläufe im Cache dieses Desks.</translation>
    </message>
    <message>
        <location filename="../windows/transcripts_window.py" line="236" />
        <source>From the server and this desk's cache, each chat once.</source>
        <translation>Vom Server und aus dem Cache dieses Desks, jeder Chat einmal.</translation>
    </message>
    <message>
        <location filename="../work/wt/review/src/operator_desk/ui/windows/transcripts_window.py" line="110" />
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <location filename="../work/wt/review/src/operator_desk/ui/windows/transcripts_window.py" line="172" />
        <source>Both</source>
        <translation>Beide</translation>
    </message>
    <message>
        <location filename="../work/wt/review/src/operator_desk/ui/windows/transcripts_window.py" line="175" />
        <source>Found on the server</source>
        <translation>Auf dem Server gefunden</translation>
    </message>
    <message>
        <location filename="../work/wt/review/src/operator_desk/ui/windows/transcripts_window.py" line="176" />
        <source>Found in this desk's cache only</source>
        <translation>Nur im Cache dieses Desks gefunden</translation>
    </message>
    <message>
        <location filename="../work/wt/review/src/operator_desk/ui/windows/transcripts_window.py" line="177" />
        <source>Found on the server and in this desk's cache</source>
        <translation>Auf dem Server und im Cache dieses Desks gefunden</translation>
    </message>
</context>
<context>
    <name>VisitorListPanel</name>
    <message>
        <location filename="../widgets/visitor_list.py" line="29" />
        <source>Filter visitors (name, page, company…)</source>
        <translation>Besucher filtern (Name, Seite, Firma…)</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_list.py" line="30" />
        <source>Filter visitors</source>
        <translation>Besucher filtern</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_list.py" line="33" />
        <source>Show visitors in state</source>
        <translation>Besucher in diesem Status zeigen</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_list.py" line="34" />
        <source>All states</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_list.py" line="35" />
        <source>Waiting</source>
        <translation>Wartend</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_list.py" line="36" />
        <source>Chatting</source>
        <translation>Im Chat</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_list.py" line="37" />
        <source>Browsing</source>
        <translation>Surft</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_list.py" line="44" />
        <source>Visitors on the site</source>
        <translation>Besucher auf der Website</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/visitor_list.py" line="102" />
        <source>%n visitor(s)</source>
        <translation>
            <numerusform>%n Besucher</numerusform>
            <numerusform>%n Besucher</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/visitor_list.py" line="104" />
        <source>%1 of %2 shown</source>
        <translation>%1 von %2 angezeigt</translation>
    </message>
</context>
<context>
    <name>VisitorPanel</name>
    <message>
        <location filename="../widgets/visitor_panel.py" line="63" />
        <source>Visitor details</source>
        <translation>Besucherdetails</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="67" />
        <source>Select a visitor or a chat to see their details.</source>
        <translation>Wählen Sie einen Besucher oder Chat, um Details zu sehen.</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="77" />
        <source>Visitor</source>
        <translation>Besucher</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="79" />
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="80" />
        <source>State:</source>
        <translation>Status:</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="81" />
        <source>Page:</source>
        <translation>Seite:</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="82" />
        <source>On site:</source>
        <translation>Auf der Website:</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="83" />
        <source>Language:</source>
        <translation>Sprache:</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="85" />
        <source>Visitor insights</source>
        <translation>Besucherinformationen</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="95" />
        <source>Location:</source>
        <translation>Standort:</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="96" />
        <source>Company:</source>
        <translation>Firma:</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="97" />
        <source>IP address:</source>
        <translation>IP-Adresse:</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="98" />
        <source>Visits:</source>
        <translation>Besuche:</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="102" />
        <location filename="../widgets/visitor_panel.py" line="103" />
        <source>Consent timeline</source>
        <translation>Einwilligungsverlauf</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="105" />
        <location filename="../widgets/visitor_panel.py" line="107" />
        <source>Details asked for</source>
        <translation>Angefragte Angaben</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="122" />
        <source>Browsing</source>
        <translation>Surft</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="123" />
        <source>Waiting for an operator</source>
        <translation>Wartet auf einen Operator</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="124" />
        <source>Chatting</source>
        <translation>Im Chat</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="125" />
        <source>Left the site</source>
        <translation>Hat die Website verlassen</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/visitor_panel.py" line="154" />
        <source>%1, %n page(s)</source>
        <translation>
            <numerusform>%1, %n Seite</numerusform>
            <numerusform>%1, %n Seiten</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="156" />
        <source>not given</source>
        <translation>nicht angegeben</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="165" />
        <source>No consent: this visitor has not agreed to share location, company, IP address and visit history.</source>
        <translation>Keine Einwilligung: Dieser Besucher hat der Weitergabe von Standort, Firma, IP-Adresse und Besuchsverlauf nicht zugestimmt.</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="169" />
        <source>No consent</source>
        <translation>Keine Einwilligung</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="170" />
        <source>Shown only with the visitor's consent to visitor insights</source>
        <translation>Nur mit Einwilligung des Besuchers in Besucherinformationen sichtbar</translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="178" />
        <location filename="../widgets/visitor_panel.py" line="179" />
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/visitor_panel.py" line="182" />
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n Besuch</numerusform>
            <numerusform>%n Besuche</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/visitor_panel.py" line="184" />
        <source>%1, first seen %2</source>
        <translation>%1, zuerst gesehen %2</translation>
    </message>
</context>
<context>
    <name>VisitorTableModel</name>
    <message>
        <location filename="../models/visitor_model.py" line="135" />
        <source>This page, now</source>
        <translation>Nur diese Seite, jetzt</translation>
    </message>
    <message>
        <location filename="../models/visitor_columns.py" line="88" />
        <source>Visitor</source>
        <translation>Besucher</translation>
    </message>
    <message>
        <location filename="../models/visitor_columns.py" line="92" />
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../models/visitor_columns.py" line="96" />
        <source>Current page</source>
        <translation>Aktuelle Seite</translation>
    </message>
    <message>
        <location filename="../models/visitor_columns.py" line="101" />
        <source>On site</source>
        <translation>Verweildauer</translation>
    </message>
    <message>
        <location filename="../models/visitor_columns.py" line="107" />
        <source>Pages</source>
        <translation>Seiten</translation>
    </message>
    <message>
        <location filename="../models/visitor_columns.py" line="112" />
        <source>Location</source>
        <translation>Standort</translation>
    </message>
    <message>
        <location filename="../models/visitor_columns.py" line="117" />
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../models/visitor_columns.py" line="122" />
        <source>IP address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <location filename="../models/visitor_columns.py" line="127" />
        <source>Consent</source>
        <translation>Einwilligung</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="122" />
        <source>Browsing</source>
        <translation>Surft</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="123" />
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="124" />
        <source>Chatting</source>
        <translation>Im Chat</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="125" />
        <source>Left</source>
        <translation>Gegangen</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="129" />
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="138" />
        <source>No consent</source>
        <translation>Keine Einwilligung</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="142" />
        <source>No consent: the visitor has not agreed to share location, company and IP address (visitor insights).</source>
        <translation>Keine Einwilligung: Der Besucher hat der Weitergabe von Standort, Firma und IP-Adresse nicht zugestimmt (Besucherinformationen).</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="148" />
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="149" />
        <source>Insights</source>
        <translation>Infos</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="150" />
        <source>Details</source>
        <translation>Angaben</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="151" />
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="154" />
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="158" />
        <source>Chat (name, e-mail, transcript)</source>
        <translation>Chat (Name, E-Mail, Verlauf)</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="159" />
        <source>Visitor insights (location, company, IP, visits)</source>
        <translation>Besucherinformationen (Standort, Firma, IP, Besuche)</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="160" />
        <source>Contact details on request</source>
        <translation>Kontaktangaben auf Anfrage</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="161" />
        <source>Typing preview</source>
        <translation>Tippvorschau</translation>
    </message>
    <message>
        <location filename="../models/visitor_model.py" line="282" />
        <source>Shown only with the visitor's consent to visitor insights</source>
        <translation>Nur mit Einwilligung des Besuchers in Besucherinformationen sichtbar</translation>
    </message>
</context>
<context>
    <name>cache_opening</name>
    <message>
        <location filename="../flows/cache_opening.py" line="79" />
        <source>That passphrase does not open the cache. Try again.</source>
        <translation>Diese Passphrase öffnet den Cache nicht. Bitte erneut versuchen.</translation>
    </message>
    <message>
        <location filename="../flows/cache_opening.py" line="92" />
        <source>The local cache cannot be opened with the key in your keyring.</source>
        <translation>Der lokale Cache lässt sich mit dem Schlüssel in Ihrem Schlüsselbund nicht öffnen.</translation>
    </message>
    <message>
        <location filename="../flows/cache_opening.py" line="96" />
        <source>The local cache is damaged.</source>
        <translation>Der lokale Cache ist beschädigt.</translation>
    </message>
    <message>
        <location filename="../flows/cache_opening.py" line="99" />
        <source>The local cache is in use, probably by another copy of Operator Desk with this profile.</source>
        <translation>Der lokale Cache wird gerade benutzt, vermutlich von einer weiteren Kopie von Operator Desk mit diesem Profil.</translation>
    </message>
    <message>
        <location filename="../flows/cache_opening.py" line="104" />
        <source>The local cache was written by a newer version of Operator Desk.</source>
        <translation>Der lokale Cache wurde von einer neueren Version von Operator Desk geschrieben.</translation>
    </message>
    <message>
        <location filename="../flows/cache_opening.py" line="108" />
        <source>The local cache cannot be opened (%1).</source>
        <translation>Der lokale Cache lässt sich nicht öffnen (%1).</translation>
    </message>
    <message>
        <location filename="../flows/cache_opening.py" line="120" />
        <source>Local cache</source>
        <translation>Lokaler Cache</translation>
    </message>
    <message>
        <location filename="../flows/cache_opening.py" line="122" />
        <source>You can go on without a local cache this time: chats work, but nothing is kept on this computer.</source>
        <translation>Sie können diesmal ohne lokalen Cache weiterarbeiten: Chats funktionieren, aber auf diesem Computer wird nichts gespeichert.</translation>
    </message>
    <message>
        <location filename="../flows/cache_opening.py" line="125" />
        <source>Start a fresh cache (keep the old file aside)</source>
        <translation>Neuen Cache anlegen (alte Datei beiseitelegen)</translation>
    </message>
    <message>
        <location filename="../flows/cache_opening.py" line="128" />
        <source>Continue without a local cache</source>
        <translation>Ohne lokalen Cache fortfahren</translation>
    </message>
    <message>
        <location filename="../flows/cache_opening.py" line="130" />
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
</context>
<context>
    <name>cases</name>
    <message>
        <location filename="../case_words.py" line="21" />
        <source>Access (a copy of the data)</source>
        <translation>Auskunft (eine Kopie der Daten)</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="22" />
        <source>Portability (data to take away)</source>
        <translation>Übertragbarkeit (Daten zum Mitnehmen)</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="23" />
        <source>Erasure</source>
        <translation>Löschung</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="24" />
        <source>Rectification</source>
        <translation>Berichtigung</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="25" />
        <source>Objection</source>
        <translation>Widerspruch</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="31" />
        <source>Confirmed from the e-mail address on record</source>
        <translation>Über die gespeicherte E-Mail-Adresse bestätigt</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="33" />
        <source>Asked in their own chat session</source>
        <translation>In der eigenen Chat-Sitzung gefragt</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="34" />
        <source>Identity document seen (not kept)</source>
        <translation>Ausweis gesehen (nicht aufbewahrt)</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="35" />
        <source>Known customer</source>
        <translation>Bekannte Kundin/bekannter Kunde</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="36" />
        <source>Other (see the note)</source>
        <translation>Anders (siehe Notiz)</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="44" />
        <source>Fulfilled</source>
        <translation>Erfüllt</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="45" />
        <source>Partly fulfilled</source>
        <translation>Teilweise erfüllt</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="46" />
        <source>Refused</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="47" />
        <source>No data held</source>
        <translation>Keine Daten vorhanden</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="48" />
        <source>Withdrawn by the person</source>
        <translation>Von der Person zurückgezogen</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="54" />
        <source>Request recorded</source>
        <translation>Anfrage erfasst</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="55" />
        <source>Person found</source>
        <translation>Person gefunden</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="56" />
        <source>Deadline extended</source>
        <translation>Frist verlängert</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="57" />
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="58" />
        <source>Data exported</source>
        <translation>Daten exportiert</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="59" />
        <source>Export bundle written</source>
        <translation>Export-Paket geschrieben</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="60" />
        <source>Answer sent to the person</source>
        <translation>Antwort an die Person versendet</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="61" />
        <source>Second approval requested</source>
        <translation>Zweite Freigabe beantragt</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="62" />
        <location filename="../case_words.py" line="73" />
        <source>Approved</source>
        <translation>Freigegeben</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="63" />
        <location filename="../case_words.py" line="74" />
        <source>Rejected</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="64" />
        <source>Approval request expired</source>
        <translation>Freigabeantrag verfallen</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="65" />
        <source>Data erased</source>
        <translation>Daten gelöscht</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="66" />
        <source>Closed</source>
        <translation>Abgeschlossen</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="72" />
        <source>Waiting for approval</source>
        <translation>Wartet auf Freigabe</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="75" />
        <source>Expired</source>
        <translation>Verfallen</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="81" />
        <source>Erase</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="82" />
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="90" />
        <source>Erased</source>
        <translation>Gelöscht</translation>
    </message>
    <message>
        <location filename="../case_words.py" line="92" />
        <source>Not found yet</source>
        <translation>Noch nicht gefunden</translation>
    </message>
</context>
<context>
    <name>TeamWindow</name>
    <message>
        <location filename="../windows/team_window.py" line="48" />
        <source>The team — Operator Desk</source>
        <translation>Das Team — Operator Desk</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="56" />
        <location filename="../windows/team_window.py" line="65" />
        <location filename="../windows/team_window.py" line="134" />
        <location filename="../windows/team_window.py" line="151" />
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="57" />
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="58" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="59" />
        <source>Open chats</source>
        <translation>Offene Chats</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="60" />
        <source>Operators</source>
        <translation>Operatoren</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="63" />
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="64" />
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="66" />
        <source>Visitor</source>
        <translation>Besucher</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="67" />
        <source>Waiting for</source>
        <translation>Wartet seit</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="69" />
        <source>Live chats</source>
        <translation>Laufende Chats</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="74" />
        <source>&amp;Watch chat</source>
        <translation>Chat &amp;mitlesen</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="75" />
        <source>Watch the selected chat read-only</source>
        <translation>Den gewählten Chat nur lesend mitlesen</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="76" />
        <source>Opens the chat read-only; watching is recorded in the audit log.</source>
        <translation>Öffnet den Chat nur lesend; das Mitlesen wird im Prüfprotokoll vermerkt.</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="79" />
        <source>&amp;Refresh</source>
        <translation>&amp;Aktualisieren</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="80" />
        <source>Refresh the team's status</source>
        <translation>Den Stand des Teams aktualisieren</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="85" />
        <source>Operators online</source>
        <translation>Operatoren online</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="87" />
        <source>Queue and live chats</source>
        <translation>Warteschlange und laufende Chats</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="103" />
        <source>Now</source>
        <translation>Jetzt</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="104" />
        <source>Daily report</source>
        <translation>Tagesbericht</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="114" />
        <source>Report period</source>
        <translation>Berichtszeitraum</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/team_window.py" line="116" />
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>Letzter %n Tag</numerusform>
            <numerusform>Letzte %n Tage</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="121" />
        <source>Chats per day</source>
        <translation>Chats pro Tag</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="123" />
        <source>Chats</source>
        <translation>Chats</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="124" />
        <source>Missed</source>
        <translation>Verpasst</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="125" />
        <source>Accept p50</source>
        <translation>Annahme p50</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="126" />
        <source>Accept p95</source>
        <translation>Annahme p95</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="127" />
        <source>Length p50</source>
        <translation>Dauer p50</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="128" />
        <source>Length p95</source>
        <translation>Dauer p95</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="131" />
        <source>Day</source>
        <translation>Tag</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="132" />
        <source>Figures per day</source>
        <translation>Zahlen pro Tag</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="135" />
        <source>Figures per operator</source>
        <translation>Zahlen pro Operator</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="151" />
        <source>Team lead</source>
        <translation>Teamleitung</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="152" />
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="155" />
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="155" />
        <source>Active</source>
        <translation>Aktiv</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/team_window.py" line="161" />
        <source>Online (%n desk(s))</source>
        <translation>
            <numerusform>Online (%n Desk)</numerusform>
            <numerusform>Online (%n Desks)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="162" />
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="174" />
        <source>%1 chats, %2 accepted, %3 missed. Time to accept: half within %4, 95 in 100 within %5. Chat length: half within %6.</source>
        <translation>%1 Chats, %2 angenommen, %3 verpasst. Zeit bis zur Annahme: die Hälfte binnen %4, 95 von 100 binnen %5. Chatdauer: die Hälfte binnen %6.</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/team_window.py" line="207" />
        <source>%n waiting, the longest for %1</source>
        <translation>
            <numerusform>%n wartet, am längsten seit %1</numerusform>
            <numerusform>%n warten, am längsten seit %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="210" />
        <source>Nobody is waiting.</source>
        <translation>Niemand wartet.</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/team_window.py" line="212" />
        <source>%n operator(s) online</source>
        <translation>
            <numerusform>%n Operator online</numerusform>
            <numerusform>%n Operatoren online</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="62" />
        <source>Chat limit</source>
        <translation>Chat-Limit</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="121" />
        <source>Chat limit of the selected operator</source>
        <translation>Chat-Limit des gewählten Operators</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="122" />
        <source>Chat &amp;limit:</source>
        <translation>Chat-&amp;Limit:</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="124" />
        <source>&amp;Set limit</source>
        <translation>Limit &amp;setzen</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="125" />
        <source>Set the selected operator's chat limit</source>
        <translation>Das Chat-Limit des gewählten Operators setzen</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="127" />
        <source>Use the site's limit</source>
        <translation>Limit der Website verwenden</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="128" />
        <source>Give the selected operator the site's chat limit</source>
        <translation>Dem gewählten Operator das Chat-Limit der Website geben</translation>
    </message>
    <message>
        <location filename="../windows/team_window.py" line="201" />
        <source>%1 (site)</source>
        <translation>%1 (Website)</translation>
    </message>
</context>
<context>
    <name>detail_notes</name>
    <message>
        <location filename="../models/detail_notes.py" line="27" />
        <source>Details requested: %1 (privacy notice %2, version %3)</source>
        <translation>Angaben angefragt: %1 (Datenschutzhinweis %2, Version %3)</translation>
    </message>
    <message>
        <location filename="../models/detail_notes.py" line="33" />
        <source>The visitor agreed and shared: %1 (see the visitor panel)</source>
        <translation>Der Besucher hat zugestimmt und angegeben: %1 (siehe Besucherdetails)</translation>
    </message>
    <message>
        <location filename="../models/detail_notes.py" line="37" />
        <source>The visitor declined to share the details.</source>
        <translation>Der Besucher hat die Angaben abgelehnt.</translation>
    </message>
</context>
<context>
    <name>failures</name>
    <message>
        <location filename="../failures.py" line="13" />
        <source>This request has changed meanwhile (it may be closed, extended or decided already, or the approval request expired). The list shows it as it is now.</source>
        <translation>Diese Anfrage hat sich inzwischen geändert (vielleicht ist sie schon abgeschlossen, verlängert oder entschieden, oder der Freigabeantrag ist verfallen). Die Liste zeigt sie jetzt, wie sie ist.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="17" />
        <source>The chat server cannot be reached. Check the server address and your network; the desk keeps trying.</source>
        <translation>Der Chat-Server ist nicht erreichbar. Prüfen Sie die Serveradresse und Ihr Netzwerk; der Desk versucht es weiter.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="20" />
        <source>The user name or password is wrong. Check them and try again.</source>
        <translation>Benutzername oder Passwort ist falsch. Bitte prüfen und erneut versuchen.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="22" />
        <source>Your session has ended (signed out elsewhere or expired). Please sign in again.</source>
        <translation>Ihre Sitzung ist beendet (anderswo abgemeldet oder abgelaufen). Bitte melden Sie sich erneut an.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="24" />
        <source>Too many attempts. Wait a minute, then try again.</source>
        <translation>Zu viele Versuche. Warten Sie eine Minute und versuchen Sie es dann erneut.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="26" />
        <source>The server address uses an unencrypted connection (ws://) to another computer. Use wss://, or start the desk with --allow-insecure if you really mean it.</source>
        <translation>Die Serveradresse nutzt eine unverschlüsselte Verbindung (ws://) zu einem anderen Computer. Verwenden Sie wss:// oder starten Sie den Desk mit --allow-insecure, wenn Sie das wirklich wollen.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="29" />
        <source>The server's certificate could not be verified, so the connection was refused. Ask your administrator to check the server certificate.</source>
        <translation>Das Zertifikat des Servers konnte nicht geprüft werden, daher wurde die Verbindung abgelehnt. Bitten Sie Ihre Administration, das Serverzertifikat zu prüfen.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="32" />
        <source>Your role does not allow this action.</source>
        <translation>Ihre Rolle erlaubt diese Aktion nicht.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="34" />
        <source>This no longer exists (it may have been closed or erased).</source>
        <translation>Das gibt es nicht mehr (es wurde vielleicht geschlossen oder gelöscht).</translation>
    </message>
    <message>
        <location filename="../failures.py" line="36" />
        <source>Another operator was quicker: this chat has already been taken.</source>
        <translation>Jemand anderes war schneller: Dieser Chat wurde bereits angenommen.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="38" />
        <source>The visitor has not given the consent this needs.</source>
        <translation>Der Besucher hat die dafür nötige Einwilligung nicht gegeben.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="40" />
        <source>The server did not accept this request (it may be too long or incomplete).</source>
        <translation>Der Server hat diese Anfrage nicht angenommen (sie ist vielleicht zu lang oder unvollständig).</translation>
    </message>
    <message>
        <location filename="../failures.py" line="42" />
        <source>This site needs a second supervisor to approve this: request the approval.</source>
        <translation>Auf dieser Website muss ein zweiter Supervisor das freigeben: beantragen Sie die Freigabe.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="44" />
        <source>Sign in first.</source>
        <translation>Melden Sie sich zuerst an.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="45" />
        <source>A file or folder of that name exists already: choose another name.</source>
        <translation>Eine Datei oder ein Ordner dieses Namens existiert bereits: wählen Sie einen anderen Namen.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="47" />
        <source>The files could not be written (is the disk full, or the folder not yours?). Nothing was left behind.</source>
        <translation>Die Dateien konnten nicht geschrieben werden (ist die Festplatte voll, oder gehört der Ordner nicht Ihnen?). Es blieb nichts zurück.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="50" />
        <source>The local cache could not be opened or written. Chats still work, but nothing is kept on this computer. Is another copy of the desk running with this profile?</source>
        <translation>Der lokale Cache konnte nicht geöffnet oder beschrieben werden. Chats funktionieren weiter, aber auf diesem Computer wird nichts gespeichert. Läuft eine weitere Kopie des Desks mit diesem Profil?</translation>
    </message>
    <message>
        <location filename="../failures.py" line="53" />
        <source>Something went wrong on the server; nothing was changed. Try again in a moment.</source>
        <translation>Auf dem Server ist etwas schiefgegangen; es wurde nichts geändert. Versuchen Sie es gleich noch einmal.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="61" />
        <source>Something went wrong (%1).</source>
        <translation>Etwas ist schiefgegangen (%1).</translation>
    </message>
    <message>
        <location filename="../failures.py" line="75" />
        <source>Could not sign in</source>
        <translation>Anmeldung fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../failures.py" line="76" />
        <source>Could not accept the chat</source>
        <translation>Chat konnte nicht angenommen werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="77" />
        <source>Could not send the message</source>
        <translation>Nachricht konnte nicht gesendet werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="78" />
        <source>Could not end the chat</source>
        <translation>Chat konnte nicht beendet werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="79" />
        <source>Could not request details</source>
        <translation>Angaben konnten nicht angefragt werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="80" />
        <source>Could not search transcripts</source>
        <translation>Verläufe konnten nicht durchsucht werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="81" />
        <source>Could not open the transcript</source>
        <translation>Verlauf konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="82" />
        <source>Could not find people</source>
        <translation>Personen konnten nicht gesucht werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="83" />
        <source>Could not export</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../failures.py" line="84" />
        <source>Could not erase</source>
        <translation>Löschen fehlgeschlagen</translation>
    </message>
    <message>
        <location filename="../failures.py" line="85" />
        <source>Could not record the request</source>
        <translation>Die Anfrage konnte nicht erfasst werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="86" />
        <source>Could not list the requests</source>
        <translation>Die Anfragen konnten nicht geladen werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="87" />
        <source>Could not read the request</source>
        <translation>Die Anfrage konnte nicht gelesen werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="88" />
        <source>Could not link the person</source>
        <translation>Die Person konnte nicht zugeordnet werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="89" />
        <source>Could not extend the deadline</source>
        <translation>Die Frist konnte nicht verlängert werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="90" />
        <source>Could not record the step</source>
        <translation>Der Schritt konnte nicht festgehalten werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="91" />
        <source>Could not close the request</source>
        <translation>Die Anfrage konnte nicht abgeschlossen werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="92" />
        <source>Could not list the approvals</source>
        <translation>Die Freigaben konnten nicht geladen werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="93" />
        <source>Could not request the approval</source>
        <translation>Die Freigabe konnte nicht beantragt werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="94" />
        <source>Could not record the decision</source>
        <translation>Die Entscheidung konnte nicht festgehalten werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="95" />
        <source>Could not write the export bundle</source>
        <translation>Das Export-Paket konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="96" />
        <source>Local cache</source>
        <translation>Lokaler Cache</translation>
    </message>
    <message>
        <location filename="../failures.py" line="97" />
        <source>Something did not work</source>
        <translation>Etwas hat nicht funktioniert</translation>
    </message>
    <message>
        <location filename="../failures.py" line="96" />
        <source>Could not save the team's canned response</source>
        <translation>Die Team-Textvorlage konnte nicht gespeichert werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="97" />
        <source>Could not remove the team's canned response</source>
        <translation>Die Team-Textvorlage konnte nicht entfernt werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="99" />
        <source>Could not list the undelivered events</source>
        <translation>Die nicht zugestellten Ereignisse konnten nicht geladen werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="101" />
        <source>Could not queue the event again</source>
        <translation>Das Ereignis konnte nicht erneut eingereiht werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="102" />
        <source>Could not drop the event</source>
        <translation>Das Ereignis konnte nicht verworfen werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="77" />
        <source>Could not change your status</source>
        <translation>Status konnte nicht geändert werden</translation>
    </message>
    <message>
        <source>Could not list the earlier chats</source>
        <translation>Die früheren Chats konnten nicht aufgelistet werden</translation>
    </message>
    <message>
        <source>Could not open the earlier chat</source>
        <translation>Der frühere Chat konnte nicht geöffnet werden</translation>
    </message>
    <message>
        <source>This chat is no longer yours to hand on (it ended, or is someone else's now).</source>
        <translation>Diesen Chat können Sie nicht mehr übergeben (er ist beendet oder gehört jetzt jemand anderem).</translation>
    </message>
    <message>
        <source>Nobody to hand it to: that colleague (or everyone of that team) is signed out. The chat is still yours.</source>
        <translation>Niemand zum Übergeben: Diese Person (oder das ganze Team) ist abgemeldet. Der Chat bleibt bei Ihnen.</translation>
    </message>
    <message>
        <source>That colleague (or everyone of that team) has as many chats open as allowed. The chat is still yours.</source>
        <translation>Diese Person (oder jeder im Team) hat so viele Chats offen wie erlaubt. Der Chat bleibt bei Ihnen.</translation>
    </message>
    <message>
        <source>Could not hand the chat on</source>
        <translation>Der Chat konnte nicht übergeben werden</translation>
    </message>
    <message>
        <source>Could not list your colleagues</source>
        <translation>Die Kolleginnen und Kollegen konnten nicht aufgelistet werden</translation>
    </message>
    <message>
        <location filename="../failures.py" line="41" />
        <source>You have as many chats open as your chat limit allows: end one first.</source>
        <translation>Sie haben so viele Chats offen, wie Ihr Chat-Limit erlaubt: Beenden Sie zuerst einen.</translation>
    </message>
    <message>
        <location filename="../failures.py" line="89" />
        <source>Could not change the chat limit</source>
        <translation>Chat-Limit konnte nicht geändert werden</translation>
    </message>
</context>
<context>
    <name>TranscriptReader</name>
    <message>
        <location filename="../widgets/transcript_reader.py" line="60" />
        <source>Select a chat to read it. Opening a transcript is recorded in the audit log of the server and of this desk.</source>
        <translation>Wählen Sie einen Chat, um ihn zu lesen. Das Öffnen eines Verlaufs wird im Prüfprotokoll des Servers und dieses Desks vermerkt.</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="75" />
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="76" />
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="77" />
        <location filename="../widgets/transcript_reader.py" line="121" />
        <source>Rating</source>
        <translation>Bewertung</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="78" />
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="82" />
        <location filename="../widgets/transcript_reader.py" line="221" />
        <location filename="../widgets/transcript_reader.py" line="223" />
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="86" />
        <location filename="../widgets/transcript_reader.py" line="87" />
        <source>Consents</source>
        <translation>Einwilligungen</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="88" />
        <source>Details</source>
        <translation>Angaben</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="89" />
        <location filename="../widgets/transcript_reader.py" line="242" />
        <source>Reviews</source>
        <translation>Bewertungen</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="91" />
        <source>Save as &amp;PDF…</source>
        <translation>Als &amp;PDF speichern…</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="92" />
        <source>Save the transcript as PDF</source>
        <translation>Den Verlauf als PDF speichern</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="93" />
        <source>P&amp;rint…</source>
        <translation>&amp;Drucken…</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="94" />
        <source>Print the transcript</source>
        <translation>Den Verlauf drucken</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="119" />
        <source>Reviews of this transcript</source>
        <translation>Bewertungen dieses Verlaufs</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="122" />
        <source>No rating</source>
        <translation>Keine Bewertung</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="126" />
        <source>A note for the team: what went well, what to change</source>
        <translation>Eine Notiz für das Team: was gut lief, was besser werden soll</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="127" />
        <source>Review note</source>
        <translation>Notiz zur Bewertung</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="129" />
        <source>&amp;Add review</source>
        <translation>Bewertung &amp;hinzufügen</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="130" />
        <source>Add the review</source>
        <translation>Die Bewertung hinzufügen</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="133" />
        <source>Reviews are kept on the server, seen by team leads and supervisors only, and recorded in the audit log.</source>
        <translation>Bewertungen liegen auf dem Server, nur Teamleitungen und Supervisoren sehen sie, und sie werden im Prüfprotokoll vermerkt.</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="176" />
        <source>from the server</source>
        <translation>vom Server</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="177" />
        <source>from this desk's cache</source>
        <translation>aus dem Cache dieses Desks</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="178" />
        <source>Chat with %1, started %2 (%3). This opening is recorded in the audit log.</source>
        <translation>Chat mit %1, begonnen %2 (%3). Dieses Öffnen wird im Prüfprotokoll vermerkt.</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="192" />
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="196" />
        <source>Consents as recorded for this visitor (this chat does not say when it began in their order).</source>
        <translation>Einwilligungen, wie für diesen Besucher erfasst (dieser Chat sagt nicht, wann er in ihrer Reihenfolge begann).</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="200" />
        <source>In force when the chat began: %1. The chat is still open.</source>
        <translation>Gültig bei Beginn des Chats: %1. Der Chat ist noch offen.</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="202" />
        <source>In force when the chat began: %1. When it closed: %2. Listed: the events recorded up to its close.</source>
        <translation>Gültig bei Beginn des Chats: %1. Bei seinem Ende: %2. Aufgelistet: die bis zu seinem Ende erfassten Ereignisse.</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="215" />
        <source>Transcript of a chat with %1</source>
        <translation>Verlauf eines Chats mit %1</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="217" />
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="218" />
        <source>Started</source>
        <translation>Begonnen</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="219" />
        <source>Closed</source>
        <translation>Beendet</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="220" />
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="226" />
        <source>Consents in force during the chat</source>
        <translation>Während des Chats gültige Einwilligungen</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="229" />
        <source>granted</source>
        <translation>erteilt</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="229" />
        <source>withdrawn</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="230" />
        <source>%1 %2, notice %3 v%4</source>
        <translation>%1 %2, Hinweis %3 v%4</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="233" />
        <source>Details collected</source>
        <translation>Erhobene Angaben</translation>
    </message>
    <message>
        <location filename="../widgets/transcript_reader.py" line="235" />
        <source>None were asked for.</source>
        <translation>Es wurden keine erfragt.</translation>
    </message>
</context>
<context>
    <name>naming</name>
    <message>
        <location filename="../naming.py" line="22" />
        <source>Visitor %1</source>
        <translation>Besucher %1</translation>
    </message>
</context>
<context>
    <name>privacy</name>
    <message>
        <location filename="../models/privacy_models.py" line="25" />
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="26" />
        <source>Visitor insights</source>
        <translation>Besucherinformationen</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="27" />
        <source>Contact details</source>
        <translation>Kontaktangaben</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="28" />
        <source>Typing preview</source>
        <translation>Tippvorschau</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="34" />
        <source>Pre-chat form</source>
        <translation>Formular vor dem Chat</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="35" />
        <source>Details prompt</source>
        <translation>Angabenanfrage</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="36" />
        <source>Widget privacy settings</source>
        <translation>Datenschutzeinstellungen im Widget</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="42" />
        <source>Phone number</source>
        <translation>Telefonnummer</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="43" />
        <source>Postal address</source>
        <translation>Postanschrift</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="44" />
        <source>E-mail address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="45" />
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <location filename="../models/privacy_models.py" line="46" />
        <source>Order reference</source>
        <translation>Bestellnummer</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <location filename="../widgets/status_bar.py" line="26" />
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="27" />
        <source>Team lead</source>
        <translation>Teamleitung</translation>
    </message>
    <message>
        <location filename="../widgets/status_bar.py" line="28" />
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
</context>
<context>
    <name>settings</name>
    <message>
        <location filename="../settings.py" line="24" />
        <source>hi</source>
        <comment>canned response keyword: one word, typed after /</comment>
        <translation>hallo</translation>
    </message>
    <message>
        <location filename="../settings.py" line="25" />
        <source>Hello! How can I help you today?</source>
        <translation>Hallo! Wie kann ich Ihnen heute helfen?</translation>
    </message>
    <message>
        <location filename="../settings.py" line="26" />
        <source>moment</source>
        <comment>canned response keyword: one word, typed after /</comment>
        <translation>moment</translation>
    </message>
    <message>
        <location filename="../settings.py" line="27" />
        <source>One moment please, I'm checking that for you.</source>
        <translation>Einen Moment bitte, ich sehe das für Sie nach.</translation>
    </message>
    <message>
        <location filename="../settings.py" line="28" />
        <source>thanks</source>
        <comment>canned response keyword: one word, typed after /</comment>
        <translation>danke</translation>
    </message>
    <message>
        <location filename="../settings.py" line="29" />
        <source>Thank you for your patience.</source>
        <translation>Vielen Dank für Ihre Geduld.</translation>
    </message>
    <message>
        <location filename="../settings.py" line="30" />
        <source>bye</source>
        <comment>canned response keyword: one word, typed after /</comment>
        <translation>tschüss</translation>
    </message>
    <message>
        <location filename="../settings.py" line="31" />
        <source>Thanks for chatting with us. Have a nice day!</source>
        <translation>Danke für den Chat. Einen schönen Tag noch!</translation>
    </message>
</context>
<context>
    <name>timefmt</name>
    <message>
        <location filename="../timefmt.py" line="50" />
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <location filename="../timefmt.py" line="53" />
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <location filename="../timefmt.py" line="55" />
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
</context>
<context>
    <name>TeamCannedWindow</name>
    <message>
        <location filename="../windows/team_canned_window.py" line="38" />
        <source>Team canned responses — Operator Desk</source>
        <translation>Team-Textvorlagen — Operator Desk</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="45" />
        <location filename="../windows/team_canned_window.py" line="58" />
        <source>Keyword</source>
        <translation>Stichwort</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="46" />
        <location filename="../windows/team_canned_window.py" line="60" />
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="48" />
        <source>Changed</source>
        <translation>Geändert</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="49" />
        <source>Team canned responses</source>
        <translation>Team-Textvorlagen</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="57" />
        <source>one word, e.g. hours</source>
        <translation>ein Wort, z. B. zeiten</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="63" />
        <source>&amp;Save for the team</source>
        <translation>Für das Team s&amp;peichern</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="64" />
        <source>Save this canned response for the whole team</source>
        <translation>Diese Textvorlage für das ganze Team speichern</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="66" />
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="68" />
        <source>Remove the selected canned response for the whole team</source>
        <translation>Die gewählte Textvorlage für das ganze Team entfernen</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="71" />
        <source>&amp;Keyword:</source>
        <translation>&amp;Stichwort:</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="72" />
        <source>&amp;Text:</source>
        <translation>&amp;Text:</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="101" />
        <source>You are in no team: there are no team canned responses.</source>
        <translation>Sie gehören zu keinem Team: Es gibt keine Team-Textvorlagen.</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="104" />
        <source>The canned responses of %1, for everyone in the team. Type / and the keyword in a chat to insert the text; your own canned responses (Settings) win on the same keyword.</source>
        <translation>Die Textvorlagen von %1, für alle im Team. Tippen Sie im Chat / und das Stichwort, um den Text einzufügen; Ihre eigenen Textvorlagen (Einstellungen) gehen beim gleichen Stichwort vor.</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="109" />
        <source>The canned responses of %1, kept by your team lead. Type / and the keyword in a chat to insert the text; your own canned responses (Settings) win on the same keyword.</source>
        <translation>Die Textvorlagen von %1, gepflegt von Ihrer Teamleitung. Tippen Sie im Chat / und das Stichwort, um den Text einzufügen; Ihre eigenen Textvorlagen (Einstellungen) gehen beim gleichen Stichwort vor.</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="122" />
        <source>%1 by %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="153" />
        <source>Saved for the team: /%1</source>
        <translation>Für das Team gespeichert: /%1</translation>
    </message>
    <message>
        <location filename="../windows/team_canned_window.py" line="168" />
        <source>Removed for the team: /%1</source>
        <translation>Für das Team entfernt: /%1</translation>
    </message>
</context>
<context>
    <name>DeliveriesWindow</name>
    <message>
        <location filename="../windows/deliveries_window.py" line="31" />
        <source>Connected systems — Operator Desk</source>
        <translation>Angebundene Systeme — Operator Desk</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="39" />
        <source>Which events</source>
        <translation>Welche Ereignisse</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="40" />
        <source>Dead letters</source>
        <translation>Unzustellbare Ereignisse</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="41" />
        <source>Not confirmed yet (dead letters and waiting)</source>
        <translation>Noch nicht bestätigt (unzustellbare und wartende)</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="43" />
        <source>Refresh (F5)</source>
        <translation>Aktualisieren (F5)</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="44" />
        <source>List the events again</source>
        <translation>Die Ereignisse neu auflisten</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="47" />
        <source>Re&amp;try…</source>
        <translation>&amp;Erneut senden…</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="48" />
        <source>Send the chosen dead letter again</source>
        <translation>Das gewählte unzustellbare Ereignis erneut senden</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="50" />
        <source>&amp;Drop…</source>
        <translation>&amp;Verwerfen…</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="51" />
        <source>Give up the chosen dead letter</source>
        <translation>Das gewählte unzustellbare Ereignis aufgeben</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="53" />
        <source>Load more</source>
        <translation>Mehr laden</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="54" />
        <source>Load more events</source>
        <translation>Weitere Ereignisse laden</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="57" />
        <source>A dead letter holds back that person's later events for its system until it is retried or dropped. Both are recorded in the audit log with your name.</source>
        <translation>Ein unzustellbares Ereignis hält die späteren Ereignisse dieser Person für sein System zurück, bis es erneut gesendet oder verworfen wird. Beides wird mit Ihrem Namen im Prüfprotokoll festgehalten.</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="63" />
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="64" />
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="65" />
        <source>Person (pseudonym)</source>
        <translation>Person (Pseudonym)</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="66" />
        <source>State</source>
        <translation>Stand</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="67" />
        <source>Attempts</source>
        <translation>Versuche</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="68" />
        <source>Last error</source>
        <translation>Letzter Fehler</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="69" />
        <source>Queued</source>
        <translation>Eingereiht</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="70" />
        <source>Events not confirmed by the connected systems</source>
        <translation>Von den angebundenen Systemen nicht bestätigte Ereignisse</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="92" />
        <source>Chat ended</source>
        <translation>Chat beendet</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="93" />
        <source>Details received</source>
        <translation>Angaben erhalten</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="94" />
        <source>Consent given</source>
        <translation>Einwilligung erteilt</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="95" />
        <source>Consent withdrawn</source>
        <translation>Einwilligung widerrufen</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="96" />
        <source>Person erased</source>
        <translation>Person gelöscht</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="101" />
        <source>Dead letter</source>
        <translation>Unzustellbar</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="102" />
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="103" />
        <source>Confirmed</source>
        <translation>Bestätigt</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="104" />
        <source>Dropped</source>
        <translation>Verworfen</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="110" />
        <source>Outbox full; built again on a retry</source>
        <translation>Ausgang voll; beim erneuten Senden neu erstellt</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="111" />
        <source>Nothing left to send</source>
        <translation>Nichts mehr zu senden</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="112" />
        <source>Past its retention period</source>
        <translation>Aufbewahrungsfrist abgelaufen</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/deliveries_window.py" line="138" />
        <source>%n event(s) listed</source>
        <translation>
            <numerusform>%n Ereignis aufgelistet</numerusform>
            <numerusform>%n Ereignisse aufgelistet</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="162" />
        <source>Send this event to %1 again?</source>
        <translation>Dieses Ereignis erneut an %1 senden?</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="163" />
        <source>It is tried again from the start; the same person's later events follow it.</source>
        <translation>Es wird von vorn versucht; die späteren Ereignisse derselben Person folgen ihm.</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="164" />
        <source>&amp;Retry</source>
        <translation>&amp;Erneut senden</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="169" />
        <source>Queued again for %1.</source>
        <translation>Erneut für %1 eingereiht.</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="176" />
        <source>Give up this event for %1?</source>
        <translation>Dieses Ereignis für %1 aufgeben?</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="177" />
        <source>%1 will never get it: its content is deleted, and the record that it was not delivered stays.</source>
        <translation>%1 erhält es nie: sein Inhalt wird gelöscht, der Vermerk, dass es nicht zugestellt wurde, bleibt.</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="179" />
        <source>&amp;Drop</source>
        <translation>&amp;Verwerfen</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="184" />
        <source>Dropped: %1 will not get it.</source>
        <translation>Verworfen: %1 erhält es nicht.</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="192" />
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="99" />
        <source>The connected systems' outboxes</source>
        <translation>Die Ausgänge der angebundenen Systeme</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/deliveries_window.py" line="142" />
        <source>%Ln event(s) not confirmed</source>
        <translation>
            <numerusform>%Ln Ereignis nicht bestätigt</numerusform>
            <numerusform>%Ln Ereignisse nicht bestätigt</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="143" />
        <source>%1 of at most %2</source>
        <translation>%1 von höchstens %2</translation>
    </message>
    <message>
        <location filename="../windows/deliveries_window.py" line="147" />
        <source>%1: outbox full since %2 (%3, %4): its new events are dead letters until there is room.</source>
        <translation>%1: Ausgang voll seit %2 (%3, %4): seine neuen Ereignisse sind unzustellbar, bis wieder Platz ist.</translation>
    </message>
</context>
<context>
    <name>OfferBar</name>
    <message>
        <location filename="../widgets/offer_bar.py" line="43" />
        <source>Accept</source>
        <translation>Annehmen</translation>
    </message>
    <message>
        <location filename="../widgets/offer_bar.py" line="44" />
        <source>Accept the offered chat (Ctrl+Shift+A)</source>
        <translation>Den angebotenen Chat annehmen (Strg+Umschalt+A)</translation>
    </message>
    <message>
        <location filename="../widgets/offer_bar.py" line="45" />
        <source>Let pass</source>
        <translation>Weitergeben</translation>
    </message>
    <message>
        <location filename="../widgets/offer_bar.py" line="46" />
        <source>Leave it to the next operator (Ctrl+Shift+X)</source>
        <translation>Dem nächsten Operator überlassen (Strg+Umschalt+X)</translation>
    </message>
    <message>
        <location filename="../widgets/offer_bar.py" line="77" />
        <source>Chat offered to you: %1, on “%2”</source>
        <translation>Chat für Sie: %1, auf „%2“</translation>
    </message>
    <message>
        <location filename="../widgets/offer_bar.py" line="78" />
        <source>Chat offered to you: %1</source>
        <translation>Chat für Sie: %1</translation>
    </message>
    <message>
        <location filename="../widgets/offer_bar.py" line="82" />
        <source>Accept the chat with %1</source>
        <translation>Den Chat mit %1 annehmen</translation>
    </message>
    <message>
        <location filename="../widgets/offer_bar.py" line="83" />
        <source>Let the chat with %1 pass</source>
        <translation>Den Chat mit %1 weitergeben</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/offer_bar.py" line="92" />
        <source>%n s left</source>
        <translation>
            <numerusform>noch %n s</numerusform>
            <numerusform>noch %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StatusActions</name>
    <message>
        <location filename="../widgets/presence.py" line="48" />
        <source>&amp;Available — chats are offered to me</source>
        <translation>&amp;Verfügbar – ich bekomme Chats angeboten</translation>
    </message>
    <message>
        <location filename="../widgets/presence.py" line="49" />
        <source>A&amp;way — no chats are offered</source>
        <translation>&amp;Abwesend – keine Chats angeboten</translation>
    </message>
    <message>
        <location filename="../widgets/presence.py" line="50" />
        <source>&amp;Busy — no new chats for now</source>
        <translation>&amp;Beschäftigt – vorerst keine neuen Chats</translation>
    </message>
    <message>
        <location filename="../widgets/presence.py" line="59" />
        <source>&amp;Status</source>
        <translation>&amp;Status</translation>
    </message>
    <message>
        <location filename="../widgets/presence.py" line="60" />
        <source>Your status</source>
        <translation>Ihr Status</translation>
    </message>
    <message>
        <location filename="../widgets/presence.py" line="63" />
        <source>Change &amp;status…</source>
        <translation>&amp;Status ändern …</translation>
    </message>
</context>
<context>
    <name>StatusButton</name>
    <message>
        <location filename="../widgets/presence.py" line="97" />
        <source>Your status: whether new chats are offered to you (Ctrl+Shift+S)</source>
        <translation>Ihr Status: ob Ihnen neue Chats angeboten werden (Strg+Umschalt+S)</translation>
    </message>
    <message>
        <location filename="../widgets/presence.py" line="106" />
        <source>Your status</source>
        <translation>Ihr Status</translation>
    </message>
</context>
<context>
    <name>presence</name>
    <message>
        <location filename="../widgets/presence.py" line="24" />
        <source>Available</source>
        <translation>Verfügbar</translation>
    </message>
    <message>
        <location filename="../widgets/presence.py" line="25" />
        <source>Away</source>
        <translation>Abwesend</translation>
    </message>
    <message>
        <location filename="../widgets/presence.py" line="26" />
        <source>Busy</source>
        <translation>Beschäftigt</translation>
    </message>
    <message>
        <location filename="../widgets/presence.py" line="27" />
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
</context>
<context>
    <name>DeskNotifier</name>
    <message>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>%1 is waiting for an operator.</source>
        <translation>%1 wartet auf einen Operator.</translation>
    </message>
    <message>
        <source>New message</source>
        <translation>Neue Nachricht</translation>
    </message>
    <message numerus="yes">
        <source>%n new messages</source>
        <translation>
            <numerusform>%n neue Nachricht</numerusform>
            <numerusform>%n neue Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source>Chat handed to you</source>
        <translation>Chat an Sie übergeben</translation>
    </message>
    <message>
        <source>%1 handed you the chat with %2.</source>
        <translation>%1 hat Ihnen den Chat mit %2 übergeben.</translation>
    </message>
</context>
<context>
    <name>EarlierChatWindow</name>
    <message>
        <source>Earlier chat — Operator Desk</source>
        <translation>Früherer Chat — Operator Desk</translation>
    </message>
    <message>
        <source>%1 — chat of %2 (read-only)</source>
        <translation>%1 — Chat vom %2 (nur lesen)</translation>
    </message>
    <message>
        <source>The earlier chat, read-only</source>
        <translation>Der frühere Chat, nur zum Lesen</translation>
    </message>
</context>
<context>
    <name>EarlierChatsBox</name>
    <message>
        <source>Earlier chats</source>
        <translation>Frühere Chats</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>First line</source>
        <translation>Erste Zeile</translation>
    </message>
    <message>
        <source>(no message)</source>
        <translation>(keine Nachricht)</translation>
    </message>
    <message>
        <source>Double-click or press Enter to read a chat</source>
        <translation>Doppelklick oder Eingabetaste öffnet einen Chat zum Lesen</translation>
    </message>
    <message>
        <source>Load &amp;more</source>
        <translation>&amp;Mehr laden</translation>
    </message>
    <message>
        <source>Load more earlier chats</source>
        <translation>Weitere frühere Chats laden</translation>
    </message>
    <message>
        <source>Shown only with the visitor's consent to visitor insights.</source>
        <translation>Nur mit der Einwilligung des Besuchers in Besucher-Einblicke sichtbar.</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message numerus="yes">
        <source>%n earlier chat(s)</source>
        <translation>
            <numerusform>%n früherer Chat</numerusform>
            <numerusform>%n frühere Chats</numerusform>
        </translation>
    </message>
    <message>
        <source>No earlier chats.</source>
        <translation>Keine früheren Chats.</translation>
    </message>
    <message>
        <source>The earlier chats could not be loaded.</source>
        <translation>Die früheren Chats konnten nicht geladen werden.</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Hand over the chat with %1</source>
        <translation>Den Chat mit %1 übergeben</translation>
    </message>
    <message>
        <source>%1 will be told that a colleague carries on; your note is for your colleague only.</source>
        <translation>%1 erfährt nur, dass jemand aus dem Team weitermacht; Ihre Notiz liest nur, wer den Chat übernimmt.</translation>
    </message>
    <message>
        <source>Colleagues and teams to hand the chat to</source>
        <translation>Kolleginnen, Kollegen und Teams, an die der Chat gehen kann</translation>
    </message>
    <message>
        <source>Hand to</source>
        <translation>An</translation>
    </message>
    <message>
        <source>Team</source>
        <translation>Team</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Open chats</source>
        <translation>Offene Chats</translation>
    </message>
    <message>
        <source>Team %1</source>
        <translation>Team %1</translation>
    </message>
    <message numerus="yes">
        <source>%n signed in</source>
        <translation>
            <numerusform>%n angemeldet</numerusform>
            <numerusform>%n angemeldet</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n can take it</source>
        <translation>
            <numerusform>%n kann übernehmen</numerusform>
            <numerusform>%n können übernehmen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Nobody else is signed in just now: there is nobody to hand the chat to.</source>
        <translation>Gerade ist niemand sonst angemeldet: Es gibt niemanden, an den der Chat gehen kann.</translation>
    </message>
    <message>
        <source>&amp;Note for your colleague (optional):</source>
        <translation>&amp;Notiz für die Übernahme (freiwillig):</translation>
    </message>
    <message>
        <source>Note for your colleague</source>
        <translation>Notiz für die Übernahme</translation>
    </message>
    <message>
        <source>What they should know: what was asked, what you checked already.</source>
        <translation>Was man wissen sollte: worum es geht, was Sie schon geprüft haben.</translation>
    </message>
    <message>
        <source>&amp;Hand over</source>
        <translation>Ü&amp;bergeben</translation>
    </message>
    <message>
        <source>Hand the chat over to the chosen colleague or team</source>
        <translation>Den Chat an die gewählte Person oder das gewählte Team übergeben</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>Verfügbar</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>Abwesend</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>Beschäftigt</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Has as many chats open as allowed</source>
        <translation>Hat so viele Chats offen wie erlaubt</translation>
    </message>
    <message>
        <source>%1 of %2 characters</source>
        <translation>%1 von %2 Zeichen</translation>
    </message>
</context>
<context>
    <name>LeftMessagesBox</name>
    <message>
        <location filename="../widgets/left_messages.py" line="26" />
        <source>Messages left while nobody was available</source>
        <translation>Nachrichten, die hinterlassen wurden, als niemand da war</translation>
    </message>
    <message>
        <location filename="../widgets/left_messages.py" line="32" />
        <source>Reply by &amp;e-mail</source>
        <translation>Per &amp;E-Mail antworten</translation>
    </message>
    <message>
        <location filename="../widgets/left_messages.py" line="33" />
        <source>Opens your mail program with the visitor's address</source>
        <translation>Öffnet Ihr E-Mail-Programm mit der Adresse des Besuchers</translation>
    </message>
    <message>
        <location filename="../widgets/left_messages.py" line="52" />
        <source>Message left by %1, %2: %3</source>
        <translation>Nachricht von %1, %2: %3</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/left_messages.py" line="57" />
        <source>Messages left (%n)</source>
        <translation>
            <numerusform>Hinterlassene Nachrichten (%n)</numerusform>
            <numerusform>Hinterlassene Nachrichten (%n)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/left_messages.py" line="71" />
        <source>Your message to us</source>
        <translation>Ihre Nachricht an uns</translation>
    </message>
</context>
<context>
    <name>RequestColumns</name>
    <message>
        <location filename="../windows/requests/columns.py" line="50" />
        <source>Due</source>
        <translation>Fällig</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="52" />
        <source>Request</source>
        <translation>Anfrage</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="53" />
        <location filename="../windows/requests/columns.py" line="70" />
        <source>Person</source>
        <translation>Person</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="54" />
        <source>Received</source>
        <translation>Eingegangen</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="55" />
        <source>Reference</source>
        <translation>Zeichen</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="56" />
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="61" />
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="62" />
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="63" />
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="64" />
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="69" />
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="71" />
        <source>Asked by</source>
        <translation>Beantragt von</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="72" />
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="73" />
        <source>Asked</source>
        <translation>Beantragt</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="74" />
        <source>Expires</source>
        <translation>Verfällt</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="76" />
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/requests/columns.py" line="87" />
        <source>%1 (in %n day(s))</source>
        <translation><numerusform>%1 (in %n Tag)</numerusform><numerusform>%1 (in %n Tagen)</numerusform></translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="89" />
        <source>%1 (tomorrow)</source>
        <translation>%1 (morgen)</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="91" />
        <source>%1 (today)</source>
        <translation>%1 (heute)</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/requests/columns.py" line="92" />
        <source>%1 (%n day(s) overdue)</source>
        <translation><numerusform>%1 (%n Tag überfällig)</numerusform><numerusform>%1 (%n Tage überfällig)</numerusform></translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="106" />
        <source>Overdue: the answer was due on %1.</source>
        <translation>Überfällig: die Antwort war am %1 fällig.</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/requests/columns.py" line="108" />
        <source>Extended by %n month(s).</source>
        <translation><numerusform>Um %n Monat verlängert.</numerusform><numerusform>Um %n Monate verlängert.</numerusform></translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="115" />
        <source>Open, extended</source>
        <translation>Offen, verlängert</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="116" />
        <source>Open</source>
        <translation>Offen</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="123" />
        <source>manifest SHA-256 %1</source>
        <translation>Manifest-SHA-256 %1</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="125" />
        <source>now due %1: %2</source>
        <translation>jetzt fällig am %1: %2</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="127" />
        <source>%1 chat(s), %2 message(s)</source>
        <translation>%1 Chat(s), %2 Nachricht(en)</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="138" />
        <source>%1 (yours: another supervisor approves)</source>
        <translation>%1 (Ihr Antrag: ein anderer Supervisor gibt ihn frei)</translation>
    </message>
    <message>
        <location filename="../windows/requests/columns.py" line="140" />
        <source>%1 by %2</source>
        <translation>%1 von %2</translation>
    </message>
</context>
<context>
    <name>CasePane</name>
    <message>
        <location filename="../windows/requests/case_pane.py" line="31" />
        <source>The chosen request</source>
        <translation>Die gewählte Anfrage</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="33" />
        <source>Steps of the request</source>
        <translation>Schritte der Anfrage</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="37" />
        <source>&amp;Find the person…</source>
        <translation>Person &amp;suchen…</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="38" />
        <source>&amp;Export bundle…</source>
        <translation>&amp;Export-Paket…</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="39" />
        <source>Request e&amp;rasure…</source>
        <translation>&amp;Löschung beantragen…</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="40" />
        <source>E&amp;xtend deadline…</source>
        <translation>Frist &amp;verlängern…</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="41" />
        <source>Add &amp;note…</source>
        <translation>No&amp;tiz hinzufügen…</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="42" />
        <source>Answer &amp;sent</source>
        <translation>Antwort &amp;versendet</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="43" />
        <source>&amp;Close request…</source>
        <translation>Anfrage a&amp;bschließen…</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="46" />
        <source>Find the person this request is about</source>
        <translation>Die Person suchen, um die es in dieser Anfrage geht</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="47" />
        <source>Export everything held about the person</source>
        <translation>Alles exportieren, was über die Person gespeichert ist</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="48" />
        <source>Ask for the person's data to be erased</source>
        <translation>Die Löschung der Daten der Person beantragen</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="49" />
        <source>Extend the deadline</source>
        <translation>Die Frist verlängern</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="50" />
        <source>Add a note to the request</source>
        <translation>Der Anfrage eine Notiz hinzufügen</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="51" />
        <source>Record that the answer was sent</source>
        <translation>Festhalten, dass die Antwort versendet wurde</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="52" />
        <source>Close the request with its outcome</source>
        <translation>Die Anfrage mit ihrem Ergebnis abschließen</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="88" />
        <source>Choose a request to see its steps.</source>
        <translation>Wählen Sie eine Anfrage, um ihre Schritte zu sehen.</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="94" />
        <source>Received %1, due %2; identity: %3</source>
        <translation>Eingegangen am %1, fällig am %2; Identität: %3</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="98" />
        <source>Identity note: %1</source>
        <translation>Notiz zur Identität: %1</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="100" />
        <source>Extended: %1</source>
        <translation>Verlängert: %1</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="101" />
        <source>Recorded by %1 on %2</source>
        <translation>Erfasst von %1 am %2</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="104" />
        <source>Erasure sent to the connected systems: %1</source>
        <translation>Löschung an die angebundenen Systeme gesendet: %1</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="110" />
        <source>%1 confirmed it on %2</source>
        <translation>%1 hat sie am %2 bestätigt</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="113" />
        <source>%1 never confirmed it (given up)</source>
        <translation>%1 hat sie nie bestätigt (aufgegeben)</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="114" />
        <source>%1 not confirmed yet (%2)</source>
        <translation>%1 noch nicht bestätigt (%2)</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_pane.py" line="115" />
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
</context>
<context>
    <name>ApprovalsTab</name>
    <message>
        <location filename="../windows/requests/approvals_tab.py" line="31" />
        <source>Requests for a second approval</source>
        <translation>Anträge auf eine zweite Freigabe</translation>
    </message>
    <message>
        <location filename="../windows/requests/approvals_tab.py" line="36" />
        <source>&amp;Approve</source>
        <translation>&amp;Freigeben</translation>
    </message>
    <message>
        <location filename="../windows/requests/approvals_tab.py" line="37" />
        <source>Re&amp;ject</source>
        <translation>Ab&amp;lehnen</translation>
    </message>
    <message>
        <location filename="../windows/requests/approvals_tab.py" line="40" />
        <source>Approve the chosen request</source>
        <translation>Den gewählten Antrag freigeben</translation>
    </message>
    <message>
        <location filename="../windows/requests/approvals_tab.py" line="41" />
        <source>Reject the chosen request</source>
        <translation>Den gewählten Antrag ablehnen</translation>
    </message>
    <message>
        <location filename="../windows/requests/approvals_tab.py" line="79" />
        <source>At this site one supervisor may erase and export alone.</source>
        <translation>Auf dieser Website darf ein Supervisor allein löschen und exportieren.</translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/requests/approvals_tab.py" line="84" />
        <source>At this site a second supervisor approves: %1. Unapproved requests expire after %n hour(s).</source>
        <translation><numerusform>Auf dieser Website gibt ein zweiter Supervisor frei: %1. Nicht freigegebene Anträge verfallen nach %n Stunde.</numerusform><numerusform>Auf dieser Website gibt ein zweiter Supervisor frei: %1. Nicht freigegebene Anträge verfallen nach %n Stunden.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/requests/approvals_tab.py" line="82" />
        <source>At this site a second supervisor approves: %1. Unapproved requests expire after %n day(s).</source>
        <translation><numerusform>Auf dieser Website gibt ein zweiter Supervisor frei: %1. Nicht freigegebene Anträge verfallen nach %n Tag.</numerusform><numerusform>Auf dieser Website gibt ein zweiter Supervisor frei: %1. Nicht freigegebene Anträge verfallen nach %n Tagen.</numerusform></translation>
    </message>
</context>
<context>
    <name>CaseFlows</name>
    <message>
        <location filename="../windows/requests/case_flows.py" line="72" />
        <source>Request recorded: the answer is due by %1.</source>
        <translation>Anfrage erfasst: die Antwort ist bis %1 fällig.</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_flows.py" line="105" />
        <source>Add a note</source>
        <translation>Eine Notiz hinzufügen</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_flows.py" line="105" />
        <source>Note:</source>
        <translation>Notiz:</translation>
    </message>
    <message>
        <location filename="../windows/requests/case_flows.py" line="134" />
        <source>Request closed: %1.</source>
        <translation>Anfrage abgeschlossen: %1.</translation>
    </message>
</context>
<context>
    <name>SubjectFlows</name>
    <message>
        <location filename="../windows/requests/subject_flows.py" line="64" />
        <source> The request's steps could not be updated: record it with a note.</source>
        <translation> Die Schritte der Anfrage konnten nicht aktualisiert werden: halten Sie es mit einer Notiz fest.</translation>
    </message>
    <message>
        <location filename="../windows/requests/subject_flows.py" line="65" />
        <source>Bundle written to %1 (manifest SHA-256 %2…).</source>
        <translation>Paket geschrieben nach %1 (Manifest-SHA-256 %2…).</translation>
    </message>
    <message>
        <location filename="../windows/requests/subject_flows.py" line="81" />
        <source>Export needs approval</source>
        <translation>Export braucht eine Freigabe</translation>
    </message>
    <message>
        <location filename="../windows/requests/subject_flows.py" line="82" />
        <source>This site has every export approved by a second supervisor. Why is it needed?</source>
        <translation>Auf dieser Website gibt ein zweiter Supervisor jeden Export frei. Wozu wird er gebraucht?</translation>
    </message>
    <message>
        <location filename="../windows/requests/subject_flows.py" line="89" />
        <source>Export requested: another supervisor approves it, then export again.</source>
        <translation>Export beantragt: ein anderer Supervisor gibt ihn frei, dann exportieren Sie erneut.</translation>
    </message>
    <message>
        <location filename="../windows/requests/subject_flows.py" line="115" />
        <source>Erased: %1 chat(s), %2 message(s).</source>
        <translation>Gelöscht: %1 Chat(s), %2 Nachricht(en).</translation>
    </message>
    <message>
        <location filename="../windows/requests/subject_flows.py" line="123" />
        <source>Erasure requested. Another supervisor approves it under "Waiting for approval"; it expires on %1.</source>
        <translation>Löschung beantragt. Ein anderer Supervisor gibt sie unter „Warten auf Freigabe“ frei; der Antrag verfällt am %1.</translation>
    </message>
    <message>
        <location filename="../windows/requests/subject_flows.py" line="155" />
        <source>%1: %2.</source>
        <translation>%1: %2.</translation>
    </message>
</context>
<context>
    <name>PersonDialog</name>
    <message>
        <location filename="../windows/requests/person_dialog.py" line="14" />
        <source>Find the person</source>
        <translation>Die Person suchen</translation>
    </message>
    <message>
        <location filename="../windows/requests/person_dialog.py" line="19" />
        <source>This is the person</source>
        <translation>Das ist die Person</translation>
    </message>
</context>
<context>
    <name>DeskEvents</name>
    <message>
        <location filename="../windows/desk_events.py" line="194" />
        <source>A person's data was erased; their chats were closed.</source>
        <translation>Die Daten einer Person wurden gelöscht; ihre Chats wurden geschlossen.</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <location filename="../windows/review_window.py" line="64" />
        <source>&amp;Close</source>
        <translation>&amp;Schließen</translation>
    </message>
    <message>
        <location filename="../windows/review_window.py" line="69" />
        <source>&amp;Window</source>
        <translation>&amp;Fenster</translation>
    </message>
</context>
</TS>