"""A deliverable's document is accepted by its name and its content together: office and image formats only."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.documents import RefusedDocument, accepted_media_type

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)
JPG = b"\xff\xd8\xff\xe0" + bytes(64)


def opendocument_text() -> bytes:
    """An .odt as office suites write it: an uncompressed `mimetype` entry first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "media_type"), [
    ("ficha.pdf", PDF, "application/pdf"),
    ("FOTO.JPEG", JPG, "image/jpeg"),
    ("grafico.png", PNG, "image/png"),
    ("acta.odt", opendocument_text(), "application/vnd.oasis.opendocument.text"),
])
def test_office_and_image_formats_are_accepted_when_their_content_agrees(name, content, media_type):
    assert accepted_media_type(name, content) == media_type


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("ficha.pdf", b"MZ\x90\x00" + bytes(64), "document-content-mismatch"),  # a program renamed
    ("ficha.png", PDF, "document-content-mismatch"),
    ("ficha.exe", b"MZ\x90\x00" + bytes(64), "document-not-accepted"),
    ("ficha", PDF, "document-not-accepted"),
    ("ficha.pdf", b"", "document-empty"),
])
def test_anything_else_is_refused_with_the_reason(name, content, reason):
    with pytest.raises(RefusedDocument, match=f"^{reason}$"):
        accepted_media_type(name, content)
