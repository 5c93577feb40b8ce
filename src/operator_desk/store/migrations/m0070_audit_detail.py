"""The local audit log names what an entry is about (a chat id, a case id) and can be filtered quickly.

``detail`` holds a JSON object of references that are not personal data (ids the server gave, where a
transcript was read from); ``counts`` stays for numbers. The indexes let the audit viewer page a
million entries by action, by actor, or by subject (is this pseudonym's person erased?) newest first,
along ``seq``, without a sort.
"""

VERSION = 70

STATEMENTS = (
    "ALTER TABLE audit_log ADD COLUMN detail TEXT NOT NULL DEFAULT '{}'",
    "CREATE INDEX audit_log_by_action ON audit_log (action, seq)",
    "CREATE INDEX audit_log_by_actor ON audit_log (actor, seq)",
    "CREATE INDEX audit_log_by_subject ON audit_log (subject, action)",
)
