"""The HTML of the public verification page /v/{code} (routes in certificates.py).

Most people reach it by scanning the QR code with a phone, so it is laid out for a 390 px wide screen first: the
school's name at the top (who vouches for the document), the verdict in one large coloured line with a word and a
symbol (not colour alone), then the signed facts — the holder's name masked, nothing else personal — and the
address the page should have, so a look-alike site on another domain is easier to notice.
"""

from __future__ import annotations

import html
from typing import Any

from fastapi.responses import HTMLResponse

from sync_server.core.certificates_text import en_date, zh_date

# status -> (中文, English, colour, symbol, background)
VERDICTS = {
    "valid": ("有效", "Valid", "#116329", "✓", "#e6f4ea"),
    "expired": ("已过期", "Expired", "#7d4e00", "!", "#fff4d6"),
    "revoked": ("已撤销", "Revoked", "#a40e26", "✕", "#fde7e9"),
    "key_withdrawn": ("无法核验", "Cannot be verified", "#a40e26", "✕", "#fde7e9"),
    "not_found": ("未找到该证明", "Not found", "#a40e26", "✕", "#fde7e9"),
}

STYLE = (
    "*{box-sizing:border-box}"
    "body{font-family:'Noto Sans CJK SC','Noto Sans SC','PingFang SC','Microsoft YaHei',sans-serif;margin:0;"
    "background:#eef1f5;color:#1f2328;line-height:1.5;-webkit-text-size-adjust:100%}"
    "button,input{font-family:inherit}"
    "header{background:#8c1c13;color:#fff}"
    ".wrap{max-width:640px;margin:0 auto;padding:16px 14px}"
    "header .school{font-size:22px;font-weight:bold;letter-spacing:1px}"
    "header .school-en{font-size:13px;opacity:.85}"
    "header .what{font-size:15px;margin-top:6px;opacity:.95}"
    ".card{background:#fff;border-radius:10px;box-shadow:0 1px 3px rgba(0,0,0,.12);padding:16px 18px;"
    "margin-bottom:14px}"
    ".verdict{border-radius:10px;padding:16px 18px;margin-bottom:14px;border:2px solid currentColor}"
    ".verdict .head{display:flex;align-items:center;gap:14px}"
    ".verdict .mark{flex:none;width:48px;height:48px;border-radius:50%;color:#fff;font-size:28px;"
    "line-height:48px;text-align:center;font-weight:bold}"
    ".verdict .word{font-size:28px;font-weight:bold;line-height:1.15}"
    ".verdict .word-en{font-size:17px;font-weight:bold}"
    ".verdict .why{font-size:15px;color:#1f2328;margin-top:10px}"
    ".why .en{color:#57606a}"
    ".note{font-size:15px;padding:10px 12px;border-radius:8px;margin:0 0 14px}"
    ".note .en{opacity:.85}"
    ".ok{background:#e6f4ea;color:#116329}.bad{background:#fde7e9;color:#a40e26}.info{background:#eef4fb;"
    "color:#0b4f8a}"
    "dl{margin:0;display:grid;grid-template-columns:8.5em 1fr;font-size:16px}"
    "dt{color:#57606a;padding:8px 8px 8px 0;border-bottom:1px solid #eaeef2}"
    "dd{margin:0;padding:8px 0;border-bottom:1px solid #eaeef2;font-weight:500;word-break:break-word}"
    "dt span{display:block;font-size:12px;color:#6e7781;line-height:1.2}"
    ".small{font-size:12px;color:#57606a;word-break:break-all;margin:12px 0 0}"
    "form label{font-size:16px}input{font-size:18px;padding:8px;width:100%;max-width:320px;margin:6px 0;"
    "border:1px solid #8c959f;border-radius:6px}button{font-size:17px;padding:8px 18px;border:0;border-radius:6px;"
    "background:#8c1c13;color:#fff}"
    "footer{font-size:12px;color:#57606a;text-align:center}"
    "@media (max-width:480px){dl{grid-template-columns:6.6em 1fr;font-size:15px}header .school{font-size:20px}}"
)


def page(title: str, school: tuple[str, str], public_base: str, body: str, status: int = 200) -> HTMLResponse:
    name, name_en = school
    document = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="robots" content="noindex">'
        f"<title>{html.escape(title)} · {html.escape(name)}</title><style>{STYLE}</style></head><body>"
        f'<header><div class="wrap"><div class="school">{html.escape(name)}</div>'
        + (f'<div class="school-en">{html.escape(name_en)}</div>' if name_en else "")
        + '<div class="what">证明在线核验 · Certificate verification</div></div></header>'
        f'<main class="wrap">{body}</main>'
        '<footer class="wrap">'
        f"本页由{html.escape(name)}一站式办事大厅提供。核验地址应以 {html.escape(public_base)}/v/ 开头。"
        f"<br>This page is served by the school; its address should start with {html.escape(public_base)}/v/."
        "</footer></body></html>"
    )
    return HTMLResponse(document, status_code=status, headers={"Cache-Control": "no-store"})


def verdict(status: str, why_zh: str, why_en: str) -> str:
    zh, en, colour, mark, background = VERDICTS[status]
    return (
        f'<div class="verdict" style="color:{colour};background:{background}">'
        f'<div class="head"><div class="mark" style="background:{colour}">{mark}</div>'
        f'<div><div class="word">{zh}</div><div class="word-en">{en}</div></div></div>'
        f'<div class="why">{html.escape(why_zh)}<br><span class="en">{html.escape(why_en)}</span></div></div>'
    )


def lookup_form() -> str:
    return (
        '<form class="card" method="get" action="/v/"><label>输入证明上的验证码 · Enter the code on the document<br>'
        '<input name="code" placeholder="XXXX-XXXX-XXXX-XXXX" maxlength="24" autocomplete="off"></label><br>'
        "<button>核验 Verify</button></form>"
    )


def facts_card(facts: dict[str, Any]) -> str:
    rows = [
        ("证明类型", "Type", facts["title"]),
        ("编号", "No.", facts["serial"]),
        ("持有人", "Holder", facts["holder"]),
        ("身份证号", "ID No.", facts["id"] or "—"),
        ("签发单位", "Issued by", facts["issuer"]),
        ("签发日期", "Issued on", facts["issued"]),
        ("有效期至", "Valid until", facts["valid_until"]),
    ]
    if facts["revoked_on"]:
        rows.append(("撤销日期", "Revoked on", facts["revoked_on"]))
    items = "".join(
        f"<dt>{html.escape(zh)}<span>{html.escape(en)}</span></dt><dd>{html.escape(str(value))}</dd>"
        for zh, en, value in rows
    )
    return (
        f'<div class="card"><dl>{items}</dl>'
        f'<p class="small">验证码 Code：{html.escape(facts["code"])}<br>PDF SHA-256：{html.escape(facts["sha256"])}</p>'
        '<p class="small">请核对证明上的内容与以上信息一致；姓名与身份证号只显示部分。'
        "<br>Compare the document with these facts; the name and ID number are partly hidden.</p></div>"
    )


def why(facts: dict[str, Any]) -> tuple[str, str]:
    """The verdict in a sentence (dates in words: an ISO date would break at its hyphens on a phone)."""
    status, key = facts["status"], facts["signing_key"]
    until_zh, until_en = zh_date(facts["valid_until"]), en_date(facts["valid_until"])
    if status == "valid":
        return f"本证明由{facts['issuer']}签发，有效期至{until_zh}。", f"Issued by the school; valid until {until_en}."
    if status == "expired":
        return f"本证明的有效期已于{until_zh}届满。", f"Its validity ended on {until_en}."
    if status == "revoked":
        on_zh, on_en = zh_date(facts["revoked_on"]), en_date(facts["revoked_on"])
        return f"签发单位已于{on_zh}撤销本证明，不应再使用。", (
            f"The issuing office revoked it on {on_en}; it must not be relied on."
        )
    return f"签发本证明的签名密钥（编号 {key['id']}）已被撤回，学校不再为其担保。", (
        f"The key that signed it ({key['id']}) has been withdrawn; the school no longer vouches for it."
    )


def key_note(facts: dict[str, Any]) -> str:
    key = facts["signing_key"]
    if key["state"] != "retired":
        return ""
    return (
        f'<p class="note info">本证明由已停用的签名密钥（编号 {html.escape(str(key["id"]))}，'
        f"{zh_date(key['retired_on'])}停用）签发；该密钥仍在学校的核验名单中，签名有效。"
        f'<br><span class="en">Signed with a key retired on {en_date(key["retired_on"])} '
        f"({html.escape(str(key['id']))}), still listed: the signature holds.</span></p>"
    )


def qr_note(matches: bool | None) -> str:
    if matches is None:
        return ""
    if matches:
        return (
            '<p class="note ok">二维码中的签名有效，与学校记录一致。'
            '<br><span class="en">The QR code\'s signature is valid.</span></p>'
        )
    return (
        '<p class="note bad">二维码中的签名与学校记录不符：该二维码可能被篡改。'
        "<br><span class=\"en\">The QR code's signature does not match the school's record: it may have been altered."
        "</span></p>"
    )
