"""Qt item models: each owns its rows and an id -> row map, and takes batches, not single events."""
