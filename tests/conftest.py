"""Fixtures: a seeded server database (SQLite, and PostgreSQL when ./run test started one), live servers
on loopback, and the real QML application driven by QTest."""

from __future__ import annotations

import os
import sys

# Before anything imports Qt: offscreen rendering, the virtual keyboard's input method, the Basic style.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
os.environ["QT_QUICK_CONTROLS_STYLE"] = "Basic"
os.environ.setdefault("CAMPUS_SYNC_LOG_JSON", "1")
# argon2's test profile for every server, seed and CLI the suite starts (see sync_server/core/security.py);
# test_seed checks that a server without it hashes with the RFC 9106 profile.
os.environ.setdefault("CAMPUS_SYNC_ARGON2_PROFILE", "cheapest")

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import (
    PG_URL,
    LiveServer,
    copy_sqlite,
    create_pg_database,
    seed_database,
)

pytest_plugins = ["tests.qml.harness", "tests.cups_server"]  # cups_server: the private cupsd (打印证明)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Quarantined: a test that fails now and then in the full suite and passes alone, until its cause is found
    # (docs/testing.md lists them). Skipped with its reason in the summary; CAMPUS_TEST_QUARANTINE=1 runs them.
    if not os.environ.get("CAMPUS_TEST_QUARANTINE"):
        for item in items:
            marker = item.get_closest_marker("quarantine")
            if marker is not None:
                item.add_marker(pytest.mark.skip(reason="quarantined: " + str(marker.kwargs.get("reason", ""))))
    if PG_URL:
        return
    # In CI PostgreSQL is part of the suite: a missing cluster is a failure, not a skip.
    reason = "no PostgreSQL (./run test starts one); CAMPUS_TEST_PG_URL unset"
    for item in items:
        if "postgres" in item.keywords:
            if os.environ.get("CI"):
                item.add_marker(pytest.mark.xfail(reason=reason, strict=True, run=False))
            else:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo-seeded SQLite file, made once per run; tests get copies."""
    path = tmp_path_factory.mktemp("template") / "seeded.db"
    seed_database(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def seeded_pg() -> str:
    """A demo-seeded PostgreSQL database, made once per run; tests get copies (CREATE DATABASE … TEMPLATE)."""
    if not PG_URL:
        pytest.skip("no PostgreSQL")
    url = create_pg_database()
    seed_database(url)
    return url.rsplit("/", 1)[1]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh demo database on each backend."""
    if request.param == "sqlite":
        return copy_sqlite(request.getfixturevalue("seeded_sqlite"), tmp_path / "db")
    return create_pg_database(template=request.getfixturevalue("seeded_pg"))


@pytest.fixture
def live_server(db_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """A real sync server process on a free loopback port, over a fresh demo database."""
    server = LiveServer(db_url=db_url, workdir=tmp_path).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory, seeded_sqlite: Path) -> Iterator[LiveServer]:
    """One SQLite-backed server for a module's read-only tests."""
    workdir = tmp_path_factory.mktemp("shared-server")
    server = LiveServer(db_url=copy_sqlite(seeded_sqlite, workdir), workdir=workdir).start()
    yield server
    server.stop()


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """Send Qt's critical and fatal messages to the terminal the moment they are printed.

    A qFatal aborts the process, and pytest's capture (and pytest-qt's, which keeps Qt's messages for the report)
    dies with it: the log of such a run shows faulthandler's Python stack and nothing of what Qt said. The fd that
    pytest's faulthandler writes to survives capture, so Qt's last words go there as well, with the test's id."""
    qtcore = sys.modules.get("PySide6.QtCore")
    fd = item.config.stash.get(_faulthandler_fd_key(), None) if qtcore else None
    if fd is None:
        yield
        return
    loud = (qtcore.QtMsgType.QtCriticalMsg, qtcore.QtMsgType.QtFatalMsg)
    previous = None

    def handler(kind: object, context: object, text: str) -> None:
        if kind in loud:
            os.write(fd, f"\n[Qt {getattr(kind, 'name', kind)} in {item.nodeid}] {text}\n".encode(errors="replace"))
        if previous is not None:
            previous(kind, context, text)

    previous = qtcore.qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qtcore.qInstallMessageHandler(previous)


def _faulthandler_fd_key() -> pytest.StashKey[int]:
    from _pytest.faulthandler import fault_handler_stderr_fd_key

    return fault_handler_stderr_fd_key


def pytest_runtest_teardown(item: pytest.Item) -> None:
    """Once a kiosk Backend has switched Python's automatic collector off (kiosk/views/gui_gc.py), cycles are
    collected only while Qt's event loop runs; tests that never run it (the server's) would pile them up for the
    rest of the session. Collect here, between tests, on the main thread, with the same thresholds."""
    gui_gc = sys.modules.get("kiosk.views.gui_gc")
    if gui_gc is not None:
        collector = gui_gc.install()
        if collector is not None:
            collector.check()
