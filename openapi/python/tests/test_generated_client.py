"""The generated Python client against the live service (fake CLI)."""

import io

from clawdforge_client import AuthenticatedClient
from clawdforge_client.api.admin import create_token, get_run, list_runs, list_tokens, revoke_token, rotate_token, update_token
from clawdforge_client.api.files import delete_file, get_file, upload_file
from clawdforge_client.api.health import health, readiness
from clawdforge_client.api.runs import run
from clawdforge_client.models import (
    CreatedToken,
    CreateTokenBody,
    CreateTokenBodyToolsItem,
    ErrorBody,
    FileInfo,
    Health,
    RevokedToken,
    RotatedToken,
    RotateTokenBody,
    RunBody,
    RunBodyJsonSchema,
    RunResponse,
    TokenList,
    UpdatedToken,
    UpdateTokenBody,
    UploadFileBody,
)
from clawdforge_client.models.error_body_error_code import ErrorBodyErrorCode
from clawdforge_client.types import File


def test_health(client):
    answer = health.sync(client=client)
    assert isinstance(answer, Health)
    assert answer.ok is True and answer.claude_present is True


def test_readiness(client):
    answer = readiness.sync(client=client)
    assert answer.ready is True and answer.db == "ok"
    assert answer.last_auth_failure is None


def test_run_returns_a_parsed_json_object(client):
    answer = run.sync(client=client, body=RunBody(prompt='[[text:{"qty": 2, "unit": "cup"}]]', model="sonnet"))
    assert isinstance(answer, RunResponse)
    assert answer.result == {"qty": 2, "unit": "cup"}
    assert answer.run_id.startswith("run_")
    assert answer.usage.input_tokens == 11


def test_run_returns_a_string(client):
    answer = run.sync(client=client, body=RunBody(prompt="[[text:Just prose.]]"))
    assert isinstance(answer, RunResponse)
    assert answer.result == "Just prose."


def test_upload_then_run_with_the_file(client):
    upload = UploadFileBody(file=File(payload=io.BytesIO(b"3 eggs\n200 g flour\n"), file_name="recipe.txt", mime_type="text/plain"), ttl_secs=600)
    stored = upload_file.sync(client=client, body=upload)
    assert isinstance(stored, FileInfo), stored
    assert (stored.name, stored.size, stored.ttl_secs) == ("recipe.txt", 19, 600)

    answer = run.sync(client=client, body=RunBody(prompt="Parse the recipe.", files=[stored.file_token]))
    assert isinstance(answer, RunResponse)
    assert answer.result["cwd_files"] == ["file-1.txt"]
    assert answer.result["prompt"].endswith('@file-1.txt (uploaded as "recipe.txt")')

    assert get_file.sync(stored.file_token, client=client).sha256 == stored.sha256
    deleted = delete_file.sync(stored.file_token, client=client)
    assert deleted.ok is True
    gone = get_file.sync(stored.file_token, client=client)
    assert isinstance(gone, ErrorBody)
    assert gone.error.code == ErrorBodyErrorCode.FILE_NOT_FOUND


def test_admin_token_flows(admin):
    created = create_token.sync(client=admin, body=CreateTokenBody(name="py-flow", ip_cidrs=["192.168.0.0/24"]))
    assert isinstance(created, CreatedToken)
    assert created.token.startswith("cf_") and created.ip_cidrs == ["192.168.0.0/24"]

    listed = list_tokens.sync(client=admin)
    assert isinstance(listed, TokenList)
    assert "py-flow" in [token.name for token in listed.tokens]

    taken = create_token.sync_detailed(client=admin, body=CreateTokenBody(name="py-flow"))
    assert taken.status_code == 409 and taken.parsed.error.code == ErrorBodyErrorCode.CONFLICT

    assert isinstance(revoke_token.sync("py-flow", client=admin), RevokedToken)
    again = revoke_token.sync_detailed("py-flow", client=admin)
    assert again.status_code == 404
    assert again.parsed.error.code == ErrorBodyErrorCode.NOT_FOUND


def test_a_401_surfaces_as_the_error_body(service_url):
    with AuthenticatedClient(base_url=service_url, token="cf_not_a_real_token") as stranger:
        response = run.sync_detailed(client=stranger, body=RunBody(prompt="hi"))
    assert response.status_code == 401
    assert isinstance(response.parsed, ErrorBody)
    assert response.parsed.ok is False
    assert response.parsed.error.code == ErrorBodyErrorCode.UNAUTHORIZED


def test_a_404_surfaces_as_the_error_body(client):
    response = get_file.sync_detailed("ff_" + "a" * 32, client=client)
    assert response.status_code == 404
    assert isinstance(response.parsed, ErrorBody)
    assert response.parsed.error.code == ErrorBodyErrorCode.FILE_NOT_FOUND


def test_audit_log(admin, client):
    done = run.sync(client=client, body=RunBody(prompt="[[text:logged]]"))
    page = list_runs.sync(client=admin, app="python-app", limit=50)
    assert done.run_id in [record.run_id for record in page.runs]
    detail = get_run.sync(done.run_id, client=admin)
    assert detail.prompt == "[[text:logged]]" and detail.status.value == "ok"


def test_token_policy_update_and_rotation(admin, service_url):
    created = create_token.sync(
        client=admin, body=CreateTokenBody(name="py-policy", models=["haiku"], tools=[CreateTokenBodyToolsItem.READ], runs_per_day=50)
    )
    assert isinstance(created, CreatedToken), created
    assert (created.models, created.runs_per_day, created.max_concurrent) == (["haiku"], 50, None)

    with AuthenticatedClient(base_url=service_url, token=created.token, timeout=60) as app:
        refused = run.sync_detailed(client=app, body=RunBody(prompt="hi", model="opus"))
        assert refused.status_code == 403
        assert isinstance(refused.parsed, ErrorBody) and refused.parsed.error.code == ErrorBodyErrorCode.MODEL_NOT_ALLOWED

        # None lifts a limit; an absent field stays as it was.
        updated = update_token.sync("py-policy", client=admin, body=UpdateTokenBody(models=None, max_concurrent=2))
        assert isinstance(updated, UpdatedToken), updated
        assert (updated.models, updated.max_concurrent, updated.runs_per_day) == (None, 2, 50)
        assert run.sync(client=app, body=RunBody(prompt="[[text:ok]]", model="opus")).result == "ok"

    rotated = rotate_token.sync("py-policy", client=admin, body=RotateTokenBody(grace_secs=0))
    assert isinstance(rotated, RotatedToken) and rotated.previous_token_expires_at is None
    with AuthenticatedClient(base_url=service_url, token=created.token) as old:
        assert run.sync_detailed(client=old, body=RunBody(prompt="hi")).status_code == 401
    with AuthenticatedClient(base_url=service_url, token=rotated.token, timeout=60) as new:
        assert run.sync(client=new, body=RunBody(prompt="[[text:still me]]")).result == "still me"


def test_json_schema_returns_the_structured_output(client):
    schema = RunBodyJsonSchema.from_dict(
        {"type": "object", "properties": {"qty": {"type": "number"}, "unit": {"type": "string"}}, "required": ["qty", "unit"]}
    )
    answer = run.sync(client=client, body=RunBody(prompt='[[structured:{"qty": 2, "unit": "cup"}]]', json_schema=schema))
    assert isinstance(answer, RunResponse), answer
    assert answer.result == {"qty": 2, "unit": "cup"}

    failed = run.sync_detailed(client=client, body=RunBody(prompt="[[schema_fail]]", json_schema=schema))
    assert failed.status_code == 422
    assert isinstance(failed.parsed, ErrorBody) and failed.parsed.error.code == ErrorBodyErrorCode.SCHEMA_NOT_SATISFIED
