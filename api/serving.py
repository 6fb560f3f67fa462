"""How ``orgnet serve`` speaks HTTP: uvicorn's h11 protocol, with one change.

A request the HTTP layer itself cannot read — most often a URL sent with raw UTF-8 in it
(``/v1/chain/张三`` instead of ``/v1/chain/%E5%BC%A0%E4%B8%89``) — never reaches the app, and
uvicorn answers it in plain text. Here it is answered as every other refusal is: JSON
``{"code", "message", "detail"}``, so that a client reads one shape of error.
"""

from __future__ import annotations

import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

BAD_REQUEST = {
    "code": "bad_request",
    "message": "the request is not valid HTTP; a URL must be percent-encoded (张三 is "
    "%E5%BC%A0%E4%B8%89)",
    "detail": None,
}


class JsonH11Protocol(H11Protocol):
    def send_400_response(self, msg: str) -> None:
        body = json.dumps(BAD_REQUEST, ensure_ascii=False).encode("utf-8")
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(status_code=400, headers=headers, reason=b"Bad Request"),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()
