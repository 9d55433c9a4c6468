"""Read a policy document (.txt, .docx, .pdf with a text layer) into plain text. No ORM."""

from __future__ import annotations

import io
import logging
import unicodedata
from pathlib import Path

SUFFIXES = (".txt", ".docx", ".pdf")
# A PDF page with fewer printable characters than this has no usable text layer (a scan).
MIN_TEXT_CHARS = 20


class DraftError(Exception):
    """A document the drafter cannot read; the message is for people (Chinese)."""


def read_document(path: str | Path) -> str:
    path = Path(path)
    if not path.exists():
        raise DraftError(f"{path.name}：文件不存在")
    return read_bytes(path.name, path.read_bytes())


def read_bytes(name: str, data: bytes) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise DraftError(f"{name}：不支持的文件类型 {suffix or '（无扩展名）'}，请提供 .txt、.docx 或 .pdf")
    if not data.strip():
        raise DraftError(f"{name}：文件为空")
    if suffix == ".txt":
        return _text(name, data)
    if suffix == ".docx":
        return _docx(name, data)
    return _pdf(name, data)


def _text(name: str, data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DraftError(f"{name}：无法识别文本编码（请保存为 UTF-8）")


def _docx(name: str, data: bytes) -> str:
    import docx  # python-docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds for a broken package
        raise DraftError(f"{name}：不是有效的 Word（.docx）文件") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("　".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf(name: str, data: bytes) -> str:
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font-descriptor warnings of CJK fonts
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except PDFPasswordIncorrect:
        raise DraftError(f"{name}：PDF 已加密，请提供未加密的文件") from None
    except (PDFSyntaxError, Exception) as exc:  # pdfminer raises assorted errors on broken files
        if isinstance(exc, DraftError):
            raise
        raise DraftError(f"{name}：不是有效的 PDF 文件") from None
    text = fix_radicals("\n".join(pages))
    if sum(1 for ch in text if not ch.isspace()) < MIN_TEXT_CHARS:
        raise DraftError(
            f"{name}：PDF 没有文字层（可能是扫描件或图片），无法读取条文。"
            "请先进行文字识别（OCR），或提供 .docx / .txt 原文"
        )
    return text


def fix_radicals(text: str) -> str:
    """Characters a PDF text layer gives as radicals (⼈⺠) back to the characters (人民)."""
    from .extract import rules

    table = rules()["radicals"]
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\u2f00" <= ch <= "\u2fdf" else table.get(ch, ch) for ch in text
    )
