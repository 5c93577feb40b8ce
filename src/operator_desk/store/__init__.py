"""The encrypted local cache (SQLCipher) on its own thread: schema, retention, search, subjects. No Qt."""
