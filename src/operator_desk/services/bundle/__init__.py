"""The export bundle of a data-subject access request: ``records.json`` (a versioned schema), a readable
report as HTML and PDF, and a manifest of SHA-256 digests; written atomically (``export.SubjectBundles``)."""
