"""Every one of the 64 processes through the real QML: its form renders (a tap on the process opens it), is
filled with data generated from its schema (hypothesis) and submitted through the outbox to the live server,
where it is applied; data made invalid in one field is refused on the kiosk with the message on that field; the same
invalid data sent straight to the server is refused there too, naming the same field."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st

from campus_common import forms
from kiosk.services.form_fields import to_data
from sync_server.seed import SEED_DIR
from tests.form_strategies import invalid_data, valid_data
from tests.helpers import NEW_PW, LiveServer, activated, bearer, copy_sqlite
from tests.qml.steps import back_to_start, log_in, open_form_of

PROCESSES = json.loads((SEED_DIR / "processes.json").read_text(encoding="utf-8"))
DEFINITIONS = {p["code"]: json.loads((SEED_DIR / "forms" / f"{p['code']}.json").read_text()) for p in PROCESSES}
# One demo user per audience; a process open to 学生/教工 is taken by the student.
USERS = {"学生": ("2022010101", "150311"), "教工": ("101203", "120239"), "校外人员": ("WB20260001", "050718")}


def _known(hints: dict[str, Any], profile: dict[str, Any]) -> bool:
    """A typed field the school's records fill (身份证号, 入职日期) for this user: read-only for them."""
    return forms.locked_by_profile(hints) and bool(profile.get(str(hints["source"]).removeprefix("profile.")))


def _audience_of(process: dict[str, Any]) -> str:
    return next(a for a in ("学生", "教工", "校外人员") if a in process["audience"])


@pytest.fixture(scope="module")
def server(seeded_sqlite: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    # One server for the three audiences: each signs in as a user of its own, whose applications alone it checks.
    workdir = tmp_path_factory.mktemp("all-forms")
    live = LiveServer(db_url=copy_sqlite(seeded_sqlite, workdir / "db"), workdir=workdir).start()
    yield live
    live.stop()


# Each form's examples are found one at a time, deterministically, before its turn in the UI: a draw that
# Hypothesis rejects (a filter) then retries that draw only. Drawn inside one @given test instead, a rejection
# restarted the whole UI run — up to 12 times (148 s instead of 34 s), depending on the tests run before.
FIND = settings(
    database=None,
    derandomize=True,
    phases=[Phase.generate],
    max_examples=500,
    suppress_health_check=list(HealthCheck),
)


def _example(strategy: st.SearchStrategy[Any], condition: Any = lambda _: True) -> Any:
    return find(strategy, condition, settings=FIND)


@pytest.mark.parametrize("audience", ["学生", "教工", "校外人员"], ids=["student", "staff", "visitor"])
def test_every_form_renders_validates_and_submits(server: LiveServer, launch_ui: Any, audience: str) -> None:
    user_id, initial = USERS[audience]
    token = activated(server, user_id, initial)["access_token"]
    ui = launch_ui(server.url)
    log_in(ui, user_id, NEW_PW)
    ui.wait_for(lambda: ui.state.sync.property("lastSync") != "", timeout=20_000)
    profile = ui.state.auth.current.user
    mine = [p for p in PROCESSES if _audience_of(p) == audience]
    assert mine
    submitted: dict[str, str] = {}
    for process in mine:
        code, definition = process["code"], DEFINITIONS[process["code"]]
        controller = open_form_of(ui, code)
        # What the records fill but the applicant may change (联系电话) is shown read-only, then given another
        # value here (使用其他号码), as anyone may: the values drawn below are typed into it.
        for row in controller.property("fields").rows():
            if row.changeable:
                assert row.read_only and row.value, (code, row.name)
                controller.useSchoolValue(row.name, False)
        # Every applicant field is on the page, under its section.
        for name in forms.applicant_fields(definition):
            assert ui.find("field_" + name) is not None, (code, name)

        # Invalid in one field: refused here, on that field.
        # A field the user can edit here (read-only ones are filled from the profile by the kiosk and by the
        # server alike; attachments are for office PCs).
        def editable(pair: tuple[dict[str, Any], str], definition: dict[str, Any] = definition) -> bool:
            hints = forms.field_ui(definition, pair[1])
            if hints.get("widget") == "readonly" or hints.get("desk_only") or _known(hints, profile):
                return False
            if pair[1] in pair[0] and pair[0][pair[1]] is None:
                return False  # no widget gives null (the server refuses it: tests/server/test_forms.py)
            # Still wrong once trimmed (both ends trim text and treat a blank optional field as not given).
            return pair[1] in forms.validate(definition, forms.normalise(definition, pair[0]))

        bad, field = _example(invalid_data(definition, profile), editable)
        for name in forms.applicant_fields(definition):
            hints = forms.field_ui(definition, name)
            if hints.get("widget") != "readonly" and not (hints.get("desk_only") and ui.state.config.mode == "kiosk"):
                if _known(hints, profile):
                    continue  # filled from the school's records, read-only
                controller.setValue(name, bad.get(name, [] if hints.get("widget") in ("checkboxes",) else ""))
        if not forms.field_ui(definition, field).get("desk_only"):
            assert not controller.checkAll(), (
                code,
                field,
                bad,
                to_data(definition, controller.property("fields").rows()),
            )
            error = str(ui.find("fieldError", ui.find("field_" + field)).property("text"))
            assert error, (code, field, bad.get(field))
        # … and by the server, sent directly.
        # As UTF-8 (requests' json= escapes every CJK character to 6 bytes: a 200,000-character text would
        # pass the 1 MiB body limit and be refused as a whole, not on its field).
        direct = requests.post(
            server.url + "/api/v1/sync/push",
            data=json.dumps(
                {
                    "device_id": "direct",
                    "ops": [
                        {
                            "id": str(uuid.uuid4()),
                            "seq": 1,
                            "type": "application.submit",
                            "payload": {"application_id": str(uuid.uuid4()), "process_code": code, "data": bad},
                            "created_at": datetime.now(UTC).isoformat(),
                        }
                    ],
                },
                ensure_ascii=False,
            ).encode(),
            headers={**bearer(token), "Content-Type": "application/json"},
            timeout=10,
        ).json()["results"][0]
        assert direct["status"] == "rejected" and field in direct["error"].get("fields", {}), (code, field, direct)

        # Valid: accepted here, submitted through the outbox.
        good = _example(valid_data(definition, profile))
        for name in forms.applicant_fields(definition):
            hints = forms.field_ui(definition, name)
            if hints.get("widget") != "readonly" and not _known(hints, profile):
                empty = [] if hints.get("widget") in ("checkboxes", "attachment") else ""
                controller.setValue(name, good.get(name, empty))
        assert controller.checkAll(), (code, good, [r for r in controller.property("fields").rows() if r.error])
        controller.confirmSubmit()
        ui.wait_for(lambda c=controller: c.property("state") == "saved")
        submitted[code] = controller.property("applicationId")
        if code in ("jw-xiuxue", "xj-diannao-weixiu", "bw-laifang-baobei"):
            ui.screenshot(f"kiosk-form-{code}-submitted")
        back_to_start(ui)

    ui.state.sync.syncNow()
    ui.wait_for(lambda: ui.state.sync.property("pendingCount") == 0, timeout=60_000)
    changes = requests.get(server.url + "/api/v1/sync/pull", headers=bearer(token), timeout=10).json()["changes"]
    on_server = {c["data"]["process_code"]: c["id"] for c in changes if c["entity"] == "application"}
    assert on_server == {code: app_id for code, app_id in submitted.items()}
    assert ui.state.store.outbox_counts(user_id)["rejected"] == 0
