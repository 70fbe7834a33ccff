import json
import logging

from tirek.lib.logs import AllowListJsonFormatter


def record(name: str, message: str, *args, **extra) -> logging.LogRecord:
    entry = logging.LogRecord(name, logging.INFO, __file__, 1, message, args, None)
    entry.__dict__.update(extra)
    return entry


def test_it_writes_one_json_object_per_line_in_utc():
    line = AllowListJsonFormatter().format(record("tirek.request", "request", status=200))
    entry = json.loads(line)
    assert entry["status"] == 200
    assert entry["time"].endswith("+00:00")


def test_it_drops_fields_outside_the_allow_list():
    line = AllowListJsonFormatter().format(
        record("tirek.request", "request", request="<POST password=secret>", person="Aida")
    )
    assert "secret" not in line and "Aida" not in line


def test_it_never_formats_third_party_arguments_into_the_message():
    line = AllowListJsonFormatter().format(
        record("axes.watch_login", "AXES: login failed for %s", "victim.name@example.org")
    )
    assert "victim.name" not in line


def test_it_logs_each_request_by_user_id_without_what_was_posted(client, lawyer, caplog):
    with caplog.at_level(logging.INFO, logger="tirek.request"):
        client.post("/accounts/login/", {"username": "demo-lawyer", "password": "guess-me-123"})
    lines = [AllowListJsonFormatter().format(r) for r in caplog.records]
    assert any('"path": "/accounts/login/"' in line for line in lines)
    assert not any("guess-me-123" in line or "demo-lawyer" in line for line in lines)
