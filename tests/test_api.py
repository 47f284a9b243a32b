"""The REST API (issue 12, first slice): routes, pagination, the one error envelope, security
headers, OpenAPI, and `accord serve` (loopback only, real round trip)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import warnings

import pytest
import yaml

from tests.conftest import EXAMPLES

DATE = "2026-11-29"
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _client(ruleset=None):
    with warnings.catch_warnings():  # Starlette's note about its httpx-based TestClient
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from accord.api import create_app

    return TestClient(create_app(ruleset), raise_server_exceptions=False)


@pytest.fixture(scope="module")
def client():
    return _client()


def _body(name: str) -> dict:
    """An example profile as a client would post it: YAML dates become ISO strings."""
    data = yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())
    return json.loads(json.dumps(data, default=str))


def _assert_envelope(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    error = body["error"]
    assert set(error) == {"code", "message", "details"}
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], list)
    if code is not None:
        assert error["code"] == code
    return error


# --- success on every route -------------------------------------------------------------


def test_rules_lists_instruments_with_pagination(client, ruleset) -> None:
    r = client.get("/api/v1/rules", params={"as_of": DATE})
    assert r.status_code == 200
    page = r.json()
    assert page["total"] == len(ruleset.instruments)
    assert (page["limit"], page["offset"]) == (50, 0)
    eu = next(i for i in page["items"] if i["id"] == "eu-ai-act")
    assert eu["jurisdiction"] == "EU" and eu["binding"] is True
    assert eu["status"] == "in_force"
    assert eu["rules"] == len(ruleset.by_instrument["eu-ai-act"]) > 0
    assert eu["title"]

    first = client.get("/api/v1/rules", params={"limit": 3}).json()
    second = client.get("/api/v1/rules", params={"limit": 3, "offset": 3}).json()
    assert len(first["items"]) == len(second["items"]) == 3
    assert first["total"] == second["total"] == page["total"]
    assert [i["id"] for i in first["items"] + second["items"]] == [
        i["id"] for i in page["items"][:6]
    ]
    beyond = client.get("/api/v1/rules", params={"offset": 10_000}).json()
    assert beyond["items"] == [] and beyond["total"] == page["total"]
    assert client.get("/api/v1/rules", params={"limit": 500}).status_code == 200


def test_rules_filter_by_jurisdiction(client) -> None:
    items = client.get("/api/v1/rules", params={"jurisdiction": "US-NY-NYC"}).json()["items"]
    places = {i["jurisdiction"] for i in items}
    assert "US-NY-NYC" in places and "US" in places  # federal law applies in the city too
    assert "EU" not in places


def test_rule_detail(client) -> None:
    rid = "eu-ai-act.art53.1a.technical-documentation"
    r = client.get(f"/api/v1/rules/{rid}")
    assert r.status_code == 200
    rule = r.json()
    assert rule["id"] == rid and rule["instrument"] == "eu-ai-act"
    assert rule["kind"] == "obligation"
    assert rule["citation"]["text"] == "EU AI Act Art 53(1)(a)"
    assert rule["citation"]["article"] == "53"
    assert rule["confidence"] == "confirmed"
    assert rule["summary"] and rule["title"]
    assert rule["applies_from"]["dates"] == "2025-08-02"


def test_landscape_matches_the_cli(client, cli) -> None:
    r = client.get("/api/v1/landscape", params={"as_of": DATE, "jurisdiction": "KR"})
    assert r.status_code == 200
    expected = cli("landscape", "--as-of", DATE, "-j", "KR", "-f", "json")
    assert expected.exit_code == 0, expected.stderr
    assert r.json() == json.loads(expected.stdout)


def test_assess_matches_the_cli(client, cli) -> None:
    r = client.post("/api/v1/assess", params={"as_of": DATE}, json=_body("cv-screener"))
    assert r.status_code == 200, r.text
    expected = cli(
        "assess", str(EXAMPLES / "cv-screener.yaml"), "--as-of", DATE, "-f", "json", "--exit-zero"
    )
    assert expected.exit_code == 0, expected.stderr
    want = json.loads(expected.stdout)
    got = r.json()
    assert got["verdict"] == want["verdict"]
    assert got == want


def test_assess_options(client) -> None:
    body = _body("cv-screener")
    only = client.post("/api/v1/assess", params={"as_of": DATE, "jurisdiction": "KR"}, json=body)
    assert only.status_code == 200
    assert {v["jurisdiction"] for v in only.json()["verdict"]} <= {"KR"}
    strict = client.post("/api/v1/assess", params={"as_of": DATE, "strict": "true"}, json=body)
    assert strict.status_code == 200 and strict.json()["strict"] is True


def test_compare_matches_the_cli(client, cli) -> None:
    r = client.post("/api/v1/compare", params={"as_of": DATE}, json=_body("cv-screener"))
    assert r.status_code == 200, r.text
    expected = cli("compare", str(EXAMPLES / "cv-screener.yaml"), "--as-of", DATE, "-f", "json")
    assert expected.exit_code == 0, expected.stderr
    assert r.json() == json.loads(expected.stdout)
    one = client.post(
        "/api/v1/compare", params={"as_of": DATE, "jurisdiction": "KR"}, json=_body("cv-screener")
    )
    assert one.json()["markets"] == ["KR"]


# --- every error path: one envelope ------------------------------------------------------


def test_invalid_profile_is_422_with_field_paths(client) -> None:
    body = {**_body("cv-screener"), "markets": 5, "bogus": 1}
    for route in ("/api/v1/assess", "/api/v1/compare"):
        error = _assert_envelope(client.post(route, json=body), 422, "profile_error")
        fields = {d["field"]: d for d in error["details"]}
        assert set(fields) == {"body.markets", "body.bogus"}
        assert "valid list" in fields["body.markets"]["message"]
        assert "unknown field" in fields["body.bogus"]["message"]


def test_nested_profile_field_path(client) -> None:
    body = _body("cv-screener")
    body["markets"] = ["EU", 7]
    error = _assert_envelope(client.post("/api/v1/assess", json=body), 422)
    assert [d["field"] for d in error["details"]] == ["body.markets.1"]


def test_body_that_is_not_an_object_or_not_json(client) -> None:
    error = _assert_envelope(client.post("/api/v1/assess", json=[1, 2]), 422, "validation_error")
    assert error["details"][0]["field"] == "body"
    malformed = client.post(
        "/api/v1/assess", content=b"{not json", headers={"content-type": "application/json"}
    )
    error = _assert_envelope(malformed, 422, "validation_error")
    assert error["details"][0]["field"].startswith("body")
    _assert_envelope(client.post("/api/v1/compare"), 422, "validation_error")  # no body


def test_unknown_rule_is_404(client) -> None:
    error = _assert_envelope(client.get("/api/v1/rules/eu-ai-act.no-such-rule"), 404, "not_found")
    assert "eu-ai-act.no-such-rule" in error["message"]


def test_bad_query_values(client) -> None:
    _assert_envelope(client.get("/api/v1/landscape", params={"as_of": "2026-13-01"}), 400)
    _assert_envelope(
        client.post("/api/v1/assess", params={"as_of": "soon"}, json=_body("cv-screener")), 400
    )
    _assert_envelope(client.get("/api/v1/rules", params={"jurisdiction": "XX"}), 400, "input_error")
    error = _assert_envelope(client.get("/api/v1/rules", params={"limit": 501}), 422)
    assert error["details"][0]["field"] == "query.limit"
    _assert_envelope(client.get("/api/v1/rules", params={"limit": 0}), 422)
    _assert_envelope(client.get("/api/v1/rules", params={"offset": -1}), 422)
    _assert_envelope(client.get("/api/v1/rules", params={"limit": "many"}), 422)
    error = _assert_envelope(
        client.post("/api/v1/assess", params={"strict": "maybe"}, json=_body("cv-screener")), 422
    )
    assert error["details"][0]["field"] == "query.strict"


def test_accord_errors_are_400(client) -> None:
    body = _body("cv-screener")
    r = client.post("/api/v1/compare", params={"jurisdiction": "JP"}, json=body)
    error = _assert_envelope(r, 400, "input_error")
    assert "JP" in error["message"]


def test_unknown_path_and_method(client) -> None:
    _assert_envelope(client.get("/api/v1/nothing"), 404, "not_found")
    _assert_envelope(client.delete("/api/v1/rules"), 405, "method_not_allowed")
    _assert_envelope(client.get("/api/v1/assess"), 405, "method_not_allowed")


class _BrokenRuleSet:
    """A rule set that fails on any use, as a corrupted installation might."""

    def __getattr__(self, name: str):
        raise RuntimeError(f"secret internal detail: {name}")


def test_internal_error_is_a_generic_500() -> None:
    client = _client(_BrokenRuleSet())
    for response in (
        client.get("/api/v1/rules"),
        client.get("/api/v1/rules/eu-ai-act.art5"),
        client.post("/api/v1/assess", params={"as_of": DATE}, json=_body("cv-screener")),
    ):
        error = _assert_envelope(response, 500, "internal_error")
        assert "secret" not in response.text and "Traceback" not in response.text
        assert error["details"] == []
        for name, value in SECURITY_HEADERS.items():
            assert response.headers[name] == value


# --- headers and OpenAPI -----------------------------------------------------------------


def test_security_headers_on_every_response(client) -> None:
    responses = [
        client.get("/api/v1/rules"),
        client.get("/api/v1/openapi.json"),
        client.get("/api/v1/rules/nope"),
        client.get("/api/v1/rules", params={"limit": 9999}),
        client.post("/api/v1/assess", json=_body("cv-screener")),
        client.get("/elsewhere"),
    ]
    for response in responses:
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.url, name)


def test_openapi_document(client) -> None:
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.1.")
    paths = doc["paths"]
    for path, method in [
        ("/api/v1/rules", "get"),
        ("/api/v1/rules/{rule_id}", "get"),
        ("/api/v1/landscape", "get"),
        ("/api/v1/assess", "post"),
        ("/api/v1/compare", "post"),
    ]:
        assert method in paths[path], path
    limit = next(p for p in paths["/api/v1/rules"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 500
    # No CDN-loaded documentation pages.
    assert client.get("/api/v1/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


# --- accord serve ------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::", "example.com"])
def test_serve_refuses_a_non_loopback_host(cli, host: str) -> None:
    result = cli("serve", "--host", host)
    assert result.exit_code == 2
    assert "authentication is not available yet" in result.stderr


def test_loopback_hosts() -> None:
    from accord.cli.serve import is_loopback

    assert all(is_loopback(h) for h in ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"])
    assert not any(is_loopback(h) for h in ["0.0.0.0", "::", "10.0.0.1", "localhost.evil"])


def test_cli_start_does_not_import_the_web_stack() -> None:
    code = (
        "import sys, accord.cli.main\n"
        "print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette', 'httpx') "
        "if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "[]", proc.stdout + proc.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_round_trip() -> None:
    import httpx

    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "accord", "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/v1/rules"
        deadline = time.monotonic() + 20
        while True:
            try:
                r = httpx.get(url, params={"limit": 2}, timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(proc.communicate(timeout=5)[0]) from None
                time.sleep(0.1)
        assert r.status_code == 200
        assert len(r.json()["items"]) == 2
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "server" not in r.headers
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
