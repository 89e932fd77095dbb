"""The plain-HTTP snippet from the README and DESIGN.md, verbatim, beside the generated client."""

import contextlib
import io

import requests


def test_the_requests_snippet_works_as_shown(service_url, app_token):
    CF, TOKEN = service_url, app_token
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        r = requests.post(f"{CF}/run", headers={"Authorization": f"Bearer {TOKEN}"},
                          json={"prompt": 'Reply with JSON: {"hello": "world"}', "model": "sonnet", "timeout_secs": 30}, timeout=60)
        r.raise_for_status(); print(r.json()["result"])   # {'hello': 'world'}
    assert printed.getvalue() == "{'hello': 'world'}\n"
