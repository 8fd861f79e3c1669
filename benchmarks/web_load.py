"""A bounded load on the web workplace over loopback: many departments submitting at once, as on the last day.

    python benchmarks/web_load.py [--departments 100] [--clients 20] [--threads 8] [--folder DIR]

`score serve` is started on a fresh data folder; each department (a workbook `score template --from` wrote for it,
from examples/batch/make_departments.py) signs in, uploads its workbook and submits it, from `--clients`
concurrent clients. Then the database is read: every submission must be stored exactly once, under its own
department, with the bytes that were sent, and no request may have been refused. Prints the p50, p95 and largest
response time of the uploads and of the submissions (and of the sign-ins, which hash a password), and exits 1
when a check fails. A benchmark, not a timed test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import hashlib
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Load-test-2024"


@dataclass
class Timings:
    sign_in: list[float] = field(default_factory=list)
    upload: list[float] = field(default_factory=list)
    submit: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def departments(folder: Path, count: int) -> list[tuple[str, str, bytes]]:
    """(name, login, workbook) for each department; the accounts are made in the server's database."""
    from scorer.sources.yaml import load_yaml_file
    from scorer.template.scaffold import scaffold_file

    sources = folder / "departments"
    subprocess.run([sys.executable, str(ROOT / "examples/batch/make_departments.py"), str(sources),
                    "--count", str(count), "--broken", "0"], check=True, capture_output=True)  # fmt: skip
    made = []
    for number, source in enumerate(sorted(sources.glob("*.yaml")), start=1):
        content, _ = scaffold_file("2022", None, source, Path("x.xlsx"), "zh")
        assert isinstance(content, bytes)
        made.append((str(load_yaml_file(source).data["department"]), f"load{number:03d}", content))
    return made


def accounts(data: Path, made: list[tuple[str, str, bytes]]) -> None:
    """One hash of the password shared by every test account: setting the district up is not what is measured."""
    from scorer.web.config import Site, prepare

    prepare(Site(data=data))
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db import transaction

    from scorer.inputs.model import department_key
    from scorer.web.models import Account, Department

    hashed = make_password(PASSWORD)
    with transaction.atomic():
        for name, login, _ in made:
            user = User.objects.create(username=login, password=hashed)
            place = Department.objects.create(name=name, key=department_key(name))
            Account.objects.create(user=user, role="department", department=place)


def multipart(fields: dict[str, str], name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")  # fmt: skip
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Department:
    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=300) as answer:
            return str(answer.read().decode())

    def post(self, path: str, body: bytes, kind: str) -> tuple[int, str]:
        """Send a form; the answer's status before any redirect is followed, and where it leads."""
        request = urllib.request.Request(self.base + path, body, {"Content-Type": kind})
        try:
            with _NoRedirect(self.opener).open(request, timeout=300) as answer:
                return answer.status, ""
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")


def _NoRedirect(opener: urllib.request.OpenerDirector) -> urllib.request.OpenerDirector:  # noqa: N802
    class Keep(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    handlers = [h for h in opener.handlers if not isinstance(h, urllib.request.HTTPRedirectHandler)]
    built = urllib.request.OpenerDirector()
    for handler in [*handlers, Keep()]:
        built.add_handler(handler)
    return built


def token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no form on the page"
    return found.group(1)


def journey(base: str, login: str, content: bytes, timings: Timings) -> None:
    client = Department(base)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token(client.get("/login/")), "username": login,
                                   "password": PASSWORD}).encode()  # fmt: skip
    started = time.perf_counter()
    status, _ = client.post("/login/", form, "application/x-www-form-urlencoded")
    timings.sign_in.append(time.perf_counter() - started)
    if status != 302:
        timings.refused.append(f"{login}: sign-in {status}")
        return
    body, kind = multipart(
        {"csrfmiddlewaretoken": token(client.get("/department/"))}, f"{login}.xlsx", content
    )
    started = time.perf_counter()
    status, _ = client.post("/department/upload", body, kind)
    timings.upload.append(time.perf_counter() - started)
    if status != 302:
        timings.refused.append(f"{login}: upload {status}")
        return
    page = client.get("/department/")
    changes = re.search(r'name="changes" value="(\d+)"', page)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token(page), "changes": changes[1] if changes else ""}
    ).encode()
    started = time.perf_counter()
    status, _ = client.post("/department/submit", form, "application/x-www-form-urlencoded")
    timings.submit.append(time.perf_counter() - started)
    if status != 302:
        timings.refused.append(f"{login}: submit {status}")


def stored(made: list[tuple[str, str, bytes]]) -> list[str]:
    """What the database holds, against what was sent: each department's one version, its bytes, handed in."""
    from scorer.web.models import Filing, Submission

    problems = []
    for name, login, content in made:
        versions = list(Submission.objects.filter(filing__department__name=name))
        if len(versions) != 1:
            problems.append(f"{name}: {len(versions)} versions stored")
            continue
        version = versions[0]
        if version.sha256 != hashlib.sha256(content).hexdigest() or version.department_name != name:
            problems.append(f"{name}: another department's data")
        if version.uploaded_by != login or Filing.objects.get(pk=version.filing_id).status != "submitted":
            problems.append(f"{name}: not handed in by its own account")
    return problems


def shown(label: str, seconds: list[float]) -> str:
    if not seconds:
        return f"{label}: none"
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered) + 0.5) - 1)]
    return (f"{label:9} n={len(ordered):3}  p50 {statistics.median(ordered) * 1000:6.0f} ms  "
            f"p95 {p95 * 1000:6.0f} ms  max {ordered[-1] * 1000:6.0f} ms")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--departments", type=int, default=100)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--threads", type=int, default=8, help="score serve --threads")
    parser.add_argument("--folder", type=Path, default=None)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="score-web-load-"))
    made = departments(folder, args.departments)
    data = folder / "score-data"
    accounts(data, made)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL")}
    server = subprocess.Popen([sys.executable, "-m", "scorer", "serve", "--data", str(data), "--port", str(port),
                               "--threads", str(args.threads)], env=env, stderr=subprocess.DEVNULL)  # fmt: skip
    timings = Timings()
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        started = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(lambda item: journey(base, item[1], item[2], timings), made))
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=60)
    problems = timings.refused + stored(made)
    print(f"{len(made)} departments, {args.clients} concurrent clients, score serve --threads {args.threads}: "
          f"{elapsed:.1f} s in all ({os.cpu_count()} cores)")  # fmt: skip
    for label, seconds in (
        ("sign-in", timings.sign_in),
        ("upload", timings.upload),
        ("submit", timings.submit),
    ):
        print("  " + shown(label, seconds))
    print(f"  stored exactly once, each under its own department: {'yes' if not problems else 'NO'}")
    for problem in problems[:20]:
        print("   ", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
