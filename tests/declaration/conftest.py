"""Declaration fixtures: attachments go to a temporary directory, never to var/."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renewal.accounts.models import Role
from renewal.declaration.demo import sample_pdf
from tests.factories import USCC_HAINING, user


@pytest.fixture(autouse=True)
def attachments_dir(settings, tmp_path):
    settings.ATTACHMENTS_DIR = tmp_path / "attachments"
    return settings.ATTACHMENTS_DIR


@pytest.fixture
def haining_enterprise(people):
    """An enterprise user of the 海宁 enterprise (the owner of HN-1): another enterprise."""
    return user(f"ent-{USCC_HAINING}", Role.ENTERPRISE, enterprise_uscc=USCC_HAINING)


def pdf(name="备案证明.pdf", text="示例附件") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, sample_pdf(text, [text]), content_type="application/pdf")


def docx(name="可研报告.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def exe(name="备案证明.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
