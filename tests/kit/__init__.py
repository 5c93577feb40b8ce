"""The test kit: what every test folder and the benchmarks share, written once.

- ``frames``: the request envelope, built by the product's own codec (``request_frame``);
- ``clients``: protocol clients, ``AsyncClient`` (asyncio) and ``SyncClient`` (threads, selenium), and
  ``login``;
- ``visitors``: a visitor on ``/v1/visitor``: ``arrive``, ``notice_for``, ``consent``;
- ``accounts``: who is on a test server, and their passwords;
- ``servers``: the reference server in-process (``start``), on a thread of its own (``ThreadedServer``)
  or as a child process (``ServerProcess``); ``GENEROUS`` limits, the command line (``Admin``);
- ``cases``: data-subject request flows (``erase_with_approval``);
- ``feeds``: the clock of a server's visitor feeds in the test's hand (``hold_feed_clock``);
- ``timing``: ``WAIT`` (how long a test waits for what it expects) and ``FAST`` (the desk's delays);
- ``keyrings``: keyring backends, in memory, in a file (for a desk run as a child process), and broken
  ones; ``installed`` swaps one in;
- ``desks``: the desk's services for tests: an event recorder, ``make_desk``, the encrypted cache;
- ``ui_stack``: the real stack of a UI test (server, cache, desk, main window);
- ``browser``: a headless Chromium on the visitor widget, and the demo server behind a proxy;
- ``faults``: faults made for real (a full disk); ``tls``: a test certificate authority;
  ``webhooks``: a webhook receiver;
- ``fixtures``: the kit's pytest fixtures, loaded for every test by ``tests/conftest.py``.

Benchmarks import it too (``from tests.kit.clients import AsyncClient``, with the checkout's root on
``sys.path``); the product and its wheel never do. Nothing here is imported by this file, so that a
child process can load one module (``tests.kit.keyrings``) without the rest.
"""
