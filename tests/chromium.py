"""One headless Chromium for a whole test, driven over the DevTools protocol.

Starting Chromium costs about a second; printing a page in a running one
costs a tenth of that. `--remote-debugging-pipe` makes Chromium read
commands from file descriptor 3 and write answers to 4, each a JSON message
ended by a NUL byte (Chrome DevTools Protocol, "Target", "Page" domains)."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
from pathlib import Path
from types import TracebackType
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Browser:
    """`with Browser(tmp) as browser: browser.pdf(url)`: one Chromium, many pages."""

    def __init__(self, profile: Path, timeout: float = 60.0) -> None:
        assert CHROMIUM is not None
        self._timeout = timeout
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()
        self._process = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=lambda: _place(commands_read, answers_write),
        )
        os.close(commands_read)
        os.close(answers_write)
        self._next_id = 0
        self._buffer = b""

    def __enter__(self) -> Browser:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        with contextlib.suppress(OSError):
            self._send("Browser.close")
        os.close(self._commands)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._answers)

    def pdf(self, url: str) -> bytes:
        """The page at `url` printed as Chromium's --print-to-pdf prints it:
        the page's own CSS size, no header or footer."""
        session = self._open(url)
        printed = self._call(
            "Page.printToPDF", {"preferCSSPageSize": True, "displayHeaderFooter": False}, session
        )
        self._call("Target.closeTarget", {"targetId": session[1]})
        return base64.b64decode(printed["data"])

    def dom(self, url: str) -> str:
        """The page's DOM once it has loaded and run, as --dump-dom shows it."""
        session = self._open(url)
        result = self._call(
            "Runtime.evaluate",
            {"expression": "document.documentElement.outerHTML", "returnByValue": True},
            session,
        )
        self._call("Target.closeTarget", {"targetId": session[1]})
        return str(result["result"]["value"])

    def evaluate(self, url: str, expression: str) -> Any:
        """What `expression` returns in the page at `url`, once it has loaded."""
        session = self._open(url)
        result = self._call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session
        )
        self._call("Target.closeTarget", {"targetId": session[1]})
        return result["result"].get("value")

    def screenshot(self, url: str, width: int = 1000) -> bytes:
        """The whole page at `url`, `width` CSS pixels wide, as a PNG."""
        session = self._open(url)
        self._call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        height = self._call("Page.getLayoutMetrics", {}, session)["cssContentSize"]["height"]
        shot = self._call(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
            session,
        )
        self._call("Target.closeTarget", {"targetId": session[1]})
        return base64.b64decode(shot["data"])

    def _open(self, url: str) -> tuple[str, str]:
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session_id = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        session = (session_id, target)
        self._call("Page.enable", {}, session)
        self._call("Page.navigate", {"url": url}, session)
        self._wait_for("Page.loadEventFired", session_id)
        return session

    def _send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _call(
        self, method: str, params: dict[str, Any], session: tuple[str, str] | None = None
    ) -> dict[str, Any]:
        sent = self._send(method, params, session[0] if session else "")
        while True:
            message = self._receive()
            if message.get("id") == sent:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))

    def _wait_for(self, event: str, session: str) -> None:
        while True:
            message = self._receive()
            if message.get("method") == event and message.get("sessionId") == session:
                return

    def _receive(self) -> dict[str, Any]:
        import select

        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._answers], [], [], self._timeout)
            if not ready:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._answers, 1 << 20)
            if not chunk:
                raise EOFError("Chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))


def _place(commands_read: int, answers_write: int) -> None:
    # In the child, before exec: the protocol's two ends on fds 3 and 4,
    # moved out of the way first in case either already sits on 3 or 4.
    commands, answers = os.dup(commands_read), os.dup(answers_write)
    os.dup2(commands, 3)
    os.dup2(answers, 4)
