<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>CacheChoiceDialog</name>
    <message numerus="yes">
        <location filename="../dialogs/cache_choice.py" line="120" />
        <source>Choose a passphrase of at least %n characters.</source>
        <translation><numerusform>Choose a passphrase of at least %n character.</numerusform><numerusform>Choose a passphrase of at least %n characters.</numerusform></translation>
    </message>
</context>
<context>
    <name>ChatTabs</name>
    <message numerus="yes">
        <location filename="../windows/chat_tabs.py" line="119" />
        <source>%n unread message(s)</source>
        <translation><numerusform>%n unread message</numerusform><numerusform>%n unread messages</numerusform></translation>
    </message>
</context>
<context>
    <name>DeskStatusBar</name>
    <message numerus="yes">
        <location filename="../widgets/status_bar.py" line="90" />
        <source>Connection lost, retrying in %n s</source>
        <translation><numerusform>Connection lost, retrying in %n s</numerusform><numerusform>Connection lost, retrying in %n s</numerusform></translation>
    </message>
</context>
<context>
    <name>DeskTray</name>
    <message numerus="yes">
        <location filename="../windows/tray.py" line="27" />
        <source>Operator Desk — %n waiting</source>
        <translation><numerusform>Operator Desk — %n waiting</numerusform><numerusform>Operator Desk — %n waiting</numerusform></translation>
    </message>
</context>
<context>
    <name>EraseConfirmDialog</name>
    <message numerus="yes">
        <location filename="../windows/subjects_window.py" line="54" />
        <source>The server deletes this person's visitor record, consents, detail requests and %n chat(s) with all messages; every operator's desk removes its local copies. This cannot be undone.</source>
        <translation><numerusform>The server deletes this person's visitor record, consents, detail requests and %n chat with all messages; every operator's desk removes its local copies. This cannot be undone.</numerusform><numerusform>The server deletes this person's visitor record, consents, detail requests and %n chats with all messages; every operator's desk removes its local copies. This cannot be undone.</numerusform></translation>
    </message>
</context>
<context>
    <name>QuitDialog</name>
    <message numerus="yes">
        <location filename="../dialogs/quit_confirm.py" line="20" />
        <source>%n chat(s) could not be ended.</source>
        <translation><numerusform>%n chat could not be ended.</numerusform><numerusform>%n chats could not be ended.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/quit_confirm.py" line="25" />
        <source>You have %n open chat(s).</source>
        <translation><numerusform>You have %n open chat.</numerusform><numerusform>You have %n open chats.</numerusform></translation>
    </message>
</context>
<context>
    <name>SubjectsWindow</name>
    <message numerus="yes">
        <location filename="../windows/subjects_window.py" line="153" />
        <source>%n person(s) found</source>
        <translation><numerusform>%n person found</numerusform><numerusform>%n persons found</numerusform></translation>
    </message>
</context>
<context>
    <name>TranscriptsWindow</name>
    <message numerus="yes">
        <location filename="../windows/transcripts_window.py" line="152" />
        <source>%n chat(s) listed</source>
        <translation><numerusform>%n chat listed</numerusform><numerusform>%n chats listed</numerusform></translation>
    </message>
</context>
<context>
    <name>VisitorListPanel</name>
    <message numerus="yes">
        <location filename="../widgets/visitor_list.py" line="102" />
        <source>%n visitor(s)</source>
        <translation><numerusform>%n visitor</numerusform><numerusform>%n visitors</numerusform></translation>
    </message>
</context>
<context>
    <name>VisitorPanel</name>
    <message numerus="yes">
        <location filename="../widgets/visitor_panel.py" line="154" />
        <source>%1, %n page(s)</source>
        <translation><numerusform>%1, %n page</numerusform><numerusform>%1, %n pages</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/visitor_panel.py" line="182" />
        <source>%n visit(s)</source>
        <translation><numerusform>%n visit</numerusform><numerusform>%n visits</numerusform></translation>
    </message>
</context>
</TS>