"""The production server, for real: `scripts/serve.sh` (what `make serve` runs) with two gunicorn
worker processes and the task worker, on a throwaway PostgreSQL server of its own, with the
production settings. The test signs in through both factors as a browser would (cookies, CSRF,
HTTPS as the TLS proxy reports it), generates the demo's scrutiny report through the queue,
downloads the Word file and reads it back, checks `/healthz`, then stops the database and sees
503. It also checks that the server refuses to start without the production settings.

It starts its own PostgreSQL (it has to stop it), so it runs once, in the SQLite run of
`make test`; the PostgreSQL run skips it, saying so.
"""

# ruff: noqa: S603 (every command here is the project's own script or manage.py)
from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.db import connection
from django_otp.oath import totp
from docx import Document

ROOT = Path(__file__).resolve().parents[3]
PY = str(ROOT / ".venv" / "bin" / "python")
KEY_HEX = secrets.token_hex(20)
USERNAME = "business.unit"
PASSWORD = "demo-only-password"  # the demo's own (safeguarding/demo/partnership.py)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_available() -> bool:
    return subprocess.run([ROOT / "scripts" / "pg-test-server.sh", "available"]).returncode == 0


pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="the deployment test starts its own PostgreSQL; it runs once, in the SQLite run",
    ),
]


@pytest.fixture
def cluster() -> Iterator[tuple[Path, str]]:
    if not _pg_available():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("PostgreSQL server binaries are required in CI for the deployment test")
        pytest.skip("no PostgreSQL server binaries on this machine")
    # Not under pytest's tmp_path: the server runs as the postgres user, who cannot enter it.
    parent = Path(tempfile.mkdtemp(prefix="srh-deploy-"))
    parent.chmod(0o755)
    folder = parent / "pg"
    started = subprocess.run(
        [ROOT / "scripts" / "pg-test-server.sh", "start", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    try:
        yield folder, started.stdout.strip()
    finally:
        subprocess.run([ROOT / "scripts" / "pg-test-server.sh", "stop", str(folder)])
        shutil.rmtree(parent, ignore_errors=True)


def _production_env(tmp_path: Path, database_url: str, port: int) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SRH_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(
        SRH_ENVIRONMENT="production",
        SRH_SECRET_KEY=secrets.token_urlsafe(64),
        SRH_ALLOWED_HOSTS="127.0.0.1",
        SRH_SITE_URL=f"https://127.0.0.1:{port}",
        SRH_MEDIA_ROOT=str(tmp_path / "media"),
        SRH_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DATABASE_URL=database_url,
        SRH_BIND=f"127.0.0.1:{port}",
        SRH_WORKERS="2",
        PY=PY,
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


class Browser:
    """Cookies kept by hand: requests keeps Secure cookies from plain-HTTP addresses, and here
    the TLS proxy's part (X-Forwarded-Proto: https) is played by the client."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}
        self.origin = base.replace("http://", "https://")

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"X-Forwarded-Proto": "https", "Origin": self.origin, "Referer": self.origin}
        response = requests.request(
            method,
            self.base + path,
            headers=headers,
            cookies=self.cookies,
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )
        self.cookies.update({k: v for k, v in response.cookies.get_dict().items() if v})
        return response

    def csrf(self, path: str) -> str:
        page = self.request("GET", path)
        assert page.status_code == 200, (path, page.status_code)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert found, f"no CSRF token on {path}"
        return found.group(1)


def _wait_for(url: str, server: subprocess.Popen[str], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped:\n" + (server.stdout.read() or "")  # type: ignore[union-attr]
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still loading the app
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer 200 within {seconds} s")


def _gunicorn_workers(master_group: int) -> int:
    """Processes in the server's process group whose command line is a gunicorn worker."""
    count = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.getpgid(int(proc.name)) != master_group:
                continue
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, ProcessLookupError):
            continue
        if b"gunicorn" in cmdline:
            count += 1
    return count - 1  # the master


def test_the_server_refuses_to_start_without_the_production_settings() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SRH_")}
    env["SRH_ENVIRONMENT"] = "development"
    done = subprocess.run(
        [ROOT / "scripts" / "serve.sh"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "SRH_ENVIRONMENT must be 'production'" in done.stderr


def test_production_server_signs_in_generates_a_report_and_reports_a_lost_database(
    tmp_path: Path, cluster: tuple[Path, str]
) -> None:
    folder, database_url = cluster
    port = _free_port()
    env = _production_env(tmp_path, database_url, port)
    _manage(env, "migrate", "--noinput", "--verbosity", "0")
    _manage(env, "load_demo")
    _manage(
        env,
        "shell",
        "-c",
        "from django_otp.plugins.otp_totp.models import TOTPDevice;"
        "from safeguarding.accounts.models import User;"
        f"TOTPDevice.objects.create(user=User.objects.get(username='{USERNAME}'),"
        f"name='Authenticator app', key='{KEY_HEX}', confirmed=True)",
    )

    server = subprocess.Popen(
        [ROOT / "scripts" / "serve.sh"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base + "/healthz", server)
        assert _gunicorn_workers(server.pid) == 2

        health = requests.get(base + "/healthz", timeout=5)
        assert (health.status_code, health.text) == (200, "ok\n")
        # Everything else goes to HTTPS: the redirect exemption is for the health check only.
        assert requests.get(base + "/", allow_redirects=False, timeout=5).status_code == 301

        browser = Browser(base)
        token = browser.csrf("/accounts/login/")
        signed = browser.request(
            "POST",
            "/accounts/login/",
            data={"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        assert signed.status_code == 302, signed.text[:500]
        assert "/accounts/two-factor/" in signed.headers["Location"], signed.headers["Location"]
        # Past the password only: no page yet.
        assert browser.request("GET", "/").status_code == 302

        verify_path = signed.headers["Location"].split("?")[0].replace(base, "")
        code = f"{totp(bytes.fromhex(KEY_HEX)):06d}"
        verified = browser.request(
            "POST",
            verify_path,
            data={"code": code, "csrfmiddlewaretoken": browser.csrf(verify_path)},
        )
        assert verified.status_code == 302, verified.text[:500]
        assert browser.request("GET", "/").status_code == 200

        form = "/reports/scrutiny/new/"
        issued = browser.request(
            "POST",
            form,
            data={
                "start": "2021-05-01",
                "end": "2022-12-31",
                "introduction": "",
                "csrfmiddlewaretoken": browser.csrf(form),
            },
        )
        assert issued.status_code == 302, re.findall(r"govuk-error-message.*", issued.text)
        version_path = issued.headers["Location"].replace(base, "")
        progress: dict[str, Any] = {}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            progress = browser.request("GET", version_path + "progress.json").json()
            if progress["finished"]:
                break
            time.sleep(0.5)
        assert progress.get("generation") == "done", progress  # run by the task worker

        page = browser.request("GET", version_path)
        links = sorted(set(re.findall(r'href="([^"]+\.docx)"', page.text)))
        assert links, "no Word download on the version page"
        download = browser.request("GET", links[0].replace(base, ""))
        assert download.status_code == 200
        text = "\n".join(p.text for p in Document(io.BytesIO(download.content)).paragraphs)
        assert "Cross cutting themes" in text

        subprocess.run([ROOT / "scripts" / "pg-test-server.sh", "stop", str(folder)], check=True)
        lost = requests.get(base + "/healthz", timeout=10)
        assert lost.status_code == 503
        assert lost.text == "database unavailable\n"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
