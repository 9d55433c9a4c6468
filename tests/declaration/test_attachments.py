"""Attachments: accepted by extension AND content, at most the size limit, kept outside the web
roots under a random name, deleted (softly) only while the project is a draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from renewal import settings as defaults
from renewal.declaration import services
from renewal.declaration.models import Attachment
from renewal.lib.errors import Invalid, Refused
from renewal.registry.models import Project
from tests.factories import project

from .conftest import docx, exe, pdf
from .helpers import form

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(people):
    return project("NH-D", people["NH"].enterprise, status="草稿")


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_it_stores_a_file_outside_the_web_roots_under_a_random_name(people, draft, attachments_dir):
    a = services.attachment_add(user=people["enterprise"], project=draft, kind="备案证明", upload=pdf())
    path = Path(a.file.path).resolve()
    assert path.is_file() and path.is_relative_to(Path(attachments_dir).resolve())
    for root in (django_settings.STATIC_ROOT, django_settings.MEDIA_ROOT):
        assert not path.is_relative_to(Path(root).resolve())
    assert "备案证明" not in path.name and path.parent.name == str(draft.pk)
    assert (a.original_name, a.content_type, a.uploaded_by) == (
        "备案证明.pdf",
        "application/pdf",
        people["enterprise"],
    )
    assert len(a.sha256) == 64 and a.size == path.stat().st_size
    assert a.history.get().history_user == people["enterprise"]
    with pytest.raises(ValueError):
        _ = a.file.url  # no public address: only the download page serves it


def test_the_default_attachment_directory_is_in_no_web_root():
    folder = Path(defaults.ATTACHMENTS_DIR).resolve()
    for root in (defaults.STATIC_ROOT, defaults.MEDIA_ROOT):
        assert not folder.is_relative_to(Path(root).resolve())
    assert defaults.RENEWAL_ATTACHMENT_MAX_BYTES == 20 * 1024 * 1024


def test_it_accepts_a_word_document_by_its_content(people, draft):
    a = services.attachment_add(
        user=people["enterprise"], project=draft, kind="可研报告或项目说明", upload=docx()
    )
    assert a.content_type.endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (exe("备案证明.pdf"), "附件“备案证明.pdf”：文件内容与扩展名 .pdf 不符，不予接收"),
        (exe("setup.exe"), "附件“setup.exe”：不支持的文件类型"),
        (
            SimpleUploadedFile("合同.docx", b"PK\x03\x04not really a zip"),
            "附件“合同.docx”：文件内容与扩展名 .docx 不符",
        ),
        (SimpleUploadedFile("发票.pdf", b""), "附件“发票.pdf”：文件为空"),
    ],
    ids=["renamed-exe", "exe", "fake-docx", "empty"],
)
def test_it_refuses_a_file_whose_type_is_not_what_it_says(people, draft, attachments_dir, upload, message):
    with pytest.raises(Invalid) as caught:
        services.attachment_add(user=people["enterprise"], project=draft, kind="备案证明", upload=upload)
    assert message in caught.value.message
    assert stored_files(attachments_dir) == [] and not Attachment.objects.exists()


def test_it_refuses_a_file_over_the_limit(people, draft, settings, attachments_dir):
    settings.RENEWAL_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("可研报告.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(Invalid) as caught:
        services.attachment_add(
            user=people["enterprise"], project=draft, kind="可研报告或项目说明", upload=big
        )
    assert "附件“可研报告.pdf”：文件过大（1 MB，每个文件不超过 1 MB）" in caught.value.message
    assert stored_files(attachments_dir) == []


def test_it_stops_reading_past_the_limit_when_the_size_was_misreported(
    people, draft, settings, attachments_dir
):
    settings.RENEWAL_ATTACHMENT_MAX_BYTES = 1024 * 1024
    read = []

    class Liar(SimpleUploadedFile):
        def chunks(self, chunk_size=None):  # as a file on disk is read: 64 KB at a time
            self.file.seek(0)
            while chunk := self.file.read(64 * 1024):
                read.append(len(chunk))
                yield chunk

    upload = Liar("发票.pdf", b"%PDF-1.4\n" + b"0" * (8 * 1024 * 1024))
    upload.size = 100
    with pytest.raises(Invalid) as caught:
        services.attachment_add(user=people["enterprise"], project=draft, kind="发票", upload=upload)
    assert "文件过大（超过" in caught.value.message
    assert sum(read) <= 1024 * 1024 + 64 * 1024  # stopped at the limit, not at the end of the file
    assert stored_files(attachments_dir) == []


def test_the_form_refuses_a_renamed_executable_naming_the_file(client, people, attachments_dir):
    client.force_login(people["enterprise"])
    response = client.post("/declaration/new/", form() | {"file-3": exe("发票.pdf")})
    assert response.status_code == 422
    assert "附件“发票.pdf”：文件内容与扩展名 .pdf 不符，不予接收" in response.content.decode()
    assert not Project.objects.filter(name="南湖数控化改造项目").exists()
    assert stored_files(attachments_dir) == []


def test_a_failed_second_file_leaves_no_first_file_behind(client, people, attachments_dir):
    client.force_login(people["enterprise"])
    response = client.post("/declaration/new/", form() | {"file-0": pdf(), "file-3": exe("发票.pdf")})
    assert response.status_code == 422
    assert stored_files(attachments_dir) == [] and not Attachment.all_objects.exists()


def test_it_deletes_an_attachment_softly_while_the_project_is_a_draft(client, people, draft):
    a = services.attachment_add(user=people["enterprise"], project=draft, kind="备案证明", upload=pdf())
    client.force_login(people["enterprise"])
    response = client.post(f"/declaration/{draft.code}/attachments/{a.pk}/delete")
    assert response.status_code == 302
    a = Attachment.all_objects.get(pk=a.pk)
    assert a.is_deleted and Path(a.file.path).is_file()  # restorable
    assert a.history.first().history_change_reason == "删除附件"
    assert client.get(f"/declaration/{draft.code}/attachments/{a.pk}/").status_code == 404


def test_it_refuses_to_change_the_attachments_of_a_declared_project(people, draft):
    a = services.attachment_add(user=people["enterprise"], project=draft, kind="备案证明", upload=pdf())
    Project.objects.filter(pk=draft.pk).update(status="已申报")
    draft.refresh_from_db()
    with pytest.raises(Refused, match="当前状态为“已申报”"):
        services.attachment_add(user=people["enterprise"], project=draft, kind="发票", upload=pdf("发票.pdf"))
    with pytest.raises(Refused):
        services.attachment_delete(user=people["op_nanhu"], attachment=a)


def test_deleting_a_project_takes_its_attachments_with_it(people, draft):
    from renewal.registry.services import record_delete, record_restore

    a = services.attachment_add(user=people["enterprise"], project=draft, kind="备案证明", upload=pdf())
    record_delete(user=people["op_nanhu"], obj=draft, reason="重复申报")
    assert Attachment.all_objects.get(pk=a.pk).is_deleted
    record_restore(user=people["city_admin"], obj=Project.all_objects.get(pk=draft.pk))
    assert not Attachment.all_objects.get(pk=a.pk).is_deleted


def test_an_attachment_is_scoped_like_its_project(people, draft):
    from renewal.accounts.scope import scope_for

    a = services.attachment_add(user=people["enterprise"], project=draft, kind="备案证明", upload=pdf())
    assert scope_for(people["op_nanhu"]).can_see(a)
    assert not scope_for(people["op_haining"]).can_see(a)
    assert list(scope_for(people["op_haining"]).filter_records(Attachment.objects.all())) == []
    assert list(scope_for(people["city_reviewer"]).filter_records(Attachment.objects.all())) == [a]
