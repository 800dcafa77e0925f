"""Documents sent in chat for deliverables: checked by name and by content (office and image formats only), kept in
the bot's MongoDB with GridFS (never as a path on disk) with their size and SHA-256, and read back byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

import filetype
from bson import ObjectId
from gridfs import AsyncGridFSBucket
from gridfs.errors import NoFile
from pymongo.asynchronous.database import AsyncDatabase

from puente.contracts.deliverables import ACCEPTED_DOCUMENTS, MAX_DOCUMENT_BYTES, DocumentRef

BUCKET = "deliverables"
EQUIVALENT_EXTENSIONS = {"jpeg": "jpg"}


class RefusedDocument(ValueError):
    """Why a file cannot be a deliverable: `reason` names the text the person reads."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def extension_of(name: str) -> str:
    extension = PurePosixPath(name).suffix.lower().removeprefix(".")
    return EQUIVALENT_EXTENSIONS.get(extension, extension)


def accepted_media_type(name: str, content: bytes) -> str:
    """The media type of an accepted document: its name's extension is an accepted one, and its content is really
    that format (a renamed executable or archive is refused)."""
    if not content:
        raise RefusedDocument("document-empty")
    if len(content) > MAX_DOCUMENT_BYTES:
        raise RefusedDocument("document-too-big")
    extension = extension_of(name)
    if extension not in ACCEPTED_DOCUMENTS:
        raise RefusedDocument("document-not-accepted")
    detected = filetype.guess(content)
    if detected is None or EQUIVALENT_EXTENSIONS.get(detected.extension, detected.extension) != extension:
        raise RefusedDocument("document-content-mismatch")
    return ACCEPTED_DOCUMENTS[extension]


class DocumentStore:
    def __init__(self, database: AsyncDatabase) -> None:
        self.bucket = AsyncGridFSBucket(database, bucket_name=BUCKET)

    async def keep(self, name: str, content: bytes) -> DocumentRef:
        """Check and keep a document; the reference a deliverable names it by."""
        media_type = accepted_media_type(name, content)
        sha256 = hashlib.sha256(content).hexdigest()
        file_id = await self.bucket.upload_from_stream(
            name, content, metadata={"sha256": sha256, "media_type": media_type})
        return DocumentRef(file_id=str(file_id), name=name[:200], size=len(content), sha256=sha256,
                           media_type=media_type)

    async def read(self, reference: DocumentRef) -> bytes | None:
        """The document's bytes, or None if they are gone or no longer match their SHA-256."""
        try:
            stream = await self.bucket.open_download_stream(ObjectId(reference.file_id))
            content = await stream.read()
        except NoFile:
            return None
        return content if hashlib.sha256(content).hexdigest() == reference.sha256 else None
