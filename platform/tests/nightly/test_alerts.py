"""Alerts reach the right people: the failing domain's owner and every consuming domain hit, with which of their
products are affected, in the notify folder and by webhook; a webhook that is down never fails the night."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mesh_platform.cli import main

pytestmark = pytest.mark.integration
PRICED = Path("models/funding/intermediate/int_advances_priced.sql")


class Receiver:
    """A webhook receiver on 127.0.0.1 that keeps every JSON body it is sent."""

    def __init__(self):
        self.bodies: list[dict] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def refused_url() -> str:
    """A port nothing listens on: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/hook"


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.close()


def test_a_breach_in_funding_reaches_funding_and_the_consumers_hit(built_copy, receiver, capsys):
    (built_copy / PRICED).write_text("select cast('oops' as integer) as advance_id\n")
    with (built_copy / "mesh.yml").open("a") as config:
        config.write(f"notify:\n  webhooks:\n    '*': {receiver.url}\n    partners: {refused_url()}\n"
                     f"  attempts: 2\n  timeout_seconds: 2\n")
    notes = built_copy.parent / "notes"
    assert main(["nightly", "--quiet", "--project-dir", str(built_copy), "--notify-dir", str(notes)]) == 1
    out = capsys.readouterr().out
    assert "notify: sent to analytics, collections, funding; gave up on partners: Connection refused after 2" in out

    by_domain = {body["domain"]: body for body in receiver.bodies}
    assert sorted(by_domain) == ["analytics", "collections", "funding"]
    assert by_domain["funding"]["status"] == "failed"
    assert any("int_advances_priced" in line for line in by_domain["funding"]["problems"])
    collections = {impact["upstream"]: impact for impact in by_domain["collections"]["upstream"]}
    assert collections["advances.v1 (funding)"]["reason"] == "was not built (something upstream failed)"
    assert set(collections["advances.v1 (funding)"]["affected"]) == {"advance_performance_daily.v1", "repayments.v1"}
    analytics = {impact["upstream"]: impact for impact in by_domain["analytics"]["upstream"]}
    assert "funnel.v1" in analytics["advances.v1 (funding)"]["affected"]

    assert sorted(path.name for path in notes.iterdir()) == ["analytics.md", "collections.md", "funding.md",
                                                             "partners.md"]
    note = (notes / "collections.md").read_text()
    assert ("- advances.v1 (funding) was not built (something upstream failed); yours affected: "
            "advance_performance_daily.v1, repayments.v1") in note
    nightly = built_copy / "target" / "nightly"
    summary = json.loads((nightly / (nightly / "LATEST").read_text().strip() / "summary.json").read_text())
    notify = next(step for step in summary["steps"] if step["name"] == "notify")
    assert notify["status"] == "failed" and "gave up on partners" in notify["detail"]
    assert "collections" in summary["consumers_hit"]


def test_a_passing_night_sends_nothing_and_a_bad_webhook_setting_is_one_line(built_copy, receiver, capsys):
    with (built_copy / "mesh.yml").open("a") as config:
        config.write(f"notify:\n  webhooks:\n    '*': {receiver.url}\n")
    assert main(["nightly", "--quiet", "--project-dir", str(built_copy)]) == 0
    assert receiver.bodies == []
    (built_copy / "mesh.yml").write_text((built_copy / "mesh.yml").read_text().replace(receiver.url, "file:///etc"))
    assert main(["nightly", "--quiet", "--project-dir", str(built_copy)]) == 2
    assert capsys.readouterr().err == "mesh: mesh.yml notify.webhooks.*: 'file:///etc' is not an http(s) URL\n"
