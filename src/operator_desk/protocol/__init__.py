"""wire format v1: envelope, message types, encode/decode with strict validation. Pure, no I/O."""
