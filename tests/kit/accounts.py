"""The people on a test server. The demo accounts (``--demo``: supervisor, lead, operator) have the
password ``demo``; the accounts tests add (``servers.add_team``) have ``PASSWORD``."""

from __future__ import annotations

PASSWORD = "correct horse battery staple"
DEMO_PASSWORD = "demo"

# username -> role: operators ann and ben, team lead lee, supervisors sue and sam (an erasure needs two).
TEAM = {"ann": "operator", "ben": "operator", "lee": "team_lead", "sue": "supervisor", "sam": "supervisor"}
