"""The portal's news categories and the limits of a news item, as both the kiosk and the server know them.

A category is stored and sent as its code; the names are what the screens show. 消息中心's tabs and 首页's lists
(5)–(9) are views over the same categories (the manual's 全部新闻 also lists 院系动态 items: it is all of them).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str
    name: str  # Chinese, as the manual names it
    name_en: str


CATEGORIES: tuple[Category, ...] = (
    Category("notice", "通知公告", "Notices"),
    Category("school_news", "学校新闻", "School news"),
    Category("research", "科研动态", "Research news"),
    Category("student_affairs", "学工动态", "Student affairs"),
    Category("portal", "门户通知", "Portal notices"),
    Category("department", "院系动态", "Department news"),
    Category("lecture", "学术讲座", "Academic lectures"),
    Category("teaching", "教学科研", "Teaching and research"),
)
CATEGORY_BY_CODE = {c.code: c for c in CATEGORIES}
CATEGORY_CODES = frozenset(CATEGORY_BY_CODE)

# 消息中心's tabs after 全部新闻 (which is every category), in the manual's order.
MESSAGE_CENTER_TABS = ("notice", "school_news", "research", "student_affairs", "portal")
# 首页's lists (5)–(9), in the manual's order, each showing its latest HOME_LIST_SIZE items.
HOME_LISTS = ("school_news", "notice", "department", "lecture", "teaching")
HOME_LIST_SIZE = 5

# What one item may hold (the server refuses more; the kiosk's store sizes its columns by them).
TITLE_MAX = 200
SUMMARY_MAX = 500  # characters of plain text
AUTHOR_MAX = 64
BODY_MAX = 200_000  # characters of sanitized HTML
GUID_MAX = 512


def category_code(value: str) -> str | None:
    """The code of a category given by code or by its Chinese or English name; None when there is none."""
    if value in CATEGORY_BY_CODE:
        return value
    return next((c.code for c in CATEGORIES if value in (c.name, c.name_en)), None)
