"""demo.attach_samples: generated sample PDFs on declared projects, through the service, once."""

from __future__ import annotations

import pytest

from renewal.declaration.demo import SAMPLE_TEXT, attach_samples, sample_pdf
from renewal.declaration.models import Attachment
from tests.factories import project

pytestmark = pytest.mark.django_db


def test_it_attaches_sample_pdfs_to_declared_projects_once(people):
    declared = [people["NH"], project("HN-2", people["HN"].enterprise, status="已申报")]
    assert attach_samples(declared) == 4
    assert attach_samples(declared) == 0
    files = Attachment.objects.filter(project__in=declared)
    assert {a.kind for a in files} == {"备案证明", "可研报告或项目说明"}
    for a in files:
        assert a.uploaded_by is None and a.content_type == "application/pdf"
        with a.file.open("rb") as f:
            assert f.read(5) == b"%PDF-"


def test_the_sample_pdf_is_well_formed():
    data = sample_pdf(SAMPLE_TEXT, [SAMPLE_TEXT])
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert SAMPLE_TEXT.encode("utf-16-be").hex().upper().encode() in data
    # the cross-reference table points at each object
    xref = int(data.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    offsets = [int(line[:10]) for line in data[xref:].split(b"\n")[3:11]]
    for n, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(f"{n} 0 obj".encode())
