"""asyncio client transport (websockets): connect, log in, heartbeat, reconnect, resume, outbox. No Qt."""
