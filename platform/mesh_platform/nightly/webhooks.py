"""Alerts by webhook: after a night, each domain that failed, was blocked or is hit by a problem upstream gets
one JSON POST at the URL mesh.yml names for it (`notify.webhooks`). A webhook that is down is retried, then
given up on and reported as the `notify` step's finding; it never fails the night."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import msgspec

from ..errors import MeshError, one_line
from ..project import Project
from ..yaml_input import read_yaml, typed
from .reports import failure_lines, notified, upstream_lines
from .results import NightlyRun, Step

CONFIG_FILE = "mesh.yml"


class NotifySettings(msgspec.Struct, forbid_unknown_fields=True):
    webhooks: dict[str, str] = {}  # domain -> URL; "*" for every domain without its own
    attempts: int = 3
    timeout_seconds: float = 5.0


def notify_settings(project: Project) -> NotifySettings:
    """mesh.yml's `notify` section (none: no webhooks); a mistake is one line naming it."""
    path = project.root / CONFIG_FILE
    data = read_yaml(path, CONFIG_FILE) if path.is_file() else None
    section = (data or {}).get("notify") if isinstance(data, dict) else None
    settings = typed(section or {}, NotifySettings, f"{CONFIG_FILE} notify")
    for domain, url in settings.webhooks.items():
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise MeshError(f"{CONFIG_FILE} notify.webhooks.{domain}: '{url}' is not an http(s) URL")
    if not 1 <= settings.attempts <= 10 or not 0 < settings.timeout_seconds <= 60:
        raise MeshError(f"{CONFIG_FILE} notify: attempts must be 1 to 10 and timeout_seconds above 0, at most 60")
    return settings


def payload(run: NightlyRun, name: str, report: str) -> dict:
    """What a domain's webhook receives: the run, the domain and owner, its own failures, what reaches it."""
    domain = run.domains[name]
    return {"run_id": run.run_id, "target": run.target, "run_status": run.status, "domain": name,
            "status": domain.status,
            "owner": {"name": domain.owner_name, "email": domain.owner_email, "team_handle": domain.team_handle},
            "problems": failure_lines(domain, 20, report),
            "upstream": [impact.__dict__ | {"affected": list(impact.affected)}
                         for impact in run.consumers_hit.get(name, [])],
            "summary": upstream_lines(run, name), "report": f"{report}/summary.md"}


def send_webhooks(run: NightlyRun, project: Project, folder: Path, settings: NotifySettings) -> Step | None:
    """POST each notified domain's alert; the `notify` step (None when no webhook is configured)."""
    if not settings.webhooks:
        return None
    clock = time.perf_counter()
    sent: list[str] = []
    failed: list[str] = []
    for domain in notified(run):
        url = settings.webhooks.get(domain.name) or settings.webhooks.get("*")
        if url is None:
            continue
        error = post(url, payload(run, domain.name, project.relative(folder)), settings)
        (failed if error else sent).append(f"{domain.name}: {error}" if error else domain.name)
    detail = f"sent to {', '.join(sent) or 'nobody'}" + (f"; gave up on {'; '.join(failed)}" if failed else "")
    return Step("notify", "failed" if failed else "ok", round(time.perf_counter() - clock, 2), detail)


def post(url: str, body: dict, settings: NotifySettings) -> str | None:
    """POST `body` as JSON, retrying with a growing pause; None once delivered, else why it was given up."""
    data = json.dumps(body).encode("utf-8")
    reason = ""
    for attempt in range(settings.attempts):
        if attempt:
            time.sleep(0.2 * 2 ** attempt)
        request = urllib.request.Request(url, data=data, method="POST",
                                         headers={"Content-Type": "application/json", "User-Agent": "mesh-nightly"})
        try:
            with urllib.request.urlopen(request, timeout=settings.timeout_seconds) as response:  # noqa: S310
                if 200 <= response.status < 300:
                    return None
                reason = f"HTTP {response.status}"
        except urllib.error.HTTPError as error:
            reason = f"HTTP {error.code}"
        except (urllib.error.URLError, OSError) as error:
            cause = getattr(error, "reason", None) or error
            reason = one_line(getattr(cause, "strerror", None) or cause)
    return f"{reason} after {settings.attempts} attempt(s)"
