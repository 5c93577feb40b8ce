"""``python -m operator_desk`` runs the desktop app."""

from operator_desk.app import main

raise SystemExit(main())
