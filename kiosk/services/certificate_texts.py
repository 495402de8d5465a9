"""What the 打印证明 card says, by code, in each interface language (as kiosk/services/calendar_edit.py does for
its forms): the view keeps a code and its values and says them in the interface's language when read, so a
switch to English mid-print changes the words, not what happened. `{n}`-style values are filled in."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, dict[str, str]] = {
    # The job's phases.
    "preparing": {"zh_CN": "正在准备证明文件…", "en_US": "Preparing the certificate…"},
    "claiming": {"zh_CN": "正在确认可打印份数…", "en_US": "Checking the copies left…"},
    "sending": {"zh_CN": "发送到打印机…", "en_US": "Sending to the printer…"},
    "printing": {"zh_CN": "正在打印…", "en_US": "Printing…"},
    "done": {
        "zh_CN": "已打印，请在打印机出纸口取走证明。还可打印 {left} 份。",
        "en_US": "Printed: please take the certificate from the printer's output tray. Copies left: {left}.",
    },
    # Faults and refusals of a job: nothing printed, nothing counted.
    "no_paper": {
        "zh_CN": "打印机缺纸，本次未打印，也不计入份数。请联系大厅工作人员加纸后再试。",
        "en_US": "The printer is out of paper: nothing was printed or counted. Ask the hall's staff to add paper,"
        " then try again.",
    },
    "offline": {
        "zh_CN": "打印机离线，本次未打印，也不计入份数。请联系大厅工作人员。",
        "en_US": "The printer is offline: nothing was printed or counted. Please ask the hall's staff.",
    },
    "failed": {
        "zh_CN": "打印失败（打印任务被中止或取消），不计入份数。请稍后再试。",
        "en_US": "Printing failed (the job was aborted or cancelled) and was not counted. Please try again later.",
    },
    "document": {
        "zh_CN": "证明文件校验不符，未打印。请联网后重试。",
        "en_US": "The certificate file failed its check and was not printed. Try again when online.",
    },
    "download": {
        "zh_CN": "证明文件下载失败，本次未打印。请检查网络后重试。",
        "en_US": "The certificate could not be downloaded and was not printed. Check the network and try again.",
    },
    "used": {
        "zh_CN": "份数已用完，未打印：该证明已不能再打印（可能刚在另一台终端打印过，或已撤销、已过期）。",
        "en_US": "No copies left, nothing printed: this certificate cannot be printed again (it may just have"
        " been printed at another kiosk, or been revoked or expired).",
    },
    "claimed": {
        "zh_CN": "份数已用完，未打印：剩下的份数正在另一台终端打印。如那次打印失败，稍后可再打印。",
        "en_US": "No copies left, nothing printed: the remaining copies are being printed at another kiosk. If"
        " that fails, you can print later.",
    },
    # Why 打印证明 is not offered now (the card's refusal).
    "revoked": {
        "zh_CN": "该证明已被签发部门撤销，不能打印",
        "en_US": "The issuing department has revoked this certificate: it cannot be printed",
    },
    "expired": {"zh_CN": "该证明已过有效期，不能打印", "en_US": "This certificate has expired: it cannot be printed"},
    "all_printed": {
        "zh_CN": "{allowed} 份已全部打印；如需再次打印，请重新提交申请",
        "en_US": "All {allowed} copies have been printed; to print again, submit a new application",
    },
    "no_pdf_offline": {
        "zh_CN": "网络未连接，证明文件尚未下载到本机，联网后可打印",
        "en_US": "Offline, and the certificate has not been downloaded to this kiosk yet: it can be printed"
        " once online",
    },
    # A desk's 下载 and 打印.
    "downloading": {"zh_CN": "正在下载证明文件…", "en_US": "Downloading the certificate…"},
    "saved": {"zh_CN": "已保存到 {path}", "en_US": "Saved to {path}"},
    "desk_download_failed": {
        "zh_CN": "证明文件下载失败，请检查网络后重试",
        "en_US": "The certificate could not be downloaded. Check the network and try again.",
    },
    "desk_sent": {"zh_CN": "已发送到打印机", "en_US": "Sent to the printer"},
    "desk_cancelled": {"zh_CN": "已取消打印", "en_US": "Printing cancelled"},
    "desk_unreadable": {
        "zh_CN": "证明文件无法读取，未打印",
        "en_US": "The certificate file cannot be read: not printed",
    },
    "desk_printer_unusable": {"zh_CN": "打印机无法使用，未打印", "en_US": "The printer cannot be used: not printed"},
    "desk_viewer": {
        "zh_CN": "已在 PDF 阅读器中打开证明，请从阅读器的菜单打印",
        "en_US": "The certificate is open in the PDF viewer: print it from the viewer's menu",
    },
    "desk_no_viewer": {
        "zh_CN": "无法打开 PDF 阅读器；证明文件已保存在 {path}",
        "en_US": "No PDF viewer could be opened; the certificate was saved at {path}",
    },
    "desk_write_failed": {
        "zh_CN": "证明文件无法保存：{reason}",
        "en_US": "The certificate could not be saved: {reason}",
    },
}


def say(code: str, language: str = "zh_CN", **values: Any) -> str:
    """`code`'s text in `language` (Chinese when it has none), its values filled in; "" for no code."""
    if not code:
        return ""
    texts = TEXTS.get(code)
    if texts is None:
        return code
    return texts.get(language, texts["zh_CN"]).format(**values)
