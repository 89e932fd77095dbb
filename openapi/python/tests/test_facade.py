"""The facade (clawdforge.Clawdforge, AsyncClawdforge) from the built wheel, against the live service."""

import asyncio
import http.server
import json
import threading
import time

import pytest
from clawdforge import (
    APIConnectionError,
    APITimeoutError,
    AsyncClawdforge,
    InvalidResponseError,
    AuthenticationError,
    BadRequestError,
    Clawdforge,
    ClawdforgeError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnavailableError,
)
from clawdforge_client.models import FileInfo, RunResponse


@pytest.fixture()
def claude(service_url, app_token):
    with Clawdforge(service_url, app_token) as client:
        yield client


def test_run_returns_the_generated_model(claude):
    answer = claude.run("[[text:hello]]")
    assert isinstance(answer, RunResponse)
    assert answer.result == "hello" and answer.run_id.startswith("run_")


def test_run_structured_sends_the_schema_and_returns_the_object(claude):
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}
    answer = claude.run_structured('[[structured:{"n":7}]]', schema)
    assert answer.result == {"n": 7}


def test_upload_attach_get_and_delete(claude, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("the notes")
    uploaded = claude.upload_file(path, ttl_secs=120)
    assert isinstance(uploaded, FileInfo)
    assert uploaded.name == "notes.txt" and uploaded.size == 9 and uploaded.ttl_secs == 120
    report = claude.run("read it", files=[uploaded.file_token]).result
    assert len(report["cwd_files"]) == 1 and 'uploaded as "notes.txt"' in report["prompt"]
    assert claude.get_file(uploaded.file_token).file_token == uploaded.file_token
    claude.delete_file(uploaded.file_token)
    with pytest.raises(NotFoundError) as gone:
        claude.get_file(uploaded.file_token)
    assert gone.value.code == "file_not_found" and gone.value.status == 404


def test_a_wrong_token_raises_authentication_error_with_the_request_id(service_url):
    with Clawdforge(service_url, "cf_wrong", max_retries=0) as stranger:
        with pytest.raises(AuthenticationError) as refused:
            stranger.run("x")
    assert refused.value.code == "unauthorized" and refused.value.status == 401
    assert isinstance(refused.value.request_id, str) and len(refused.value.request_id) == 36


def test_an_invalid_run_raises_bad_request_error(claude):
    with pytest.raises(BadRequestError) as refused:
        claude.run("")
    assert refused.value.code == "invalid_request" and refused.value.status == 400


def test_claudes_usage_limit_raises_rate_limit_error_with_retry_after(claude):
    reset_at = int(time.time()) + 120
    with pytest.raises(RateLimitError) as limited:
        claude.run(f"[[usage_limit:{reset_at}]]")
    assert limited.value.code == "claude_rate_limited" and limited.value.retry_after > 100


def test_a_refused_connection_raises_api_connection_error():
    with Clawdforge("http://127.0.0.1:9", "cf_x", max_retries=0) as nowhere:
        with pytest.raises(APIConnectionError) as failed:
            nowhere.get_file("ff_x")
    assert failed.value.code == "network_error" and failed.value.status == 0


class _Stub(http.server.BaseHTTPRequestHandler):
    """Answers every request as the test sets it: a code this client does not know, or nothing at all."""

    reply: tuple[int, dict] | None = None
    requests = 0

    def do_GET(self):  # noqa: N802 (http.server's naming)
        _Stub.requests += 1
        if _Stub.reply is None:
            time.sleep(3)  # longer than the client waits
            return
        status, body = _Stub.reply
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.send_header("retry-after", "-1" if status == 503 and body.get("error", {}).get("code") == "server_busy" else "2")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture()
def stub_url():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Stub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_an_unknown_code_from_a_newer_service_arrives_in_the_class_of_its_status(stub_url):
    _Stub.reply = (503, {"ok": False, "error": {"code": "brand_new_code", "message": "not known yet"}})
    with Clawdforge(stub_url, "cf_x", max_retries=0) as client:
        with pytest.raises(UnavailableError) as failed:
            client.get_file("ff_x")
    assert failed.value.code == "brand_new_code" and failed.value.retry_after == 2


def test_max_retries_per_call_over_the_clients_and_a_negative_retry_after_waits_nothing(stub_url):
    _Stub.reply = (503, {"ok": False, "error": {"code": "server_busy", "message": "busy"}})
    with Clawdforge(stub_url, "cf_x", max_retries=0) as client:
        _Stub.requests = 0
        with pytest.raises(UnavailableError):
            client.get_file("ff_x", max_retries=3)
        assert _Stub.requests == 4
        _Stub.requests = 0
        with pytest.raises(UnavailableError):
            client.get_file("ff_x")
        assert _Stub.requests == 1
    with pytest.raises(ValueError):
        Clawdforge(stub_url, "cf_x", max_retries=-1)


def test_a_success_that_is_not_the_documented_model_raises_invalid_response_error(stub_url):
    _Stub.reply = (200, {"unexpected": True})
    with Clawdforge(stub_url, "cf_x") as client:
        with pytest.raises(InvalidResponseError) as failed:
            client.get_file("ff_x")
    assert failed.value.code == "invalid_response"


def test_no_answer_in_time_raises_api_timeout_error(stub_url):
    _Stub.reply = None
    with Clawdforge(stub_url, "cf_x", timeout=60, max_retries=0) as client:
        with pytest.raises(APITimeoutError) as failed:
            client.get_file("ff_x", timeout=0.5)
    assert failed.value.code == "timeout" and failed.value.status == 0


def test_the_async_client_runs_and_raises_the_same_tree(service_url, app_token):
    async def scenario():
        async with AsyncClawdforge(service_url, app_token) as claude:
            uploaded = await claude.upload_file(b"async notes", filename="a.txt")
            answer = await claude.run("read it", files=[uploaded.file_token])
            try:
                await claude.get_file("ff_" + "0" * 32)
            except ClawdforgeError as error:
                return answer, error
        raise AssertionError("no error")

    answer, error = asyncio.run(scenario())
    assert len(answer.result["cwd_files"]) == 1
    assert isinstance(error, NotFoundError) and error.status == 404


def test_a_run_waits_its_timeout_not_httpx_default(service_url, app_token):
    # httpx gives up after 5 s by default; a run of 6 s must still come back.
    with Clawdforge(service_url, app_token) as claude:
        started = time.monotonic()
        answer = claude.run("[[sleep:6000]][[text:late]]", timeout_secs=30)
    assert answer.result == "late" and time.monotonic() - started >= 6



def test_stream_yields_the_events_as_they_happen_and_ends_with_the_result(claude):
    events = list(claude.stream("[[text:one two three]][[delta_ms:100]]"))
    assert [event.type for event in events] == ["queued", "started", "text", "text", "text", "result"]
    assert [event.seq for event in events] == [1, 2, 3, 4, 5, 6]
    assert "".join(event.data["text"] for event in events if event.type == "text") == "one two three"
    assert events[-1].data["result"] == "one two three"


def test_stream_raises_the_error_event_as_its_class(claude):
    seen = []
    with pytest.raises(ServerError) as failed:
        for event in claude.stream("[[exit:1]]"):
            seen.append(event.type)
    assert seen == ["queued", "started"]
    assert failed.value.code == "claude_error" and failed.value.status == 502 and failed.value.request_id


def test_async_runs_start_follow_resume_and_cancel(claude):
    accepted = claude.start_run("[[text:a b c]]")
    assert accepted.status == "queued" and accepted.run_id.startswith("run_")
    events = list(claude.run_events(accepted.run_id))
    assert [event.type for event in events] == ["queued", "started", "text", "text", "text", "result"]
    assert [event.seq for event in claude.run_events(accepted.run_id, last_event_id=4)] == [5, 6]
    done = claude.get_run(accepted.run_id)
    assert done.status == "ok" and done.result.result == "a b c"
    long = claude.start_run("[[sleep:30000]]")
    cancelled = claude.cancel_run(long.run_id)
    assert cancelled.status == "cancelled" and cancelled.error.error.code == "run_cancelled"


def test_the_async_client_streams(service_url, app_token):
    async def scenario():
        async with AsyncClawdforge(service_url, app_token) as claude:
            return [event.type async for event in claude.stream("[[text:async stream]]")]

    assert asyncio.run(scenario()) == ["queued", "started", "text", "text", "result"]


def test_verify_webhook_accepts_a_good_signature_and_refuses_the_rest():
    import base64
    import hashlib
    import hmac

    from clawdforge import WebhookVerificationError, verify_webhook

    secret = "whsec_" + base64.b64encode(b"0123456789abcdef01234567").decode()
    body = '{"type":"run.completed","timestamp":"2026-11-30T00:00:00.000Z","data":{"run_id":"run_x"}}'
    now = int(time.time())
    signature = base64.b64encode(hmac.new(base64.b64decode(secret[6:]), f"msg_1.{now}.{body}".encode(), hashlib.sha256).digest()).decode()
    headers = {"Webhook-Id": "msg_1", "Webhook-Timestamp": str(now), "Webhook-Signature": f"v1,{signature}"}
    assert verify_webhook(secret, headers, body.encode())["data"]["run_id"] == "run_x"
    with pytest.raises(WebhookVerificationError):
        verify_webhook(secret, headers, body.replace("run_x", "run_y"))
    with pytest.raises(WebhookVerificationError):
        verify_webhook(secret, {**headers, "Webhook-Timestamp": str(now - 3600)}, body)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(secret, {"Webhook-Id": "msg_1"}, body)


def test_a_session_keeps_the_history_streams_forks_and_closes(claude):
    with claude.create_session(system="Be brief.", ttl_secs=600) as session:
        assert session.id.startswith("ses_")
        first = session.send("first turn")
        assert isinstance(first, RunResponse)
        assert first.session_id == session.id
        assert first.result["system"] == "Be brief."
        assert session.send("second turn").result["history"] == ["first turn"]
        events = list(session.stream("[[text:streamed]]"))
        assert events[-1].type == "result" and events[-1].data["result"] == "streamed"
        fork = session.fork()
        assert fork.send("in the fork").result["history"] == ["first turn", "second turn", "[[text:streamed]]"]
        assert session.info().turns == 3
        assert {listed.session_id for listed in claude.list_sessions()} >= {session.id, fork.id}
        fork.close()
    with pytest.raises(NotFoundError) as gone:
        claude.session(session.id).send("hello?")
    assert gone.value.code == "session_not_found"


def test_a_turn_that_changes_the_system_prompt_is_refused(claude):
    with claude.create_session(system="one") as session:
        with pytest.raises(BadRequestError) as refused:
            session.send("hi", system="two")
        assert "cannot change" in str(refused.value)


def test_the_async_client_holds_a_session(service_url, app_token):
    async def scenario():
        async with AsyncClawdforge(service_url, app_token) as client:
            async with await client.create_session() as session:
                await session.send("one")
                answer = await session.send("two")
                assert answer.result["history"] == ["one"]
                streamed = [event async for event in session.stream("[[text:async streamed]]")]
                assert streamed[-1].data["session_id"] == session.id

    asyncio.run(scenario())
