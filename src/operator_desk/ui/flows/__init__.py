"""The dialog sequences the app runs around its windows: opening the local cache, signing in."""
