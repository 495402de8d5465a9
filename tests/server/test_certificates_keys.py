"""Certificates (issue 18): signing-key rotation, and the public verification page in a real browser.

One live server on SQLite: a certificate signed, the key rotated (`cert-keys rotate`), a second one signed with
the new key; both verify on the page and with `verify`, the first one saying it was signed by a retired key; the
retired key withdrawn (its line deleted) → its document cannot be verified any more. Headless Chromium screenshots
of the page (valid, revoked, forged code, withdrawn key; desktop and a 390×844 phone) under test-artifacts/.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.helpers import LiveServer, copy_sqlite, run_server_cli
from tests.server.certificate_helpers import (  # noqa: F401  (reduced_font: the module fixture, before the server)
    ARTIFACTS,
    BASE,
    RSC,
    finish,
    needs_poppler,
    reduced_font,
)
from tests.server.workflow_helpers import Client

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE, DESKTOP = (390, 844), (1280, 900)


def screenshot(url: str, name: str, size: tuple[int, int], profile: Path) -> Image.Image:
    """The page as headless Chromium draws it, saved as test-artifacts/certificates/verify-<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"verify-{name}.png"
    path.unlink(missing_ok=True)
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",  # the tests may run as root, where Chromium's sandbox refuses to start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        f"--window-size={size[0]},{size[1]}",
        f"--screenshot={path}",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and path.exists(), done.stderr[-2000:]
    image = Image.open(path).convert("RGB")
    assert image.size == size
    return image


def has_colour(image: Image.Image, rgb: tuple[int, int, int], at_least: int = 200) -> bool:
    """Whether the page shows this colour (the verdict's) on at least that many pixels."""
    colours = image.getcolors(maxcolors=1 << 20) or []
    return sum(n for n, c in colours if c == rgb) >= at_least


GREEN, RED = (0x11, 0x63, 0x29), (0xA4, 0x0E, 0x26)


@needs_poppler
def test_rotation_keeps_old_documents_verifiable_and_the_page_in_a_browser(seeded_sqlite: Path, tmp_path: Path) -> None:
    key_file = tmp_path / "cert-key.pem"
    env = {"CAMPUS_SYNC_CERT_KEY_FILE": str(key_file), "CAMPUS_SYNC_PUBLIC_URL": BASE}
    db_url = copy_sqlite(seeded_sqlite, tmp_path / "db")
    server = LiveServer(db_url=db_url, workdir=tmp_path, extra_env=env).start()
    try:
        me, app_id = finish(server, "jw-zaidu-zhengming")
        old = me.get(f"/api/v1/applications/{app_id}/certificate").json()
        old_pdf = tmp_path / "old.pdf"
        old_pdf.write_bytes(me.get(f"/api/v1/certificates/{old['id']}/pdf").content)
        old_key = requests.get(f"{server.url}/api/v1/certificates/public-key", timeout=10).json()
        assert old_key["retired"] == []

        rotated = run_server_cli("cert-keys", "rotate", db_url=db_url, env=env)
        assert rotated.returncode == 0 and old_key["key_id"] in rotated.stdout, rotated.stdout + rotated.stderr
        new_key = requests.get(f"{server.url}/api/v1/certificates/public-key", timeout=10).json()
        assert new_key["key_id"] != old_key["key_id"]
        assert [k["key_id"] for k in new_key["retired"]] == [old_key["key_id"]]
        assert new_key["retired"][0]["public_key"] == old_key["public_key"]

        staff, staff_app = finish(server, "rs-zaizhi-zhengming")
        new = staff.get(f"/api/v1/applications/{staff_app}/certificate").json()
        new_pdf = tmp_path / "new.pdf"
        new_pdf.write_bytes(staff.get(f"/api/v1/certificates/{new['id']}/pdf").content)

        # Each document names its key; the page and `verify` accept both, and say which was retired.
        old_facts = requests.get(f"{server.url}/api/v1/verify/{old['code']}", timeout=10).json()
        new_facts = requests.get(f"{server.url}/api/v1/verify/{new['code']}", timeout=10).json()
        assert old_facts["signing_key"]["id"] == old_key["key_id"] and old_facts["signing_key"]["state"] == "retired"
        assert new_facts["signing_key"] == {"id": new_key["key_id"], "state": "current", "retired_on": None}
        assert old_facts["status"] == new_facts["status"] == "valid"
        verified = run_server_cli("verify", str(old_pdf), db_url=db_url, env=env)
        assert verified.returncode == 0 and "已停用的签名密钥" in verified.stdout, verified.stdout + verified.stderr
        verified = run_server_cli("verify", str(new_pdf), db_url=db_url, env=env)
        assert verified.returncode == 0 and "已停用" not in verified.stdout, verified.stdout + verified.stderr
        # The retired key alone (what an offline checker kept from before) still verifies its own documents only.
        only_old = run_server_cli("verify", str(old_pdf), "--public-key", old_key["public_key"], db_url=db_url)
        assert only_old.returncode == 0, only_old.stdout
        only_old = run_server_cli("verify", str(new_pdf), "--public-key", old_key["public_key"], db_url=db_url)
        assert only_old.returncode == 1 and "不是用这把公钥签发的" in only_old.stdout

        qr = {}
        for name, path in (("old", old_pdf), ("new", new_pdf)):
            found = re.search(rb"campus-cert:([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{86})", path.read_bytes())
            assert found is not None
            qr[name] = f"?d={found.group(1).decode()}&s={found.group(2).decode()}"
        page = requests.get(f"{server.url}/v/{old['code']}{qr['old']}", timeout=10).text
        assert "有效" in page and "二维码中的签名有效" in page and "已停用的签名密钥" in page
        assert old_key["key_id"] in page
        page = requests.get(f"{server.url}/v/{new['code']}{qr['new']}", timeout=10).text
        assert "二维码中的签名有效" in page and "已停用的签名密钥" not in page

        if CHROMIUM:
            profile = tmp_path / "chromium"
            valid = f"{server.url}/v/{new['code']}{qr['new']}"
            assert has_colour(screenshot(valid, "valid-desktop", DESKTOP, profile), GREEN)
            assert has_colour(screenshot(valid, "valid-phone", PHONE, profile), GREEN)
            shot = screenshot(f"{server.url}/v/{old['code']}{qr['old']}", "valid-retired-key-phone", PHONE, profile)
            assert has_colour(shot, GREEN)
            shot = screenshot(f"{server.url}/v/ABCD-EFGH-JKLM-NPQR", "forged-code-phone", PHONE, profile)
            assert has_colour(shot, RED) and not has_colour(shot, GREEN)

        # Revoked by its issuer (人事处): the page says so.
        assert staff.post(f"/api/v1/certificates/{new['id']}/revoke", {"reason": "x"}).status_code == 403
        revoked = Client(server, RSC).post(f"/api/v1/certificates/{new['id']}/revoke", {"reason": "已离职"})
        assert revoked.status_code == 200, revoked.text
        page = requests.get(f"{server.url}/v/{new['code']}", timeout=10).text
        assert "已撤销" in page and "有效 · Valid" not in page
        if CHROMIUM:
            shot = screenshot(f"{server.url}/v/{new['code']}", "revoked-phone", PHONE, tmp_path / "chromium")
            assert has_colour(shot, RED) and not has_colour(shot, GREEN)
            shot = screenshot(f"{server.url}/v/{new['code']}", "revoked-desktop", DESKTOP, tmp_path / "chromium")
            assert has_colour(shot, RED)

        # The retired key withdrawn (its line deleted, as after a leak): its document no longer verifies.
        listing = key_file.with_name(key_file.name + ".retired")
        assert old_key["key_id"] in listing.read_text()
        listing.write_text("")
        facts = requests.get(f"{server.url}/api/v1/verify/{old['code']}", timeout=10).json()
        assert facts["status"] == "key_withdrawn" and facts["signing_key"]["state"] == "withdrawn"
        page = requests.get(f"{server.url}/v/{old['code']}{qr['old']}", timeout=10).text
        assert "无法核验" in page and "二维码中的签名与学校记录不符" in page and "有效 · Valid" not in page
        verified = run_server_cli("verify", str(old_pdf), db_url=db_url, env=env)
        assert verified.returncode == 1 and "不是用这把公钥签发的" in verified.stdout, verified.stdout
        if CHROMIUM:
            shot = screenshot(f"{server.url}/v/{old['code']}", "withdrawn-key-phone", PHONE, tmp_path / "chromium")
            assert has_colour(shot, RED) and not has_colour(shot, GREEN)
        assert f"{BASE}/v/" in page  # the address a genuine page has, for the reader to compare
    finally:
        server.stop()
    if not CHROMIUM:
        pytest.skip("chromium is not installed (./run installs it): the verification page was not screenshot")


def test_rotate_without_a_key_and_a_malformed_listing(tmp_path: Path) -> None:
    """`cert-keys rotate` with no key yet: a clear message; a garbled retired line vouches for nothing."""
    from datetime import date

    from sync_server.core import certificates_keys as keys

    env = {"CAMPUS_SYNC_CERT_KEY_FILE": str(tmp_path / "k.pem")}
    result = run_server_cli("cert-keys", "rotate", db_url="sqlite://", env=env)
    assert result.returncode == 1 and "还没有签名密钥" in result.stderr
    path = keys.create(tmp_path / "k.pem")
    retired, new = keys.rotate(date(2026, 12, 6), path)
    assert retired.key_id != new.key_id and (tmp_path / "k.pem").stat().st_mode & 0o777 == 0o600
    listing = keys.retired_path(path)
    good = listing.read_text()
    listing.write_text("garbage line\n" + good.replace(retired.key_id, "deadbeef") + good)
    assert [k.key_id for k in keys.retired_keys(path)] == [retired.key_id]
    assert set(keys.keyring(path)) == {retired.key_id, new.key_id}


def test_an_expired_certificate_and_its_page(tmp_path: Path) -> None:
    """Past its validity a certificate is 已过期 (not revoked); its page, drawn by Chromium, says so in amber."""
    from datetime import date

    from sync_server.api.routes import certificates_page as view
    from sync_server.core import certificates
    from sync_server.models import Certificate

    row = Certificate(valid_until="2026-03-06", revoked_at=None)
    assert certificates.status_of(row, date(2026, 3, 6)) == "valid"
    assert certificates.status_of(row, date(2026, 3, 7)) == "expired"
    facts = {
        "code": "F4XC-7WTZ-BJWC-VKVD",
        "title": "在职证明",
        "serial": "93015",
        "holder": "刘*宏",
        "id": "410************239",
        "issuer": "人事处",
        "issued": "2025-12-06",
        "valid_until": "2026-03-06",
        "status": "expired",
        "revoked_on": None,
        "sha256": "0" * 64,
        "signing_key": {"id": "1937bcf9", "state": "current", "retired_on": None},
    }
    assert view.why(facts) == ("本证明的有效期已于2026年3月6日届满。", "Its validity ended on 6 March 2026.")
    body = view.verdict("expired", *view.why(facts)) + view.facts_card(facts)
    school = ("郑州工商学院", "Zhengzhou Technology and Business University")
    html_page = view.page("证明核验：已过期", school, BASE, body)
    assert "已过期" in html_page.body.decode() and "刘宏" not in html_page.body.decode()
    if not CHROMIUM:
        pytest.skip("chromium is not installed (./run installs it): the page was not screenshot")
    page = tmp_path / "expired.html"
    page.write_bytes(html_page.body)
    shot = screenshot(page.as_uri(), "expired-phone", PHONE, tmp_path / "chromium")
    assert has_colour(shot, (0x7D, 0x4E, 0x00)) and not has_colour(shot, GREEN)
