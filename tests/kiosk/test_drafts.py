"""Desk drafts (kiosk/services/drafts.py) in a real store file: sealed at rest with the terminal's key (kept by
kiosk/services/credentials.py in the keyring or its encrypted-file fallback), private to their user, kept across
logout and restart, dropped when the key is lost; and store migration 10, which drops the plain-text drafts of
before."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.models.store import LocalStore
from kiosk.services import campus_time
from kiosk.services.credentials import EncryptedFileStore, draft_key
from kiosk.services.drafts import Drafts, when_saved
from tests.helpers import store_of_release

REPAIR, LEAK = "xj-diannao-weixiu", "hq-baoxiu"
# What must never reach the disk as typed: ASCII and Chinese, as UTF-8 or as JSON's \u escapes.
SECRET = "MARKER-7f3a 综合实验楼101"
TRACES = [b"MARKER-7f3a", "综合实验楼".encode(), json.dumps("综合实验楼").strip('"').encode()]


def _on_disk(store_path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in store_path.parent.glob(store_path.name + "*"))


def _drafts(tmp_path: Path, credentials_dir: Path | None = None) -> tuple[LocalStore, Drafts]:
    store = LocalStore(tmp_path / "kiosk.db")
    credentials = EncryptedFileStore(credentials_dir or tmp_path / "credentials")
    return store, Drafts(store, lambda: draft_key(credentials, "device-1"))


def test_a_draft_is_sealed_in_the_file_and_its_wal(tmp_path: Path) -> None:
    store, drafts = _drafts(tmp_path)
    drafts.save("101203", REPAIR, 2, {"location": SECRET, "asset_type": "打印机"})
    raw = _on_disk(tmp_path / "kiosk.db")  # before a checkpoint: the draft is in the WAL
    assert (tmp_path / "kiosk.db-wal").stat().st_size > 0
    for trace in TRACES:
        assert trace not in raw, trace
    sealed = store.draft("101203", REPAIR)
    assert sealed is not None and "MARKER" not in sealed["sealed"]
    store.checkpoint()
    raw = _on_disk(tmp_path / "kiosk.db")
    assert not any(trace in raw for trace in TRACES)
    draft = drafts.find("101203", REPAIR)
    assert draft is not None and draft.values == {"location": SECRET, "asset_type": "打印机"}
    assert draft.form_version == 2 and draft.saved_at
    store.close()


def test_drafts_are_per_user_one_per_form_and_survive_logout_and_restart(tmp_path: Path) -> None:
    store, drafts = _drafts(tmp_path)
    drafts.save("101203", REPAIR, 2, {"location": "综合实验楼101"})
    drafts.save("101203", LEAK, 1, {"description": "漏水"})
    drafts.save("101390", REPAIR, 2, {"location": "别人的草稿"})
    assert drafts.find("2022010101", REPAIR) is None  # another user sees none
    assert [d.process_code for d in drafts.list("101203")] == [LEAK, REPAIR]  # the latest first
    drafts.save("101203", REPAIR, 2, {"location": "改过了"})  # one draft per form
    assert drafts.find("101203", REPAIR).values == {"location": "改过了"}  # type: ignore[union-attr]
    assert [d["process_code"] for d in store.drafts("101203")] == [REPAIR, LEAK]

    store.wipe_personal(keep_drafts=True)  # a desk client's logout
    assert len(drafts.list("101203")) == 2 and len(drafts.list("101390")) == 1
    store.close()

    store, drafts = _drafts(tmp_path)  # a restart: a new store and service, the same key
    assert drafts.find("101203", LEAK).values == {"description": "漏水"}  # type: ignore[union-attr]
    drafts.delete("101203", LEAK)
    assert [d.process_code for d in drafts.list("101203")] == [REPAIR]
    store.wipe_personal()  # a kiosk: nothing of anyone's stays, not even in the file's free pages
    assert drafts.list("101203") == [] and drafts.list("101390") == []
    store.close()
    raw = (tmp_path / "kiosk.db").read_bytes()
    assert "综合实验楼101".encode() not in raw and "别人的草稿".encode() not in raw


def test_a_lost_key_drops_the_drafts_it_sealed(tmp_path: Path) -> None:
    store, drafts = _drafts(tmp_path)
    drafts.save("101203", REPAIR, 2, {"location": SECRET})
    drafts.save("101203", LEAK, 1, {"description": "漏水"})
    store.close()
    # The key went with the keyring (or the fallback's files): a new one is made, the old drafts cannot be opened.
    store, drafts = _drafts(tmp_path, credentials_dir=tmp_path / "another-keyring")
    assert drafts.find("101203", REPAIR) is None
    assert store.draft("101203", REPAIR) is None  # deleted, not left to fail again
    assert drafts.list("101203") == [] and store.drafts("101203") == []
    drafts.save("101203", REPAIR, 2, {"location": "重新填写"})  # and drafts work again with the new key
    assert drafts.find("101203", REPAIR).values == {"location": "重新填写"}  # type: ignore[union-attr]
    store.close()


def test_the_draft_key_is_made_once_per_terminal_and_kept(tmp_path: Path) -> None:
    credentials = EncryptedFileStore(tmp_path / "credentials")
    key = draft_key(credentials, "device-1")
    assert draft_key(credentials, "device-1") == key
    assert draft_key(EncryptedFileStore(tmp_path / "credentials"), "device-1") == key  # after a restart
    assert draft_key(credentials, "device-2") != key  # another data dir on the same keyring
    credentials.save("draft-key-device-1", "not a key")
    assert draft_key(credentials, "device-1") not in (key, b"not a key")  # a damaged entry is replaced
    stored = list((tmp_path / "credentials").glob("draft-key-*.token"))
    assert stored and all(key not in p.read_bytes() for p in stored)  # the fallback keeps it encrypted


def test_migration_10_drops_the_plain_text_drafts_of_before(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    with store_of_release(path, 9) as conn:  # a desk client of the previous release, with a plain-text draft
        conn.execute(
            "INSERT INTO drafts VALUES ('101203', ?, 2, ?, '2026-11-28T06:00:00+00:00')",
            (REPAIR, json.dumps({"location": SECRET}, ensure_ascii=False)),
        )
    assert SECRET.encode() in path.read_bytes()
    store = LocalStore(path)
    assert store.drafts("101203") == []
    store.checkpoint()
    store.close()
    assert SECRET.encode() not in path.read_bytes()  # zeroed (secure_delete), not merely unlinked


def test_when_a_draft_was_saved_reads_as_a_person_says_it() -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    local = now.astimezone(campus_time.zone())  # the campus's time, whatever the PC's zone
    assert when_saved(now.isoformat(), local.date()) == local.strftime("%H:%M")
    assert when_saved(now.isoformat(), local.date() + timedelta(days=1)) == local.strftime("%m-%d %H:%M")
    assert when_saved("") == when_saved("not a time") == ""
    assert when_saved(now.isoformat()) == when_saved(now.isoformat(), campus_time.now().date())
