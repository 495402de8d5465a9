"""应用中心 on a desk opens a campus system signed in (CAS single sign-on through a one-time hand-off), against a
real server: the link the desk opens leads to a service ticket that the server validates for the user."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import requests

from kiosk.services.api_client import ApiClient
from kiosk.services.portal import browser_url, entries
from tests.helpers import LIU, LIU_PW, NEW_PW, LiveServer, activated


def _signed_in(server: LiveServer, kind: str) -> ApiClient:
    client = ApiClient(server.url)
    body = client.login(LIU, NEW_PW, kind=kind, device_id=f"test-{kind}", device_name="测试终端")
    client.access_token = body["access_token"]
    return client


def test_a_desk_opens_a_cas_system_signed_in_and_a_kiosk_does_not(shared_server: LiveServer) -> None:
    activated(shared_server, LIU, LIU_PW)
    desk = _signed_in(shared_server, "desk")
    apps = {e.code: e for e in entries(desk.apps(), "apps")}
    jwxt, erp = apps["jwxt"], apps["erp"]
    assert jwxt.sso and not erp.sso  # the manual: 教务系统 signs in through the portal, ERP does not

    url, note = browser_url(desk, jwxt, signed_in=True)
    assert note == "" and "/cas/login?" in url and "handoff=HO-" in url
    redirect = requests.get(url, allow_redirects=False, timeout=10)
    assert redirect.status_code == 302 and redirect.headers["location"].startswith(jwxt.url)
    ticket = parse_qs(urlsplit(redirect.headers["location"]).query)["ticket"][0]
    validated = requests.get(
        shared_server.url + "/cas/p3/serviceValidate", params={"service": jwxt.url, "ticket": ticket}, timeout=10
    )
    assert f"<cas:user>{LIU}</cas:user>" in validated.text

    # A system without single sign-on, or nobody signed in: its own address.
    assert browser_url(desk, erp, signed_in=True) == (erp.url, "")
    assert browser_url(desk, jwxt, signed_in=False) == (jwxt.url, "")
    # A kiosk session gets no hand-off (a kiosk shows the QR code instead): the address, and why.
    kiosk = _signed_in(shared_server, "kiosk")
    url, note = browser_url(kiosk, jwxt, signed_in=True)
    assert url == jwxt.url and note
