from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.models.store import SCHEMA_VERSION, LocalStore, StoreError
from tests.helpers import store_of_release

CATALOG = [
    {"code": "a", "name": "成绩单打印申请", "department": "教务处", "audience": ["学生"], "category": "教学教务"},
    {
        "code": "b",
        "name": "后勤报修申请",
        "department": "后勤处",
        "audience": ["学生", "教工"],
        "category": "生活服务",
        "recommended": True,
    },
]


def test_pragmas_and_schema_version(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA user_version").scalar() == SCHEMA_VERSION
    store.close()


def test_reopening_keeps_data_and_does_not_migrate_twice(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    store.replace_catalog(CATALOG)
    store.set_meta("server_epoch", "abc")
    store.close()
    again = LocalStore(tmp_path / "kiosk.db")
    assert [p["name"] for p in again.catalog()] == ["成绩单打印申请", "后勤报修申请"]
    assert again.catalog()[1]["recommended"] is True
    assert again.get_meta("server_epoch") == "abc"
    assert again.get_meta("missing", "x") == "x"
    again.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this program"):
        LocalStore(path)


def test_catalog_replacement_is_atomic(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    store.replace_catalog(CATALOG)
    with pytest.raises(KeyError):
        store.replace_catalog([*CATALOG, {"code": "broken"}])  # a bad row: nothing changes
    assert len(store.catalog()) == 2
    store.checkpoint()
    assert (tmp_path / "kiosk.db-wal").stat().st_size == 0
    store.close()


def test_migrations_build_exactly_the_models_schema(tmp_path: Path) -> None:
    """The frozen DDL of the migrations, run in order, must give the tables and columns the models declare
    (a model changed without a migration fails here)."""
    from kiosk.models.tables import Base

    store = LocalStore(tmp_path / "kiosk.db")
    with sqlite3.connect(tmp_path / "kiosk.db") as conn:
        for table in Base.metadata.sorted_tables:
            on_disk = {row[1]: row[5] > 0 for row in conn.execute(f"PRAGMA table_info({table.name})")}
            declared = {c.name: c.primary_key for c in table.columns}
            assert on_disk == declared, table.name
            indexes = {row[1] for row in conn.execute(f"PRAGMA index_list({table.name})") if row[3] == "c"}
            assert indexes == {i.name for i in table.indexes}, table.name
    store.close()


def test_a_store_of_schema_6_gains_drafts_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    with store_of_release(path, 6) as conn:  # a terminal of the previous release
        conn.execute("INSERT INTO meta (key, value) VALUES ('server_epoch', 'e1')")
    store = LocalStore(path)
    assert store.get_meta("server_epoch") == "e1" and store.drafts("x") == []
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA user_version").scalar() == SCHEMA_VERSION
    store.close()
