"""Reusable widgets: views with their delegates, the composer, the panels of the main window."""
