"""The upload handler that encrypts an evidence file as the request body arrives.

Django's default handlers keep an upload in memory (up to
FILE_UPLOAD_MAX_MEMORY_SIZE) or in a temporary file in /tmp — in plaintext.
For evidence neither is acceptable, so the upload view installs this handler
alone, before anything reads ``request.POST``::

    request.upload_handlers = [EvidenceUploadHandler(request)]

It feeds each chunk of the file field straight to an ``EvidenceWriter``
(64 KiB at a time), so memory stays bounded at any size and no plaintext
touches disk. Only the field named ``file`` is taken; other file fields are
skipped unread. DATA_UPLOAD_MAX_MEMORY_SIZE still bounds the other (text)
fields of the form, and FILE_UPLOAD_MAX_MEMORY_SIZE does not apply: it is
read only by Django's memory handler, which is not installed here.

A refused upload (type, size) stops the parse; Django then reads and
discards the rest of the body so the browser gets our page with its
message instead of a reset connection. Whatever was written is removed.
The stored file stays the handler's until the view records it
(``claim``); ``discard`` (called by the view in ``finally``) removes an
unclaimed one, e.g. when the CSRF check fails after the body was read.
"""

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile, StopUpload

from tirek.evidence.files import CHUNK_SIZE, EvidenceWriter, Refused, StoredFile

FIELD = "file"


class EvidenceUpload(UploadedFile):
    """Stands in ``request.FILES`` for a file already stored encrypted."""

    def __init__(self, stored: StoredFile, name: str) -> None:
        super().__init__(
            file=io.BytesIO(), name=name, content_type=stored.content_type, size=stored.size
        )
        self.stored = stored


class EvidenceUploadHandler(FileUploadHandler):
    chunk_size = CHUNK_SIZE

    def __init__(self, request=None, *, storage=None, max_bytes: int | None = None) -> None:
        super().__init__(request)
        self.storage = storage
        self.max_bytes = max_bytes
        self.writer: EvidenceWriter | None = None
        self.stored: StoredFile | None = None
        self.refusal = ""
        self.claimed = False

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        if field_name != FIELD or self.writer is not None or self.refusal:
            raise SkipFile  # one evidence file per request
        self.writer = EvidenceWriter(storage=self.storage, max_bytes=self.max_bytes)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        assert self.writer is not None
        try:
            self.writer.write(raw_data)
        except Refused as refused:
            self.refusal = refused.reason
            raise StopUpload(connection_reset=False) from None
        return None

    def file_complete(self, file_size: int) -> EvidenceUpload | None:
        if self.writer is None or self.refusal:
            return None
        try:
            self.stored = self.writer.finish()
        except Refused as refused:
            self.refusal = refused.reason
            return None
        return EvidenceUpload(self.stored, self.file_name or "")

    def upload_interrupted(self) -> None:
        self.discard()

    def claim(self) -> StoredFile:
        """The stored file, now the caller's to record (no longer discarded)."""
        assert self.stored is not None
        self.claimed = True
        return self.stored

    def discard(self) -> None:
        """Remove whatever this upload wrote, unless the view recorded it."""
        if self.writer is not None:
            self.writer.abort()  # a no-op once finished
        if self.stored is not None and not self.claimed:
            self.writer.storage.delete(self.stored.storage_name)
            self.stored = None
