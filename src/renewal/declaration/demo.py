"""Demo attachments: a small PDF generated here (no file shipped), with the text 示例附件, attached to
a few declared projects through the service, so the review page and downloads have something to
show. Called by the demo loader with the projects it chose."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.files.uploadedfile import SimpleUploadedFile

from renewal.registry.models import Project

from . import services
from .models import Attachment

SAMPLE_TEXT = "示例附件"
# which sample each project gets: (kind, file name)
SAMPLES = [("备案证明", "备案证明（示例）.pdf"), ("可研报告或项目说明", "项目说明（示例）.pdf")]


def _utf16(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def sample_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF 1.4 with Chinese text in Adobe's predefined STSong-Light font (no embedded
    font: every PDF reader has it), and ``title`` in its document information."""
    text = []
    y = 780
    for line in lines:
        hex_text = line.encode("utf-16-be").hex().upper()
        text.append(f"BT /F1 {18 if y == 780 else 12} Tf 72 {y} Td <{hex_text}> Tj ET")
        y -= 30
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [6 0 R] >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 7 0 R >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        ("<< /Title " + _utf16(title) + " /Producer (renewal demo) >>").encode("ascii"),
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def attach_samples(projects: Iterable[Project]) -> int:
    """Give each project (declared, any state) the sample attachments it does not have yet;
    re-running adds nothing. Returns how many were written."""
    written = 0
    for p in projects:
        have = set(Attachment.objects.filter(project=p).values_list("kind", flat=True))
        for kind, name in SAMPLES:
            if kind in have:
                continue
            content = sample_pdf(
                SAMPLE_TEXT, [SAMPLE_TEXT, f"项目：{p.name}", f"附件类型：{kind}", "演示数据，非真实材料"]
            )
            upload = SimpleUploadedFile(name, content, content_type="application/pdf")
            services.attachment_sample_add(project=p, kind=kind, upload=upload)
            written += 1
    return written
