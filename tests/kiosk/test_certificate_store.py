"""打印证明 in the local store (kiosk/models/certificates.py, kiosk/services/certificates.py): a certificate held
with its PDF, a printed copy counted in the transaction that queues its operation, the count never going back
when the server has not had the copy yet, the reasons a copy may not be printed, and nothing left after logout."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from campus_common import ops
from kiosk.models.store import LocalStore
from kiosk.services import certificates
from kiosk.services.api_client import ApiError
from kiosk.services.certificates import Held

USER, APP = "2022010101", "5d0f6c1e-7d59-4bb3-9d1c-3f7a2f6f0a11"
PDF = b"%PDF-1.7\n" + b"certificate body " * 400 + b"\n%%EOF\n"


def meta(printed: int = 0, allowed: int = 2, **extra: Any) -> dict[str, Any]:
    import hashlib

    return {
        "id": "a" * 32,
        "application_id": APP,
        "title": "在读学籍证明",
        "code": "ABCD-EFGH-JKLM-NPQR",
        "status": "valid",
        "valid_until": "2999-01-01",
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "copies_allowed": allowed,
        "copies_printed": printed,
        "copies_left": allowed - printed,
        **extra,
    }


class FakeClient:
    """The two calls the service makes, answering as the server would (or as an unreachable one)."""

    def __init__(self, answer: dict[str, Any] | None, offline: bool = False) -> None:
        self.answer, self.offline, self.downloads = answer, offline, 0

    def application_certificate(self, _application_id: str) -> dict[str, Any]:
        if self.offline:
            raise ApiError("offline", "无法连接服务器")
        if self.answer is None:
            raise ApiError("certificate_not_found", "没有这个证明", 404)
        return self.answer

    def certificate_pdf(self, _certificate_id: str) -> tuple[bytes, str]:
        self.downloads += 1
        return PDF, str(meta()["sha256"])


def test_held_counted_kept_and_wiped(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    online = FakeClient(meta())
    held = certificates.look_up(online, store, USER, APP)  # type: ignore[arg-type]
    assert held is not None and held.fresh and not held.has_pdf and held.copies_left == 2
    assert certificates.document(online, store, USER, held) == PDF  # type: ignore[arg-type]
    assert certificates.document(online, store, USER, held) == PDF  # type: ignore[arg-type]
    assert online.downloads == 1  # the second time from the store

    # A printed copy: counted here with its queued operation.
    op_type, payload, apply_local = certificates.print_write(USER, APP, "a" * 32, "kiosk-1")
    assert op_type == ops.CERTIFICATE_PRINT
    store.enqueue(USER, op_type, payload, apply_local)
    kept = store.held_certificate(USER, APP)
    assert kept is not None and kept[0]["copies_printed"] == 1 and kept[1] == PDF

    # The server has not had it yet: its older count does not undo ours (and the PDF is kept).
    held = certificates.look_up(online, store, USER, APP)  # type: ignore[arg-type]
    assert held is not None and held.copies_left == 1 and held.has_pdf
    # Offline: as held here.
    offline = certificates.look_up(FakeClient(None, offline=True), store, USER, APP)  # type: ignore[arg-type]
    assert offline is not None and not offline.fresh and offline.has_pdf and offline.copies_left == 1
    assert offline.view(date.today())["offline"] is True and offline.refusal(date.today()) == ""
    # None issued for an application: none shown.
    assert certificates.look_up(FakeClient(None), store, USER, "other") is None  # type: ignore[arg-type]

    store.wipe_personal()
    assert store.held_certificate(USER, APP) is None
    on_disk = (tmp_path / "kiosk.db").read_bytes()
    wal = tmp_path / "kiosk.db-wal"
    on_disk += wal.read_bytes() if wal.exists() else b""
    assert b"certificate body" not in on_disk and b"ABCD-EFGH" not in on_disk


def test_why_a_copy_may_not_be_printed() -> None:
    today = date(2026, 12, 6)
    assert Held(meta(), True, True).refusal(today) == ""
    assert "重新提交申请" in Held(meta(printed=2), True, True).refusal(today)
    assert "撤销" in Held(meta(status="revoked"), True, True).refusal(today)
    assert "有效期" in Held(meta(valid_until="2026-12-05"), True, True).refusal(today)
    assert "联网" in Held(meta(), False, False).refusal(today)  # offline without the PDF here
    # In English: every refusal has its English, with its values.
    assert "all 2 copies" in Held(meta(printed=2), True, True).refusal(today, "en_US").lower()
    for held in (Held(meta(status="revoked"), True, True), Held(meta(valid_until="2026-12-05"), True, True),
                 Held(meta(), False, False)):  # fmt: skip
        english = held.refusal(today, "en_US")
        assert english and not any("\u4e00" <= c <= "\u9fff" for c in english), english


def test_every_printing_text_has_its_english() -> None:
    from kiosk.services.certificate_texts import TEXTS, say

    for code, texts in TEXTS.items():
        assert set(texts) == {"zh_CN", "en_US"}, code
        english = say(code, "en_US", left=1, allowed=2, path="/x", reason="r")
        assert not any("\u4e00" <= c <= "\u9fff" for c in english), (code, english)
    assert say("done", "zh_CN", left=2).endswith("还可打印 2 份。") and say("") == ""


def test_a_tampered_download_is_refused(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "kiosk.db")
    client = FakeClient(meta(sha256="0" * 64))
    held = certificates.look_up(client, store, USER, APP)  # type: ignore[arg-type]
    assert held is not None
    with pytest.raises(ValueError):
        certificates.document(client, store, USER, held)  # type: ignore[arg-type]
    kept = store.held_certificate(USER, APP)
    assert kept is not None and kept[1] is None
