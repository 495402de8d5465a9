"""One form being filled: its rows, the fields the user has left, the files on their way to the server, and which
errors show (a field's once it was left; every one after 查看未填项 or 提交)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from kiosk.services.form_fields import (
    FieldRow,
    back_to_school_value,
    build_rows,
    changed_to,
    draft_values,
    filled,
    problems,
    restore_sent,
    restore_values,
    to_data,
)

if TYPE_CHECKING:
    from campus_common.forms import AttachmentLimits


class FormState:
    def __init__(
        self, definition: dict[str, Any], rows: list[FieldRow], touched: Iterable[str] = (), mode: str = "kiosk"
    ) -> None:
        self.definition = definition
        self.mode = mode
        self._rows = list(rows)
        self._touched = set(touched)
        self._checked_all = False
        self.error_count = 0  # every problem, shown or not: 提交 waits for none
        self._revalidate()

    @classmethod
    def opened(
        cls,
        definition: dict[str, Any],
        user: dict[str, Any],
        mode: str,
        returned: dict[str, Any] | None = None,
        language: str = "zh_CN",
    ) -> FormState:
        """A new form for `user`, or (`returned`) the application sent back to be corrected, every field that
        was sent counted as left so its error shows at once."""
        rows = build_rows(definition, user, mode, language)
        if returned is None:
            return cls(definition, rows, mode=mode)
        rows, restored = restore_sent(rows, returned)
        return cls(definition, rows, restored, mode)

    @property
    def rows(self) -> list[FieldRow]:
        return list(self._rows)

    def row(self, name: str) -> FieldRow | None:
        return next((r for r in self._rows if r.name == name), None)

    def _replace(self, name: str, **changes: Any) -> None:
        self._rows = [replace(r, **changes) if r.name == name else r for r in self._rows]

    def _revalidate(self) -> None:
        found = problems(self.definition, self._rows)
        shown = {n: m for n, m in found.items() if self._checked_all or n in self._touched}
        self._rows = [replace(r, error=shown.get(r.name, "")) for r in self._rows]
        self.error_count = len(found)

    # -- editing --------------------------------------------------------------------------------------------
    def set_value(self, name: str, value: Any) -> bool:
        """A new value typed or picked; False for a field that takes none (unknown, read-only)."""
        row = self.row(name)
        if row is None or row.read_only:
            return False
        self._replace(name, value=value)
        half_range = row.widget == "daterange" and isinstance(value, dict) and not all(value.values())
        if not half_range:  # the start of a range alone is not a mistake yet: wait for its end
            self._touched.add(name)
        self._revalidate()
        return True

    def change(self, name: str) -> bool:
        """使用其他号码: a field the school filled is typed for this application, starting empty (the keyboard comes
        up for it). False for a field that cannot be (not filled by the school, or already being typed)."""
        row = self.row(name)
        if row is None or not row.changeable or not row.read_only:
            return False
        self._rows = [changed_to(r, "") if r.name == name else r for r in self._rows]
        self._touched.discard(name)  # its error shows once it is left, as any field's
        self._revalidate()
        return True

    def keep_school_value(self, name: str) -> bool:
        """用登记的号码: back to the school's value, read-only, as the form opened."""
        row = self.row(name)
        if row is None or not row.changeable or row.read_only:
            return False
        self._rows = [back_to_school_value(r, self.mode) if r.name == name else r for r in self._rows]
        self._touched.discard(name)
        self._revalidate()
        return True

    def touch(self, name: str) -> None:
        """The user left a field: from now on its errors show."""
        self._touched.add(name)
        self._revalidate()

    def check_all(self) -> bool:
        """Every field's error shows from now on; True when there is none."""
        self._checked_all = True
        self._revalidate()
        return self.error_count == 0

    def first_error_field(self) -> str:
        return next((r.name for r in self._rows if r.error), "")

    def first_annotated_field(self) -> str:
        return next((r.name for r in self._rows if r.annotation), "")

    def data(self) -> dict[str, Any]:
        """What is submitted (call once check_all() is True)."""
        return to_data(self.definition, self._rows)[0]

    def draft_values(self) -> dict[str, Any]:
        return draft_values(self._rows)

    def resume(self, values: dict[str, Any]) -> None:
        """继续填写草稿: the draft's values back, the errors of those filled shown as if each had been left."""
        self._rows, restored = restore_values(self._rows, values)
        self._touched |= {r.name for r in self._rows if r.name in restored and filled(r.value)}
        self._revalidate()

    # -- attachments (desk mode) ----------------------------------------------------------------------------
    @property
    def uploading(self) -> int:
        return sum(1 for r in self._rows for u in r.uploads if u["state"] == "uploading")

    def limits(self, name: str) -> AttachmentLimits:
        from campus_common import forms

        return forms.attachment_limits(self.definition, name)

    def add_uploads(self, name: str, file_names: list[str]) -> list[str]:
        """Files chosen for an attachment field: as many as it has room for are shown as on their way (earlier
        refusals cleared); the field's notice names the rest. Returns a token per file taken, in order."""
        row = self.row(name)
        if row is None or row.widget != "attachment":
            return []
        limit = self.limits(name).max_count
        in_flight = [u for u in row.uploads if u["state"] == "uploading"]
        room = max(0, limit - len(row.value) - len(in_flight))
        notice = f"最多上传 {limit} 个文件，未添加：" + "、".join(file_names[room:]) if len(file_names) > room else ""
        added: list[dict[str, Any]] = [
            {"token": uuid.uuid4().hex, "name": n, "size": 0, "progress": 0.0, "state": "uploading", "message": ""}
            for n in file_names[:room]
        ]
        self._replace(name, uploads=(*in_flight, *added), notice=notice)
        self._revalidate()
        return [u["token"] for u in added]

    def show_progress(self, progress: Mapping[str, tuple[int, int]]) -> None:
        """Bytes sent so far (token → (done, total)) on the files still on their way."""

        def moved(upload: dict[str, Any]) -> dict[str, Any]:
            if upload["state"] != "uploading":
                return upload
            done, total = progress.get(upload["token"], (0, 0))
            return {**upload, "progress": done / total if total else 0.0, "size": total}

        self._rows = [replace(r, uploads=tuple(moved(u) for u in r.uploads)) if r.uploads else r for r in self._rows]

    def upload_done(self, name: str, token: str, item: dict[str, Any]) -> None:
        """The file is on the server: it joins the field's value."""
        row = self.row(name)
        if row is None:
            return
        value = list(row.value) if any(v.get("id") == item["id"] for v in row.value) else [*row.value, item]
        self._replace(name, value=value, uploads=tuple(u for u in row.uploads if u["token"] != token))
        self._touched.add(name)
        self._revalidate()

    def upload_failed(self, name: str, token: str, message: str) -> None:
        row = self.row(name)
        if row is None:
            return
        uploads = tuple({**u, "state": "failed", "message": message} if u["token"] == token else u for u in row.uploads)
        self._replace(name, uploads=uploads)
        self._revalidate()

    def remove_attachment(self, name: str, attachment_id: str) -> None:
        """✕ on an uploaded file: it leaves the form (the server keeps the upload, unused)."""
        row = self.row(name)
        if row is None or row.widget != "attachment":
            return
        self._replace(name, value=[v for v in row.value if v.get("id") != attachment_id])
        self._touched.add(name)
        self._revalidate()

    def dismiss_upload(self, name: str, token: str) -> None:
        """✕ on a file that was refused: its message goes."""
        row = self.row(name)
        if row is not None:
            self._replace(name, uploads=tuple(u for u in row.uploads if u["token"] != token), notice="")
