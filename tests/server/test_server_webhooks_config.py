"""The ``[[webhooks]]`` receivers of the configuration: refused at start when unusable, secrets from a
file or the environment, never in the file itself."""

from __future__ import annotations

import pytest

from operator_desk.server.config import ConfigError, load_config

SECRET = b"crm-shared-secret-0123456789abcdef"


@pytest.mark.parametrize(("entry", "said"), [
    ('url = "http://crm.example/hook"\nsecret_env = "CRM_SECRET"', "url must be an https:// address"),
    ('url = "https://crm.example/hook"\nsecret = "in-the-file-0123456789"',
     "never in the configuration file"),
    ('url = "https://crm.example/hook"', "secret_file or secret_env is required"),
    ('url = "https://crm.example/hook"\nsecret_env = "UNSET_SECRET"', "UNSET_SECRET is not set"),
    ('url = "https://crm.example/hook"\nsecret_env = "SHORT_SECRET"', "at least 16 bytes"),
    ('url = "https://crm.example/hook"\nsecret_env = "CRM_SECRET"\nevents = ["chat.started"]',
     "unknown events chat.started"),
    ('url = "https://crm.example/hook"\nsecret_env = "CRM_SECRET"\nqueue_max_bytes = 0',
     "queue_max_bytes must be more than 0"),
])
def test_a_receiver_the_server_cannot_use_is_refused_at_start(tmp_path, monkeypatch, entry, said):
    monkeypatch.setenv("CRM_SECRET", "a-long-enough-secret-0123")
    monkeypatch.setenv("SHORT_SECRET", "short")
    monkeypatch.delenv("UNSET_SECRET", raising=False)
    config = tmp_path / "site.toml"
    purposes = "" if "purposes" in entry else 'purposes = ["chat"]\n'
    config.write_text(f'[[webhooks]]\nname = "crm"\n{purposes}{entry}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=said):
        load_config(config)


def test_receivers_read_their_secret_from_a_file_or_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWS_SECRET", "news-secret-0123456789")
    (tmp_path / "crm.secret").write_bytes(SECRET + b"\n")
    config = tmp_path / "site.toml"
    config.write_text(f"""
[[webhooks]]
name = "crm"
url = "https://crm.example/hook"
secret_file = "{tmp_path / 'crm.secret'}"
purposes = ["chat", "contact_details"]

[[webhooks]]
name = "news"
url = "https://news.example/hook"
secret_env = "NEWS_SECRET"
purposes = ["chat"]
events = ["chat.ended"]
max_attempts = 3
""", encoding="utf-8")
    crm, news = load_config(config).webhooks
    assert crm.secret == SECRET and news.secret == b"news-secret-0123456789"
    assert crm.events == ("chat.ended", "details.received", "consent.changed")
    assert news.events == ("chat.ended",)
    assert news.max_attempts == 3 and [news.retry_after(n) for n in (1, 2, 3)] == [1.0, 2.0, 4.0]
    assert news.retry_after(30) == 3600.0
