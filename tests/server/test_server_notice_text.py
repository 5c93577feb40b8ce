"""The notices say what the law asks: the controller and its contact (and the data-protection officer),
per purpose what data, why, the legal basis, how long (from the retention settings) and who receives
it, and the visitor's rights with how to use them; in a short layer and in full, in English and German.
The server refuses to start with a notice that does not name the controller."""

from __future__ import annotations

import pytest

from operator_desk.server.config import DEMO_CONTROLLER, ConfigError
from operator_desk.server.embedded import ServerOptions, start_server
from tests.kit.servers import start
from tests.kit.visitors import arrive, notice_for


@pytest.mark.asyncio
async def test_the_server_refuses_to_start_with_notices_that_do_not_name_the_controller(tmp_path):
    with pytest.raises(ConfigError, match=r"\[controller\] name, email, address"):
        await start_server(ServerOptions(data_dir=tmp_path / "data"))
    assert not (tmp_path / "data").exists()   # refused before anything was opened or written
    half = tmp_path / "half.toml"
    half.write_text('[controller]\nname = "Shop Ltd"\nemail = "privacy@shop.example"\n')
    with pytest.raises(ConfigError, match="address"):
        await start_server(ServerOptions(data_dir=tmp_path / "data", config_path=half))


@pytest.mark.asyncio
async def test_a_purpose_the_notice_asks_for_must_be_described(tmp_path):
    config = tmp_path / "site.toml"
    config.write_text('[[notices]]\nkey = "prechat"\npurposes = ["chat"]\n'
                      '[notices.text.fr]\ntitle = "Avant de discuter"\n')
    with pytest.raises(ConfigError, match=r"\[purposes\.chat\.fr\]"):
        await start(tmp_path, config_path=config)


@pytest.mark.asyncio
@pytest.mark.parametrize("language", ["en", "de"])
async def test_the_demo_notice_says_everything_the_law_asks(tmp_path, language):
    config = tmp_path / "site.toml"
    config.write_text("[retention]\ntranscripts_days = 14\nvisitor_insights_days = 0.5\n")
    server = await start(tmp_path, demo=True, config_path=config)
    try:
        visitor = await arrive(server, language=language)
        notice = notice_for(visitor, "chat")
        body, summary = notice["body"], notice["summary"]
        assert notice["language"] == language
        controller = DEMO_CONTROLLER
        for fact in (controller.name, controller.address, controller.email, controller.phone,
                     controller.dpo_name, controller.dpo_email, controller.authority):
            assert fact in body, fact
        words = {
            "en": ("What data", "Why", "Legal basis", "Art. 6(1)(a) GDPR", "How long it is kept: 14 days",
                   "How long it is kept: 12 hours", "Who receives it", "access", "rectification", "erased",
                   "portability", "withdraw", "complaint", "Download my data", "Forget me"),
            "de": ("Welche Daten", "Wozu", "Rechtsgrundlage", "Art. 6 Abs. 1 lit. a DSGVO",
                   "Speicherdauer: 14 Tage", "Speicherdauer: 12 Stunden", "Empfänger", "Auskunft",
                   "Berichtigung", "Löschung", "Datenübertragbarkeit", "widerrufen", "beschweren",
                   "Meine Daten herunterladen", "Vergiss mich"),
        }[language]
        missing = [w for w in words if w not in body]
        assert not missing, missing
        # The short layer: who, each purpose with how long, and where to change it.
        assert controller.name in summary and controller.email in summary
        assert ("14 days" if language == "en" else "14 Tage") in summary
        assert len(summary) < len(body) // 3
    finally:
        await server.close()
