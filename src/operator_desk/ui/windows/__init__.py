"""Top-level windows: the main desk window and the review windows for team leads and supervisors."""
