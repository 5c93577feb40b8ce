"""Webhooks: the hand-off to the site's CRM (docs/webhooks.md).

``settings``: the receivers of the configuration; ``signing``: the HMAC-SHA256 signature a receiver
checks; ``payloads``: what an event may carry (only what a consent in force covers); ``outbox``: the SQL
of the durable outbox (run on the database thread); ``delivery``: the task that posts the events.
"""
