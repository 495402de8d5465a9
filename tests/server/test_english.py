"""English content for all 64 processes (issue 14, item 7): the server hands each process and each form its
English (seed/english.json, stored with the process and in the form's `ui.en`), and the kiosk's own code
(kiosk/services/catalog.localized, form_fields.build_rows) shows it in English mode — names, departments,
categories, audiences, descriptions, materials, the guide's steps, section titles, field labels and every choice
— with no Chinese left but the proper nouns listed below. Chinese mode is unchanged."""

from __future__ import annotations

import re
from typing import Any

import requests

from kiosk.services.catalog import localized
from kiosk.services.form_fields import build_rows
from tests.helpers import LiveServer

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Proper nouns kept in Chinese in English mode: none so far.
PROPER_NOUNS: set[str] = set()
STUDENT = {"user_id": "2022010101", "name": "王子涵", "department_name": "信息工程学院", "class_name": "2022级1班"}


def chinese_in(text: str) -> bool:
    return bool(CJK.search(text)) and text not in PROPER_NOUNS


def test_every_process_and_form_reads_in_english(shared_server: LiveServer) -> None:
    processes = requests.get(shared_server.url + "/api/v1/hall/processes", timeout=10).json()["processes"]
    assert len(processes) == 64
    left: list[str] = []
    for process in processes:
        code = process["code"]
        english = localized(process, "en_US")
        texts = [english["name"], english["department_name"], english["description"], english["audience_text"]]
        texts += [english["category_text"], *english["materials"], *english["steps"]]
        left += [f"{code}: {t}" for t in texts if chinese_in(t)]
        assert localized(process, "zh_CN")["name"] == process["name"]  # Chinese mode as it was

        form = requests.get(f"{shared_server.url}/api/v1/hall/processes/{code}/form", timeout=10).json()
        for row in build_rows(form, STUDENT, "kiosk", "en_US"):
            shown = [row.label, *row.option_labels]
            left += [f"{code}.{row.name}: {t}" for t in shown if chinese_in(t)]
            assert len(row.option_labels) == len(row.options), (code, row.name)
        chinese = build_rows(form, STUDENT, "kiosk", "zh_CN")
        assert [r.label for r in chinese] == [
            (s["title"] if r.widget == "section" else form["ui"]["fields"][r.name]["label"])
            for r, s in zip(chinese, _section_of(form, chinese), strict=True)
        ]
    assert not left, f"{len(left)} texts still in Chinese: {left[:20]}"


def _section_of(form: dict[str, Any], rows: list[Any]) -> list[dict[str, Any]]:
    """For each row, the section it belongs to (a section row: itself)."""
    sections = {f"section:{s['key']}": s for s in form["ui"]["sections"]}
    out, current = [], {}
    for row in rows:
        current = sections.get(row.name, current)
        out.append(current)
    return out
