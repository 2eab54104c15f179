"""Start the test provider (see __init__.py) in a subprocess, and stop it.

    with running_provider(tmp_path, people=[ProviderUser(...)], redirect_uri=...) as provider:
        settings.SSO_ISSUER = provider.issuer  # or **provider.app_settings() in override_settings

About 3 s to start (two short `manage.py` runs for the database, then gunicorn)."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess  # nosec B404 - starts the test provider only
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = "safeguarding.testing.oidc_provider.settings"
PROVIDER_PASSWORD = "provider-test-password"  # noqa: S105 - a throwaway test provider's


@dataclass(frozen=True)
class ProviderUser:
    """Someone the provider signs in, and what their ID token says about them."""

    username: str
    email: str
    email_verified: bool = True
    amr: tuple[str, ...] = ()
    password: str = PROVIDER_PASSWORD


@dataclass
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    log: Path
    process: subprocess.Popen[bytes] = field(repr=False)

    def app_settings(self) -> dict[str, Any]:
        """The app's settings that point it at this provider (endpoints by discovery)."""
        return {
            "SSO_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret,
        }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rsa_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def _env(state: Path, issuer: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SRH_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        OP_STATE_DIR=str(state),
        OP_ISSUER=issuer,
        PYTHONPATH=str(ROOT),
    )
    return env


def _django(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(  # noqa: S603  # nosec B603 - our own interpreter and arguments
        [sys.executable, "-m", "django", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"test provider: {args[0]} failed:\n{done.stdout}\n{done.stderr}")


def _wait_until_up(provider: Provider, seconds: float = 60) -> None:
    url = provider.issuer + "/.well-known/openid-configuration"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if provider.process.poll() is not None:
            raise RuntimeError("test provider stopped:\n" + provider.log.read_text())
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"test provider: {url} did not answer in {seconds} s")


@contextmanager
def running_provider(
    folder: Path, *, people: list[ProviderUser], redirect_uri: str
) -> Iterator[Provider]:
    """A provider on a free port of 127.0.0.1 that knows `people` and one confidential client
    (skip_authorization) whose only redirect URI is `redirect_uri`. Stopped on leaving."""
    state = folder / "oidc-provider"
    state.mkdir(parents=True, exist_ok=True)
    (state / "rsa.pem").write_text(_rsa_key_pem())
    (state / "people.json").write_text(
        json.dumps(
            {
                p.username: {
                    "email": p.email,
                    "email_verified": p.email_verified,
                    "amr": list(p.amr),
                    "password": p.password,
                }
                for p in people
            }
        )
    )
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    env = _env(state, issuer)
    client_id, client_secret = "srh-under-test", secrets.token_urlsafe(24)
    _django(env, "migrate", "--noinput", "--verbosity", "0")
    _django(
        env,
        "provider_setup",
        "--client-id",
        client_id,
        "--client-secret",
        client_secret,
        "--redirect-uri",
        redirect_uri,
    )
    log = state / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603  # nosec B603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--access-logfile",
                "-",
                "safeguarding.testing.oidc_provider.wsgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    provider = Provider(issuer, client_id, client_secret, log, process)
    try:
        _wait_until_up(provider)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
