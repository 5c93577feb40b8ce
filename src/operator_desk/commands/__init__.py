"""The desk's command line for batch work: ``operator-desk <command> ...`` (docs/client.md "Command line").

``app.main`` hands over when the first argument names a command. A command signs in like the desk
(``connecting``), does one thing through the desk's services and ends with an exit code
(``exit_codes.Exit``). It needs no display: Qt runs offscreen, for the PDF and the translated report.
"""

# Checked against the commands themselves (tests/app/test_subject_commands.py); spelled out here so that
# the app can tell a command from the desk's own arguments without importing them (start-up time).
NAMES = frozenset({"export-subject", "erase-subject", "approve-erasure", "verify-bundle"})
