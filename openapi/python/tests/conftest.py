"""Starts the real service (built, with the fake CLI) once for the session."""

import json
import os
import pathlib
import re
import subprocess
import tempfile

import pytest

from clawdforge_client import AuthenticatedClient
from clawdforge_client.api.admin import create_token
from clawdforge_client.models import CreatedToken, CreateTokenBody

ROOT = pathlib.Path(__file__).resolve().parents[3]
MAIN = ROOT / "packages/server/dist/main.js"
FAKE_CLAUDE = ROOT / "packages/server/test/fixtures/fake-claude.mjs"
ADMIN_TOKEN = "python-admin-token-0123456789abcdef"


@pytest.fixture(scope="session")
def service_url():
    if not MAIN.exists():
        pytest.fail(f"{MAIN} is missing: run `npm run build` first (npm test does)")
    data_dir = tempfile.mkdtemp(prefix="clawdforge-pytest-")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": data_dir,
        "HOST": "127.0.0.1",
        "PORT": "0",
        "DATA_DIR": data_dir,
        "ADMIN_BOOTSTRAP_TOKEN": ADMIN_TOKEN,
        "CLAUDE_BIN": str(FAKE_CLAUDE),
    }
    process = subprocess.Popen(["node", str(MAIN)], env=env, cwd=data_dir, stdout=subprocess.PIPE, text=True)
    url = None
    for line in process.stdout:
        match = re.search(r'"url":"(http:[^"]+)"', line)
        if match:
            url = match.group(1)
            break
    assert url, "the service did not start"
    # keep draining the log so the service never blocks on a full pipe
    drain = subprocess.Popen(["cat"], stdin=process.stdout, stdout=subprocess.DEVNULL)
    yield url
    process.terminate()
    process.wait(timeout=30)
    drain.wait(timeout=5)
    subprocess.run(["rm", "-rf", data_dir], check=False)


@pytest.fixture(scope="session")
def admin(service_url):
    with AuthenticatedClient(base_url=service_url, token=ADMIN_TOKEN) as client:
        yield client


@pytest.fixture(scope="session")
def app_token(admin):
    created = create_token.sync(client=admin, body=CreateTokenBody(name="python-app"))
    assert isinstance(created, CreatedToken), created
    return created.token


@pytest.fixture()
def client(service_url, app_token):
    with AuthenticatedClient(base_url=service_url, token=app_token, timeout=60) as client:
        yield client


def body_of(response):
    return json.loads(response.content)
