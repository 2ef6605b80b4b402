"""ci/post-comment against a fake forge API on 127.0.0.1: the forge is the boundary, so only it is faked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "ci" / "post-comment"
MARKER = "<!-- contractkit-gate -->"
PAGE = 2  # the fake forge pages by 2 whatever per_page says, so pagination is exercised


@dataclass
class FakeForge:
    """GitHub's issue-comments and GitLab's MR-notes endpoints, in memory."""

    comments: list[dict[str, object]] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, str], object]] = field(default_factory=list)
    fail_with: int | None = None
    next_id: int = 1000
    url: str = ""

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: object) -> tuple[int, object, dict]:
        self.requests.append((method, raw_path, headers, body))
        if self.fail_with:
            return self.fail_with, {"message": "Resource not accessible by integration"}, {}
        parts = urllib.parse.urlsplit(raw_path)
        path, query = parts.path, dict(urllib.parse.parse_qsl(parts.query))
        github_list = path == "/repos/acme/contracts/issues/7/comments"
        gitlab_list = path == "/api/v4/projects/acme%2Fcontracts/merge_requests/7/notes"
        if (github_list or gitlab_list) and method == "GET":
            page = int(query.get("page", "1"))
            chunk = self.comments[(page - 1) * PAGE : page * PAGE]
            more = page * PAGE < len(self.comments)
            extra: dict[str, str] = {}
            if more and github_list:
                nxt = f"{self.url}{path}?per_page=100&page={page + 1}"
                extra["Link"] = f'<{nxt}>; rel="next", <{nxt}>; rel="last"'
            if gitlab_list:
                extra["X-Next-Page"] = str(page + 1) if more else ""
            return 200, chunk, extra
        if (github_list or gitlab_list) and method == "POST":
            assert isinstance(body, dict)
            self.next_id += 1
            self.comments.append({"id": self.next_id, "body": body["body"]})
            return 201, self.comments[-1], {}
        edit = path.rsplit("/", 1)
        if method in ("PATCH", "PUT") and edit[1].isdigit():
            for comment in self.comments:
                if comment["id"] == int(edit[1]):
                    assert isinstance(body, dict)
                    comment["body"] = body["body"]
                    return 200, comment, {}
        return 404, {"message": "Not Found"}, {}


@pytest.fixture
def forge() -> Iterator[FakeForge]:
    fake = FakeForge()

    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length)) if length else None
            status, answer, extra = fake.handle(self.command, self.path, dict(self.headers.items()), body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_PUT = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()
    thread.join()


def run(forge_url: str, env: dict[str, str], *args: str, tmp_path: Path, text: str = "**gate passed**\n") -> tuple:
    summary = tmp_path / "gate.md"
    summary.write_text(text, encoding="utf-8")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GITLAB_", "CI_", "GH_"))}
    full_env.update({k: v.replace("{url}", forge_url) for k, v in env.items()})
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(summary), *args],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


GITHUB = {
    "GITHUB_ACTIONS": "true",
    "GITHUB_API_URL": "{url}",
    "GITHUB_REPOSITORY": "acme/contracts",
    "GITHUB_TOKEN": "ghs_test",
    "CONTRACTKIT_PR_NUMBER": "7",
}
GITLAB = {
    "GITLAB_CI": "true",
    "CI_API_V4_URL": "{url}/api/v4",
    "CI_PROJECT_ID": "acme/contracts",
    "CI_MERGE_REQUEST_IID": "7",
    "GITLAB_TOKEN": "glpat-test",
}
OTHERS = [{"id": n, "body": f"looks good {n}"} for n in (1, 2, 3)]


@pytest.mark.parametrize(
    ("env", "existing", "action", "method", "auth"),
    [
        pytest.param(GITHUB, [], "created", "POST", ("Authorization", "Bearer ghs_test"), id="github-create"),
        pytest.param(
            GITHUB,
            [*OTHERS, {"id": 4, "body": f"old\n{MARKER}"}],
            "updated",
            "PATCH",
            ("Authorization", "Bearer ghs_test"),
            id="github-update-on-page-2",
        ),
        pytest.param(GITLAB, [], "created", "POST", ("Private-Token", "glpat-test"), id="gitlab-create"),
        pytest.param(
            GITLAB,
            [*OTHERS, {"id": 4, "body": f"old\n{MARKER}"}],
            "updated",
            "PUT",
            ("Private-Token", "glpat-test"),
            id="gitlab-update-on-page-2",
        ),
        pytest.param(
            {**{k: v for k, v in GITLAB.items() if k != "GITLAB_TOKEN"}, "CI_JOB_TOKEN": "job-tok"},
            [{"id": 9, "body": f"mentioned {MARKER}", "system": True}],
            "created",
            "POST",
            ("Job-Token", "job-tok"),
            id="gitlab-job-token-system-note-skipped",
        ),
    ],
)
def test_upsert(
    forge: FakeForge,
    tmp_path: Path,
    env: dict[str, str],
    existing: list[dict[str, object]],
    action: str,
    method: str,
    auth: tuple[str, str],
) -> None:
    forge.comments = [dict(c) for c in existing]
    before = len(forge.comments)
    code, out, err = run(forge.url, env, tmp_path=tmp_path, text="**gate passed**\n")
    assert (code, err) == (0, "")
    assert out.startswith(f"{action} comment ")
    writes = [r for r in forge.requests if r[0] != "GET"]
    assert [r[0] for r in writes] == [method]
    assert writes[0][2].get(auth[0]) == auth[1]
    posted = [c for c in forge.comments if MARKER in str(c["body"]) and not c.get("system")]
    assert len(posted) == 1
    assert posted[0]["body"] == f"**gate passed**\n\n{MARKER}"
    assert len(forge.comments) == before + (action == "created")


def test_second_run_updates_the_first_runs_comment(forge: FakeForge, tmp_path: Path) -> None:
    first = run(forge.url, GITHUB, tmp_path=tmp_path, text=f"**gate failed**\n{MARKER}\n")
    second = run(forge.url, GITHUB, tmp_path=tmp_path, text=f"**gate passed**\n{MARKER}\n")
    assert first[0] == second[0] == 0
    assert first[1].split()[:2] == ["created", "comment"]
    assert second[1] == first[1].replace("created", "updated")
    assert forge.comments == [{"id": 1001, "body": f"**gate passed**\n{MARKER}"}]


def test_pr_number_from_the_github_event(forge: FakeForge, tmp_path: Path) -> None:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 7}}), encoding="utf-8")
    env = {k: v for k, v in GITHUB.items() if k != "CONTRACTKIT_PR_NUMBER"} | {"GITHUB_EVENT_PATH": str(event)}
    code, out, _ = run(forge.url, env, tmp_path=tmp_path)
    assert code == 0
    assert out.startswith("created comment")


def test_long_summary_is_cut_and_keeps_the_marker(forge: FakeForge, tmp_path: Path) -> None:
    text = f"{MARKER}\n" + "| b2b-orders | failed |\n" * 100
    code, _, _ = run(forge.url, GITHUB, "--max-chars", "300", tmp_path=tmp_path, text=text)
    assert code == 0
    body = str(forge.comments[0]["body"])
    assert len(body) <= 300
    assert body.endswith(f"job log)\n\n{MARKER}")
    assert body.count(MARKER) == 1


@pytest.mark.parametrize(
    ("env", "args", "code", "expected", "requests"),
    [
        pytest.param(
            {k: v for k, v in GITHUB.items() if k != "CONTRACTKIT_PR_NUMBER"},
            (),
            0,
            "note: not a pull/merge request",
            0,
            id="not-a-pull-request-is-a-no-op",
        ),
        pytest.param(
            {k: v for k, v in GITHUB.items() if k != "GITHUB_REPOSITORY"},
            (),
            2,
            "error: `GITHUB_REPOSITORY` is not set",
            0,
            id="missing-repository",
        ),
        pytest.param(
            {k: v for k, v in GITHUB.items() if k != "GITHUB_TOKEN"},
            (),
            2,
            "error: no token to post with",
            0,
            id="missing-token",
        ),
        pytest.param({}, (), 2, "Tip: pass --forge github or --forge gitlab", 0, id="unknown-forge"),
        pytest.param(GITHUB, ("--number", "seven"), 2, "`seven` is not a pull-request number", 0, id="bad-number"),
    ],
)
def test_usage_errors(
    forge: FakeForge,
    tmp_path: Path,
    env: dict[str, str],
    args: tuple[str, ...],
    code: int,
    expected: str,
    requests: int,
) -> None:
    got, _, err = run(forge.url, env, *args, tmp_path=tmp_path)
    assert got == code
    assert expected in err
    assert "Traceback" not in err
    assert len(forge.requests) == requests


@pytest.mark.parametrize(
    ("status", "tip"),
    [
        pytest.param(403, "pull-requests: write", id="403-read-only-token"),
        pytest.param(401, "missing or expired", id="401-bad-token"),
        pytest.param(404, "pull-request number", id="404"),
    ],
)
def test_forge_errors_are_explained(forge: FakeForge, tmp_path: Path, status: int, tip: str) -> None:
    forge.fail_with = status
    code, _, err = run(forge.url, GITHUB, tmp_path=tmp_path)
    assert code == 2
    assert f"error: github answered {status}" in err
    assert "Resource not accessible by integration" in err
    assert tip in err
    assert "Traceback" not in err


def test_unreachable_forge(tmp_path: Path) -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as closed:
        url = f"http://127.0.0.1:{closed.server_address[1]}"
    code, _, err = run(url, GITHUB, tmp_path=tmp_path)
    assert code == 2
    assert "error: cannot reach github" in err
    assert "Traceback" not in err


GATE_DOCS = ROOT / "docs" / "gate.md"


def written_marker(source: str) -> str:
    """The hidden marker a Markdown report ends or starts with, as the tool writes it today."""
    if source == "ci":
        from contractkit.gate.render.markdown import MARKER as GATE_MARKER

        return GATE_MARKER
    from contractkit.breaking.changelog import ChangeReport
    from contractkit.reporters.markdown import render_markdown

    return render_markdown(ChangeReport(source)).splitlines()[-1]


@pytest.mark.parametrize("source", ["ci", "breaking", "changelog"])
def test_every_marker_is_documented_and_updates_its_own_comment(forge: FakeForge, tmp_path: Path, source: str) -> None:
    marker = written_marker(source)
    assert marker.startswith("<!-- contractkit") and marker.endswith(" -->")
    row = next(line for line in GATE_DOCS.read_text(encoding="utf-8").splitlines() if line.startswith(f"| `{marker}`"))
    assert f"`contractkit {source} --format markdown`" in row
    # another tool's comment stays as it is: only the comment with this marker is edited
    others = {"ci": "<!-- contractkit:changelog -->", "breaking": MARKER, "changelog": MARKER}
    forge.comments = [{"id": 1, "body": f"other\n{others[source]}"}, {"id": 2, "body": f"old\n{marker}"}]
    code, out, err = run(forge.url, GITHUB, "--marker", marker, tmp_path=tmp_path, text=f"new\n{marker}\n")
    assert (code, err) == (0, "")
    assert out.startswith("updated comment 2")
    assert forge.comments == [{"id": 1, "body": f"other\n{others[source]}"}, {"id": 2, "body": f"new\n{marker}"}]
