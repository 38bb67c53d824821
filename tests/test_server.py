"""app.py's own middleware: TCP_NODELAY on each connection the server accepts (Streamlit's listening socket does
not name TCP, so asyncio leaves Nagle's algorithm on, and an answer's body waited for a delayed ACK)."""

from __future__ import annotations

import socket
from collections.abc import Coroutine, Iterator
from typing import Any

import pytest


class Transport:
    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection

    def get_extra_info(self, name: str) -> socket.socket | None:
        return self.connection if name == "socket" else None


class Protocol:
    """As uvicorn's: the request's `receive` is a method of the connection's protocol, which holds the transport."""

    def __init__(self, transport: Transport | None) -> None:
        self.transport = transport

    async def receive(self) -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}


def run(step: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine that never waits, without an event loop (the browser tests' Playwright may hold this
    thread's)."""
    try:
        step.send(None)
    except StopIteration:
        return
    raise AssertionError("the middleware waited for something")


@pytest.fixture
def accepted() -> Iterator[socket.socket]:
    """A TCP connection accepted on 127.0.0.1, Nagle's algorithm on, as Streamlit's server accepts one."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname())
        server_side, _ = listener.accept()
        server_side.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)
        yield server_side
        server_side.close()
        client.close()


def test_each_connection_sends_at_once(accepted: socket.socket) -> None:
    from app import NoDelay

    called = []

    async def inner(scope: dict, receive: object, send: object) -> None:
        called.append(scope["type"])

    async def send(message: dict) -> None:
        pass

    middleware = NoDelay(inner)  # type: ignore[arg-type]
    assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
    run(middleware({"type": "http"}, Protocol(Transport(accepted)).receive, send))
    assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    # a receive that is no protocol's method (another server, a test client) is passed on untouched
    run(middleware({"type": "websocket"}, Protocol(None).receive, send))
    run(middleware({"type": "http"}, lambda: None, send))
    assert called == ["http", "websocket", "http"]
