<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AuditWindow</name>
    <message numerus="yes">
        <location filename="../windows/audit_window.py" line="209" />
        <source>%n entry(s) listed</source>
        <translation>
            <numerusform>%n entry listed</numerusform>
            <numerusform>%n entries listed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/audit_window.py" line="222" />
        <source>Exported %n entry(s)</source>
        <translation>
            <numerusform>Exported %n entry</numerusform>
            <numerusform>Exported %n entries</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CacheChoiceDialog</name>
    <message numerus="yes">
        <location filename="../dialogs/cache_choice.py" line="120" />
        <source>Choose a passphrase of at least %n characters.</source>
        <translation>
            <numerusform>Choose a passphrase of at least %n character.</numerusform>
            <numerusform>Choose a passphrase of at least %n characters.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ChatTabs</name>
    <message numerus="yes">
        <location filename="../windows/chat_tabs.py" line="119" />
        <source>%n unread message(s)</source>
        <translation>
            <numerusform>%n unread message</numerusform>
            <numerusform>%n unread messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeskStatusBar</name>
    <message numerus="yes">
        <location filename="../widgets/status_bar.py" line="90" />
        <source>Connection lost, retrying in %n s</source>
        <translation>
            <numerusform>Connection lost, retrying in %n s</numerusform>
            <numerusform>Connection lost, retrying in %n s</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeskTray</name>
    <message numerus="yes">
        <location filename="../windows/tray.py" line="27" />
        <source>Operator Desk — %n waiting</source>
        <translation>
            <numerusform>Operator Desk — %n waiting</numerusform>
            <numerusform>Operator Desk — %n waiting</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ErasureLetter</name>
    <message numerus="yes">
        <location filename="../dialogs/erasure_confirmation.py" line="46" />
        <location filename="../dialogs/erasure_confirmation.py" line="54" />
        <source>%n chat(s)</source>
        <translation><numerusform>%n chat</numerusform><numerusform>%n chats</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/erasure_confirmation.py" line="46" />
        <location filename="../dialogs/erasure_confirmation.py" line="55" />
        <source>%n message(s)</source>
        <translation><numerusform>%n message</numerusform><numerusform>%n messages</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/erasure_confirmation.py" line="47" />
        <source>%n consent record(s)</source>
        <translation><numerusform>%n consent record</numerusform><numerusform>%n consent records</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/erasure_confirmation.py" line="48" />
        <source>%n request(s) for contact details</source>
        <translation><numerusform>%n request for contact details</numerusform><numerusform>%n requests for contact details</numerusform></translation>
    </message>
</context>
<context>
    <name>ErasureRequestDialog</name>
    <message numerus="yes">
        <location filename="../dialogs/case_dialogs.py" line="250" />
        <source>The server deletes this person's visitor record, consents, detail requests and %n chat(s) with all messages; every operator's desk removes its local copies. This cannot be undone.</source>
        <translation><numerusform>The server deletes this person's visitor record, consents, detail requests and %n chat with all messages; every operator's desk removes its local copies. This cannot be undone.</numerusform><numerusform>The server deletes this person's visitor record, consents, detail requests and %n chats with all messages; every operator's desk removes its local copies. This cannot be undone.</numerusform></translation>
    </message>
</context>
<context>
    <name>ExtendCaseDialog</name>
    <message numerus="yes">
        <location filename="../dialogs/case_dialogs.py" line="135" />
        <source>by %n month(s) in all</source>
        <translation><numerusform>by %n month in all</numerusform><numerusform>by %n months in all</numerusform></translation>
    </message>
</context>
<context>
    <name>QtReportWords</name>
    <message numerus="yes">
        <location filename="../report_words.py" line="28" />
        <source>%n hour(s)</source>
        <translation><numerusform>%n hour</numerusform><numerusform>%n hours</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="29" />
        <source>%n day(s)</source>
        <translation><numerusform>%n day</numerusform><numerusform>%n days</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="103" />
        <source>%n chat(s)</source>
        <translation><numerusform>%n chat</numerusform><numerusform>%n chats</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="103" />
        <source>with %n message(s)</source>
        <translation><numerusform>with %n message</numerusform><numerusform>with %n messages</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="106" />
        <source>%n message(s) an operator wrote that had not reached you yet</source>
        <translation><numerusform>%n message an operator wrote that had not reached you yet</numerusform><numerusform>%n messages an operator wrote that had not reached you yet</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="109" />
        <source>%n record(s) of your consent decisions, with the exact notice text each refers to</source>
        <translation><numerusform>%n record of your consent decisions, with the exact notice text it refers to</numerusform><numerusform>%n records of your consent decisions, with the exact notice text each refers to</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="113" />
        <source>%n request(s) for contact details, and what you sent</source>
        <translation><numerusform>%n request for contact details, and what you sent</numerusform><numerusform>%n requests for contact details, and what you sent</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="116" />
        <source>%n page view(s)</source>
        <translation><numerusform>%n page view</numerusform><numerusform>%n page views</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="122" />
        <source>%n record(s) of our staff accessing your data</source>
        <translation><numerusform>%n record of our staff accessing your data</numerusform><numerusform>%n records of our staff accessing your data</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../report_words.py" line="207" />
        <source>%n message(s)</source>
        <translation><numerusform>%n message</numerusform><numerusform>%n messages</numerusform></translation>
    </message>
</context>
<context>
    <name>QuitDialog</name>
    <message numerus="yes">
        <location filename="../dialogs/quit_confirm.py" line="20" />
        <source>%n chat(s) could not be ended.</source>
        <translation>
            <numerusform>%n chat could not be ended.</numerusform>
            <numerusform>%n chats could not be ended.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../dialogs/quit_confirm.py" line="25" />
        <source>You have %n open chat(s).</source>
        <translation>
            <numerusform>You have %n open chat.</numerusform>
            <numerusform>You have %n open chats.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RequestsWindow</name>
    <message numerus="yes">
        <location filename="../windows/requests_window.py" line="130" />
        <source>%n request(s)</source>
        <translation><numerusform>%n request</numerusform><numerusform>%n requests</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/requests_window.py" line="131" />
        <source>, %n overdue</source>
        <translation><numerusform>, %n overdue</numerusform><numerusform>, %n overdue</numerusform></translation>
    </message>
</context>
<context>
    <name>SubjectsWindow</name>
    <message numerus="yes">
        <location filename="../windows/subjects_window.py" line="68" />
        <location filename="../windows/subjects_window.py" line="74" />
        <source>%n person(s) found</source>
        <translation>
            <numerusform>%n person found</numerusform>
            <numerusform>%n persons found</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TeamWindow</name>
    <message numerus="yes">
        <location filename="../windows/team_window.py" line="116" />
        <source>Last %n day(s)</source>
        <translation>
            <numerusform>Last %n day</numerusform>
            <numerusform>Last %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/team_window.py" line="161" />
        <source>Online (%n desk(s))</source>
        <translation>
            <numerusform>Online (%n desk)</numerusform>
            <numerusform>Online (%n desks)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/team_window.py" line="207" />
        <source>%n waiting, the longest for %1</source>
        <translation>
            <numerusform>%n waiting, the longest for %1</numerusform>
            <numerusform>%n waiting, the longest for %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/team_window.py" line="212" />
        <source>%n operator(s) online</source>
        <translation>
            <numerusform>%n operator online</numerusform>
            <numerusform>%n operators online</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TranscriptsWindow</name>
    <message numerus="yes">
        <location filename="../windows/transcripts_window.py" line="152" />
        <source>%n chat(s) listed</source>
        <translation>
            <numerusform>%n chat listed</numerusform>
            <numerusform>%n chats listed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VisitorListPanel</name>
    <message numerus="yes">
        <location filename="../widgets/visitor_list.py" line="102" />
        <source>%n visitor(s)</source>
        <translation>
            <numerusform>%n visitor</numerusform>
            <numerusform>%n visitors</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>VisitorPanel</name>
    <message numerus="yes">
        <location filename="../widgets/visitor_panel.py" line="154" />
        <source>%1, %n page(s)</source>
        <translation>
            <numerusform>%1, %n page</numerusform>
            <numerusform>%1, %n pages</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/visitor_panel.py" line="182" />
        <source>%n visit(s)</source>
        <translation>
            <numerusform>%n visit</numerusform>
            <numerusform>%n visits</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeliveriesWindow</name>
    <message numerus="yes">
        <location filename="../windows/deliveries_window.py" line="139" />
        <source>%n event(s) listed</source>
        <translation>
            <numerusform>%n event listed</numerusform>
            <numerusform>%n events listed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/deliveries_window.py" line="127" />
        <source>%Ln event(s) not confirmed</source>
        <translation>
            <numerusform>%Ln event not confirmed</numerusform>
            <numerusform>%Ln events not confirmed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DeskNotifier</name>
    <message numerus="yes">
        <source>%n new messages</source>
        <translation>
            <numerusform>%n new message</numerusform>
            <numerusform>%n new messages</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EarlierChatsBox</name>
    <message numerus="yes">
        <source>%n earlier chat(s)</source>
        <translation>
            <numerusform>%n earlier chat</numerusform>
            <numerusform>%n earlier chats</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message numerus="yes">
        <source>%n signed in</source>
        <translation>
            <numerusform>%n signed in</numerusform>
            <numerusform>%n signed in</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n can take it</source>
        <translation>
            <numerusform>%n can take it</numerusform>
            <numerusform>%n can take it</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RequestColumns</name>
    <message numerus="yes">
        <location filename="../windows/requests/columns.py" line="87" />
        <source>%1 (in %n day(s))</source>
        <translation><numerusform>%1 (in %n day)</numerusform><numerusform>%1 (in %n days)</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/requests/columns.py" line="92" />
        <source>%1 (%n day(s) overdue)</source>
        <translation><numerusform>%1 (%n day overdue)</numerusform><numerusform>%1 (%n days overdue)</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/requests/columns.py" line="108" />
        <source>Extended by %n month(s).</source>
        <translation><numerusform>Extended by %n month.</numerusform><numerusform>Extended by %n months.</numerusform></translation>
    </message>
</context>
<context>
    <name>ApprovalsTab</name>
    <message numerus="yes">
        <location filename="../windows/requests/approvals_tab.py" line="84" />
        <source>At this site a second supervisor approves: %1. Unapproved requests expire after %n hour(s).</source>
        <translation><numerusform>At this site a second supervisor approves: %1. Unapproved requests expire after %n hour.</numerusform><numerusform>At this site a second supervisor approves: %1. Unapproved requests expire after %n hours.</numerusform></translation>
    </message>
    <message numerus="yes">
        <location filename="../windows/requests/approvals_tab.py" line="82" />
        <source>At this site a second supervisor approves: %1. Unapproved requests expire after %n day(s).</source>
        <translation><numerusform>At this site a second supervisor approves: %1. Unapproved requests expire after %n day.</numerusform><numerusform>At this site a second supervisor approves: %1. Unapproved requests expire after %n days.</numerusform></translation>
    </message>
</context>
</TS>