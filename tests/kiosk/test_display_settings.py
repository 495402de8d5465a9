"""Display choices kept by a desk (kiosk/services/display_settings.py): read back as written, and a broken or
hand-edited file never stops the screen from coming up."""

from __future__ import annotations

from pathlib import Path

from kiosk.services.display_settings import FILE_NAME, DisplaySettings, load, save


def test_choices_round_trip_and_bad_files_fall_back(tmp_path: Path) -> None:
    defaults = DisplaySettings("zh_CN", 1.0, False)
    assert load(tmp_path, defaults) == defaults  # nothing kept yet
    save(tmp_path, DisplaySettings("en_US", 1.25, True))
    assert load(tmp_path, defaults) == DisplaySettings("en_US", 1.25, True)

    (tmp_path / FILE_NAME).write_text('{"text_scale": 3, "language": "fr_FR", "high_contrast": true}')
    assert load(tmp_path, defaults) == DisplaySettings("zh_CN", 1.0, True)  # unknown values: the defaults
    (tmp_path / FILE_NAME).write_text("{not json")
    assert load(tmp_path, defaults) == defaults
    (tmp_path / FILE_NAME).write_text('["a list"]')
    assert load(tmp_path, defaults) == defaults
