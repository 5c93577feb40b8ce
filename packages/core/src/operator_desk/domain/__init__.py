"""Plain data and rules shared by the client and the server. No I/O, no asyncio, no Qt."""
