"""The modules tests/helpers.py's OWN_PROCESS_MODULES names, each run by pytest in a fresh process of its own
(why: the comment there). A failure or a crash there fails this test, with the module's output."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import OWN_PROCESS_MODULES, ROOT


@pytest.mark.quarantine(
    reason="test_form_widgets segfaulted in a process of its own too (fresh clone of e6e0708): docs/testing.md"
)
@pytest.mark.parametrize("module", sorted(OWN_PROCESS_MODULES))
def test_module_in_a_process_of_its_own(module: str) -> None:
    env = {**os.environ, "CAMPUS_TEST_IN_OWN_PROCESS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", module],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"{module} (exit {done.returncode}):\n{done.stdout[-6000:]}\n{done.stderr[-3000:]}"
    assert " passed" in done.stdout and "no tests ran" not in done.stdout
