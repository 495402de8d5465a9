"""What the certificate tests share (tests/server/test_certificates*.py): the six processes' cases, carrying an
application to 办结 over HTTP, and the reduced font made before the servers start."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import LiveServer
from tests.server.workflow_helpers import JWC_A, LIU, STUDENT, Client, example

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "certificates"
BASE = "https://hall.example.edu.cn"
RSC, BWC = "100638", "100871"  # 赵建国 人事处专员, 郑伟 保卫处办事员
POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) not installed: ./run")

# process → (applicant, handler, the applicant's fixed answers, the handler's)
CASES: dict[str, tuple[str, str, dict[str, Any], dict[str, Any]]] = {
    "jw-zaidu-zhengming": (
        STUDENT,
        JWC_A,
        {"cert_language": "中英文各一份", "purpose": "办理签证", "receiver_org": "德国驻上海总领事馆", "copies": 2},
        {"handle_result": "已开具，待领取"},
    ),
    "jw-chengjidan": (
        STUDENT,
        JWC_A,
        {
            "transcript_type": "中英文成绩单",
            "score_range": "在校期间全部成绩",
            "show_gpa": "是",
            "copies": 1,
            "purpose": "出国（境）留学",
            "pickup": "本人自取",
        },
        {"handle_result": "已打印，待领取", "handle_note": "行政楼204室领取"},
    ),
    "rs-zaizhi-zhengming": (
        LIU,
        RSC,
        {
            "language": "英文",
            "post": "网络工程师",
            "purpose": "办理签证",
            "receiver_org": "英国签证申请中心",
            "copies": 1,
        },
        {"handle_result": "已开具，待领取"},
    ),
    "rs-gongzuo-zhengming": (
        LIU,
        RSC,
        {
            "work_status": "在职",
            "work_period": {"start": "2015-09-01", "end": "2026-12-01"},
            "posts": "现代教育技术中心网络管理员（2015—2020）；网络工程师（2020 至今）",
            "purpose": "职称评审",
            "receiver_org": "河南省人力资源和社会保障厅",
            "copies": 1,
        },
        {"handle_result": "已开具，待领取"},
    ),
    "rs-shouru-zhengming": (
        LIU,
        RSC,
        {
            "contents": ["月收入", "年收入"],
            "income_basis": "税前",
            "purpose": "银行贷款",
            "receiver_org": "中国建设银行郑州郑东支行",
            "template": "学校统一格式",
            "copies": 1,
        },
        {"handle_result": "已开具，待领取", "monthly_income": 12345.6, "annual_income": 148147.2},
    ),
    "bw-zanzhuzheng": (
        STUDENT,
        BWC,
        {
            "hukou": "河南省洛阳市涧西区",
            "campus_address": "郑州校区 6 号楼 512",
            "live_since": "2022-09-01",
            "police_station": "郑东新区龙子湖派出所",
            "purpose": "办理居住证",
            "copies": 1,
        },
        {"handle_result": "已开具，待领取"},
    ),
}


@pytest.fixture(scope="module", autouse=True)
def reduced_font() -> None:
    """Made once per machine (~45 s; cached): before the servers, so their certificates use it."""
    from sync_server.core import certificates_fonts

    if certificates_fonts.NOTO_PATHS and POPPLER:
        certificates_fonts.reduced_font()


def finish(server: LiveServer, code: str) -> tuple[Client, str]:
    applicant, handler, answers, handling = CASES[code]
    me, them = Client(server, applicant), Client(server, handler)
    app_id = me.submit(code, example(code, applicant, **answers), next_handler=handler)
    data = example(code, handler, "handle", **handling)
    response = them.act(app_id, "approve", data=data)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "completed"
    return me, app_id
