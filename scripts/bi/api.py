"""A small client of Superset's REST API (standard library only): log in, then JSON and
multipart requests with the session cookie and CSRF token Superset asks for."""

from __future__ import annotations

import http.cookiejar
import json
import secrets
import urllib.error
import urllib.request
from typing import Any

from .credentials import Admin

REQUEST_TIMEOUT_S = 120


class SupersetError(RuntimeError):
    """An API call answered with an error status."""

    def __init__(self, status: int, path: str, body: str) -> None:
        super().__init__(f"{status} on {path}: {body[:2000]}")
        self.status = status
        self.body = body


class Superset:
    """A logged-in session of the REST API at `base_url` (http://127.0.0.1:PORT)."""

    def __init__(self, base_url: str, admin: Admin) -> None:
        self.base_url = base_url.rstrip("/")
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self._token = ""
        login = self.post(
            "/api/v1/security/login",
            {"username": admin.user, "password": admin.password, "provider": "db"},
        )
        self._token = login["access_token"]
        self._csrf = self.get("/api/v1/security/csrf_token/")["result"]

    def _send(self, method: str, path: str, data: bytes | None, content_type: str) -> Any:
        headers = {"Referer": self.base_url}
        if data is not None:
            headers["Content-Type"] = content_type
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
            headers["X-CSRFToken"] = getattr(self, "_csrf", "")
        request = urllib.request.Request(
            self.base_url + path, data=data, headers=headers, method=method
        )
        try:
            with self._opener.open(request, timeout=REQUEST_TIMEOUT_S) as response:
                body = response.read().decode()
        except urllib.error.HTTPError as error:
            raise SupersetError(error.code, path, error.read().decode()) from error
        return json.loads(body) if body else None

    def get(self, path: str) -> Any:
        """The JSON answer of GET `path`."""
        return self._send("GET", path, None, "application/json")

    def post(self, path: str, payload: dict[str, Any]) -> Any:
        """The JSON answer of POST `path` with a JSON body."""
        return self._send("POST", path, json.dumps(payload).encode(), "application/json")

    def put(self, path: str, payload: dict[str, Any]) -> Any:
        """The JSON answer of PUT `path` with a JSON body."""
        return self._send("PUT", path, json.dumps(payload).encode(), "application/json")

    def delete(self, path: str) -> Any:
        """The JSON answer of DELETE `path`."""
        return self._send("DELETE", path, None, "application/json")

    def post_file(
        self, path: str, fields: dict[str, str], name: str, filename: str, content: bytes
    ) -> Any:
        """The JSON answer of POST `path` with a multipart form: `fields` and one file."""
        boundary = secrets.token_hex(16)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'.encode()
            + f"{value}\r\n".encode()
            for key, value in fields.items()
        ]
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/zip\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self._send(
            "POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}"
        )
