"""Drive Debian's headless Chromium: dump the DOM after scripts ran, or take a screenshot."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--enable-logging=stderr",
    "--v=0",
]


def chromium() -> str:
    """Path of the browser; tests that need it fail in CI without it, and skip elsewhere."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def run(url: str, *extra: str, offline: bool = False, timeout: int = 120) -> tuple[str, str]:
    """Load ``url`` and return (DOM after scripts ran, browser log).

    ``offline`` makes every host unresolvable but 127.0.0.1 (where the tests serve
    Leaflet), so nothing leaves the machine.
    """
    exe = chromium()
    with tempfile.TemporaryDirectory() as profile:
        args = [exe, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=8000", *extra]
        if offline:
            args.append("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1")
        proc = subprocess.run([*args, "--dump-dom", url], capture_output=True, text=True, timeout=timeout)
    return proc.stdout, proc.stderr


def screenshot(url: str, out: Path, size: str = "1280,860", offline: bool = True) -> None:
    exe = chromium()
    with tempfile.TemporaryDirectory() as profile:
        args = [
            exe,
            *FLAGS,
            f"--user-data-dir={profile}",
            "--virtual-time-budget=8000",
            f"--window-size={size}",
            "--hide-scrollbars",
            f"--screenshot={out}",
        ]
        if offline:
            args.append("--host-resolver-rules=MAP * ~NOTFOUND")
        subprocess.run([*args, url], capture_output=True, text=True, timeout=120, check=True)


class RecordingProxy:
    """An HTTP proxy on 127.0.0.1 that records every request the browser makes.

    It serves ``pages`` (URL -> HTML) itself and refuses everything else (404 for plain
    HTTP, 403 for a CONNECT tunnel to an https host), so nothing leaves the machine. With
    Chromium pointed at it (``--proxy-server``, loopback not bypassed), every request the
    page makes, to any host, by any means, passes through :attr:`requests`.
    """

    def __init__(self, pages: dict[str, str]) -> None:
        import http.server
        import threading

        self.pages = pages
        self.requests: list[str] = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_CONNECT(self) -> None:  # noqa: N802
                proxy.requests.append(f"CONNECT {self.path}")
                self.send_error(403)

            def do_GET(self) -> None:  # noqa: N802
                proxy.requests.append(f"GET {self.path}")
                body = proxy.pages.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                raw = body.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_POST = do_HEAD = do_GET  # noqa: N815

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> RecordingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def flags(self) -> list[str]:
        port = self._server.server_address[1]
        return [f"--proxy-server=http://127.0.0.1:{port}", "--proxy-bypass-list=<-loopback>"]


def requests_of(url: str, pages: dict[str, str], *extra: str) -> tuple[str, list[str], list[str]]:
    """Load ``url`` (served by a :class:`RecordingProxy` holding ``pages``) and return
    (DOM after scripts ran, URLs the page asked for, every request that left the browser).

    Two records that agree: Chromium's own network log attributes each request to who
    made it (a page's requests carry the page's origin as initiator; the browser's own
    background requests and the navigation carry none), and the proxy sees every request
    that leaves the browser. Every proxied host must appear in the network log, so the
    log missed nothing.
    """
    import json
    from urllib.parse import urlsplit

    with tempfile.TemporaryDirectory() as tmp, RecordingProxy(pages) as proxy:
        log_path = Path(tmp) / "netlog.json"
        dom, _ = run(url, *proxy.flags, f"--log-net-log={log_path}", *extra)
        log = json.loads(log_path.read_text(encoding="utf-8"))
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    by_page, seen_hosts = [], set()
    for e in log["events"]:
        params = e.get("params") or {}
        if types.get(e["type"]) == "URL_REQUEST_START_JOB" and "url" in params:
            seen_hosts.add(urlsplit(params["url"]).hostname)
            if params.get("initiator") == origin:
                by_page.append(params["url"])
    for r in proxy.requests:
        target = r.split(" ", 1)[1]
        host = target.rsplit(":", 1)[0] if r.startswith("CONNECT") else urlsplit(target).hostname
        assert host in seen_hosts, f"the proxy saw {r!r}, which the network log does not have"
    return dom, by_page, proxy.requests
