"""Evidence files: streamed in, hashed, encrypted at rest, verified before served.

A file is never held whole in memory and never touches disk unencrypted. The
upload handler (``tirek/evidence/upload.py``) feeds an ``EvidenceWriter`` the
request body as it arrives; the writer hashes the plaintext (SHA-256, the
hash the chain of custody vouches for), checks the size limit and the type,
and writes ciphertext chunk by chunk to the ``evidence`` storage.

Stored format, version 1 (one object per file, named ``ab/<32 hex>.tke``)::

    header  (16 bytes)  b"TKEV" ‖ version (1 byte, 1) ‖ chunk size (4 bytes, big-endian)
                        ‖ nonce prefix (7 random bytes)
    chunk 0 … chunk n   AES-256-GCM(data key, nonce_i, plaintext_i, aad_i)
                        = ciphertext ‖ 16-byte tag

- Every chunk holds ``chunk size`` (64 KiB) bytes of plaintext except the
  last, which holds 1 … 64 KiB (an empty file is refused).
- ``nonce_i = prefix ‖ i (4 bytes, big-endian) ‖ final (1 byte: 1 on the
  last chunk, else 0)`` — the STREAM construction (Hoang, Reyhanitabar,
  Rogaway, Vizár 2015) as in Tink's streaming AEAD. With a fresh random key
  per file a nonce can never repeat under a key.
- ``aad_i = header ‖ storage name ‖ i (8 bytes, big-endian) ‖ final (1 byte)``.
  So a chunk moved within a file (index), a file cut at a chunk boundary or
  extended (final flag), a header edited, or ciphertext copied from another
  file (its key and name) all fail authentication.
- The data key (256 random bits, one per file) is sealed under the key
  ring's primary master key with ``tirek.lib.crypto.seal`` (AES-256-GCM,
  associated data ``evidence.file-key:<storage name>``) and kept in
  ``EvidenceFile.wrapped_key`` as ``v1:<key id>:<base64>``. The key id lives
  there and not in the stored header on purpose: re-wrapping a data key
  under a new master key (``rewrap``) changes one database column and never
  the stored original, which stays write-once.

Reading authenticates every chunk before its plaintext is used, and the
SHA-256 of the whole plaintext is compared with the one taken at upload.
Because the hash is only known at the end, ``open_verified`` reads the file
twice: a first pass decrypts and hashes without output; only if it matches
does a second pass decrypt again and stream. The second pass can serve only
authenticated chunks (a chunk changed in between fails its tag, and the
response is cut short and the file quarantined), so no byte reaches a user
that was not written by Tirek under this file's key. The cost is a second
read and decryption (AES-GCM and SHA-256 both run at well over 500 MB/s per
core here; see ``make bench``), paid only on downloads, which are rare next
to the harm of serving an altered exhibit.

Any failure — a missing object, a bad header, a failed tag, a hash that
differs — quarantines the file (``quarantine``): it is never served again,
the chain of custody and the audit trail record it, an error is logged and
the case's lawyer and every active administrator are e-mailed (numbers only:
no name of a person, no file name).

The type is detected from the content (``filetype`` for signatures, plus our
own checks for ZIP-based documents and UTF-8 text), never from the name,
against ``ALLOWED_TYPES``.
"""

from __future__ import annotations

import base64
import codecs
import hashlib
import logging
import os
import re
import secrets
import struct
import uuid
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO

import filetype
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.mail import send_mail
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.audit.log import audit
from tirek.evidence.actions import custody_record
from tirek.evidence.models import CustodyKind, EvidenceFile, EvidenceItem, FileState
from tirek.lib.crypto import DecryptionError, KeyringError, key_id_of, seal, unseal
from tirek.protection.keys import keyring

logger = logging.getLogger("tirek.evidence")

MAGIC = b"TKEV"
VERSION = 1
CHUNK_SIZE = 64 * 1024
TAG_BYTES = 16
PREFIX_BYTES = 7
HEADER = struct.Struct(">4sBI7s")
MAX_CHUNKS = 2**32

# Detected type → extension of the generated download name.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/heic": "heic",
    "image/webp": "webp",
    "image/tiff": "tif",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/ogg": "ogg",
    "audio/x-wav": "wav",
    "video/mp4": "mp4",
    "video/quicktime": "mov",
    "video/webm": "webm",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "text/plain": "txt",
}
TEXT = "text/plain"
# ZIP containers: accepted only when their central directory shows the document's
# parts (a renamed .zip, an EPUB or a PowerPoint is not a DOCX) and no macros.
ZIP_DOCUMENTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "[Content_Types].xml",
        "word/document.xml",
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "[Content_Types].xml",
        "xl/workbook.xml",
    ),
    "application/vnd.oasis.opendocument.text": ("mimetype", "content.xml"),
    "application/vnd.oasis.opendocument.spreadsheet": ("mimetype", "content.xml"),
}
MACRO_PARTS = re.compile(r"(^|/)vbaProject\.bin$|(^|/)vbaData\.xml$|^Basic/|^Scripts/", re.I)
# The central directory of a document is a few kilobytes; this bounds the tail kept.
ZIP_TAIL_BYTES = 1024 * 1024
# Control characters that plain text does not contain (tab, LF, FF and CR are allowed).
NOT_TEXT = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class Refused(Exception):
    """The upload is not accepted; ``reason`` says why (a code, not a message)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Tampered(Exception):
    """The stored file does not decrypt or does not match its hash."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Quarantined(Exception):
    """The file is quarantined and will not be served."""


def refusal_message(reason: str) -> str:
    messages = {
        "empty": _("The file is empty."),
        "too_large": _("The file is too large: the limit is %(limit)s.")
        % {"limit": filesizeformat(settings.TIREK_EVIDENCE_MAX_BYTES)},
        "type": _(
            "This type of file is not accepted. Upload PDF, JPEG, PNG, HEIC, WebP or TIFF "
            "images, MP3, M4A, OGG or WAV audio, MP4, MOV or WebM video, DOCX, XLSX, ODT or "
            "ODS documents, or plain text (UTF-8)."
        ),
        "macros": _("Documents with macros are not accepted: save it without macros first."),
        "no_file": _("Choose a file to upload."),
    }
    return messages.get(reason, messages["type"])


def evidence_storage() -> Storage:
    return storages["evidence"]


def new_storage_name() -> str:
    # Random, and says nothing of the case: a bucket listing reveals no numbers.
    token = uuid.uuid4().hex
    return f"{token[:2]}/{token}.tke"


# --- Key wrapping -------------------------------------------------------------------


def _key_aad(storage_name: str) -> str:
    return f"evidence.file-key:{storage_name}"


def wrap_key(data_key: bytes, storage_name: str) -> str:
    text = base64.b64encode(data_key).decode("ascii")
    return seal(keyring(), text, aad=_key_aad(storage_name))


def unwrap_key(evidence_file: EvidenceFile) -> bytes:
    """The file's data key; ``Tampered`` if the wrapped key was altered or moved.

    A key id the key ring does not hold is a configuration problem (a wrong
    key ring after a restore), not tampering: it raises ``KeyringError``
    rather than quarantining every file on a misconfigured server.
    """
    ring = keyring()
    key_id = key_id_of(evidence_file.wrapped_key) if ":" in evidence_file.wrapped_key else ""
    if key_id not in ring.keys:
        ring = keyring(fresh=True)  # rotated by another process a moment ago
        if key_id and key_id not in ring.keys:
            raise KeyringError(f"evidence file key sealed with {key_id!r}, not in the key ring")
    try:
        text = unseal(ring, evidence_file.wrapped_key, aad=_key_aad(evidence_file.storage_name))
        key = base64.b64decode(text, validate=True)
    except (DecryptionError, ValueError):
        raise Tampered("key") from None
    if len(key) != 32:
        raise Tampered("key")
    return key


def rewrap(evidence_file: EvidenceFile) -> bool:
    """Seal the data key again under the primary master key (rotation).

    Only the database column changes; the stored ciphertext does not.
    Returns whether anything changed.
    """
    if key_id_of(evidence_file.wrapped_key) == keyring().primary:
        return False
    wrapped = wrap_key(unwrap_key(evidence_file), evidence_file.storage_name)
    EvidenceFile.objects.filter(pk=evidence_file.pk).update(wrapped_key=wrapped)
    evidence_file.wrapped_key = wrapped
    return True


def _nonce(prefix: bytes, index: int, final: bool) -> bytes:
    return prefix + index.to_bytes(4, "big") + (b"\x01" if final else b"\x00")


def _aad(header: bytes, storage_name: str, index: int, final: bool) -> bytes:
    return header + storage_name.encode("ascii") + struct.pack(">QB", index, final)


# --- Writing ------------------------------------------------------------------------


class _FileSystemSink:
    """Writes to a hidden partial name, then links it into place (write-once).

    ``os.link`` refuses to replace an existing file, so an original can never
    be overwritten; the partial file is removed on abort.
    """

    def __init__(self, storage: FileSystemStorage, name: str) -> None:
        self.path = Path(storage.path(name))
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.partial = self.path.with_name(f".{self.path.name}.partial")
        descriptor = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.handle: BinaryIO = os.fdopen(descriptor, "wb")

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.link(self.partial, self.path)
        self.partial.unlink()
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)  # the new name survives a power cut
        finally:
            os.close(directory)

    def abort(self) -> None:
        self.handle.close()
        self.partial.unlink(missing_ok=True)


class _StorageSink:
    """Any other Django storage, through its file-like writer.

    For django-storages' S3Storage, ``open(name, "wb")`` is a multipart
    upload: parts of ``AWS_S3_FILE_BUFFER_SIZE`` (5 MiB) are sent as they
    fill, and the object appears only when ``close()`` completes the upload.
    An aborted upload is completed and deleted.
    """

    def __init__(self, storage: Storage, name: str) -> None:
        if storage.exists(name):
            raise FileExistsError(name)
        self.storage, self.name = storage, name
        self.handle = storage.open(name, "wb")

    def write(self, data: bytes) -> None:
        self.handle.write(data)

    def commit(self) -> None:
        self.handle.close()

    def abort(self) -> None:
        self.handle.close()
        self.storage.delete(self.name)


def _sink(storage: Storage, name: str) -> _FileSystemSink | _StorageSink:
    if isinstance(storage, FileSystemStorage):
        return _FileSystemSink(storage, name)
    return _StorageSink(storage, name)


@dataclass(frozen=True)
class StoredFile:
    """What the writer stored: everything an ``EvidenceFile`` row needs."""

    storage_name: str
    wrapped_key: str
    sha256: str
    size: int
    content_type: str


class EvidenceWriter:
    """Takes plaintext in pieces of any size; stores it encrypted.

    Holds at most one chunk (64 KiB) of plaintext between calls, plus, for
    ZIP-based documents only, the last ``ZIP_TAIL_BYTES`` to read their
    central directory. Call ``write`` for each piece, then ``finish`` (or
    ``abort``, which removes whatever was written). ``Refused`` from either
    means nothing is kept.
    """

    def __init__(self, *, storage: Storage | None = None, max_bytes: int | None = None) -> None:
        self.storage = storage or evidence_storage()
        self.max_bytes = settings.TIREK_EVIDENCE_MAX_BYTES if max_bytes is None else max_bytes
        self.storage_name = new_storage_name()
        self.size = 0
        self.content_type = ""
        self.largest_buffer = 0
        self._key = AESGCM.generate_key(bit_length=256)
        self._aes = AESGCM(self._key)
        self._prefix = secrets.token_bytes(PREFIX_BYTES)
        self._header = HEADER.pack(MAGIC, VERSION, CHUNK_SIZE, self._prefix)
        self._hash = hashlib.sha256()
        self._buffer = bytearray()
        self._index = 0
        self._sink: _FileSystemSink | _StorageSink | None = None
        self._text = codecs.getincrementaldecoder("utf-8")()
        self._tail: deque[bytes] = deque()
        self._tail_size = 0
        self._done = False

    def write(self, data: bytes) -> None:
        try:
            self._write(data)
        except BaseException:
            self.abort()
            raise

    def finish(self) -> StoredFile:
        try:
            return self._finish()
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        if self._sink is not None and not self._done:
            self._sink.abort()
        self._done = True
        self._buffer.clear()
        self._tail.clear()

    # 1. count and hash; 2. buffer; 3. once a full chunk (and more) is held,
    #    detect the type (first time) and encrypt the chunk out.
    def _write(self, data: bytes) -> None:
        if self._done:
            raise RuntimeError("this writer is finished")
        self.size += len(data)
        if self.size > self.max_bytes:
            raise Refused("too_large")
        self._hash.update(data)
        self._buffer += data
        # Strictly more than a chunk: the last chunk must hold at least one byte.
        while len(self._buffer) > CHUNK_SIZE:
            if not self.content_type:
                self.content_type = detect_type(bytes(self._buffer[:CHUNK_SIZE]))
            chunk = bytes(self._buffer[:CHUNK_SIZE])
            del self._buffer[:CHUNK_SIZE]
            self._emit(chunk, final=False)
        self.largest_buffer = max(self.largest_buffer, len(self._buffer))

    def _finish(self) -> StoredFile:
        if self._done:
            raise RuntimeError("this writer is finished")
        if self.size == 0:
            raise Refused("empty")
        if not self.content_type:
            self.content_type = detect_type(bytes(self._buffer))
        self._emit(bytes(self._buffer), final=True)
        self._buffer.clear()
        if self.content_type == TEXT:
            self._check_text(b"", final=True)
        if self.content_type in ZIP_DOCUMENTS:
            check_zip_document(self.content_type, b"".join(self._tail), self.size)
        assert self._sink is not None
        self._sink.commit()
        self._done = True
        return StoredFile(
            storage_name=self.storage_name,
            wrapped_key=wrap_key(self._key, self.storage_name),
            sha256=self._hash.hexdigest(),
            size=self.size,
            content_type=self.content_type,
        )

    def _emit(self, chunk: bytes, *, final: bool) -> None:
        if self.content_type == TEXT:
            self._check_text(chunk, final=False)
        if self.content_type in ZIP_DOCUMENTS:
            self._keep_tail(chunk)
        if self._sink is None:
            self._sink = _sink(self.storage, self.storage_name)
            self._sink.write(self._header)
        if self._index >= MAX_CHUNKS:
            raise Refused("too_large")
        nonce = _nonce(self._prefix, self._index, final)
        aad = _aad(self._header, self.storage_name, self._index, final)
        self._sink.write(self._aes.encrypt(nonce, chunk, aad))
        self._index += 1

    def _check_text(self, chunk: bytes, *, final: bool) -> None:
        if NOT_TEXT.search(chunk):
            raise Refused("type")
        try:
            self._text.decode(chunk, final=final)
        except UnicodeDecodeError:
            raise Refused("type") from None

    def _keep_tail(self, chunk: bytes) -> None:
        self._tail.append(chunk)
        self._tail_size += len(chunk)
        while self._tail and self._tail_size - len(self._tail[0]) >= ZIP_TAIL_BYTES:
            self._tail_size -= len(self._tail.popleft())


# --- Type detection -----------------------------------------------------------------


def detect_type(head: bytes) -> str:
    """The allowed type of a file from its first bytes, or ``Refused("type")``.

    Signatures come from ``filetype`` (pure Python, matches on the first
    bytes only, so it works on a stream). Content with no signature is
    accepted only as UTF-8 plain text that does not start like markup
    (HTML, SVG and XML are refused: a browser would run their scripts).
    """
    kind = filetype.guess(head)
    if kind is not None:
        if kind.mime in ALLOWED_TYPES:
            return kind.mime
        raise Refused("type")
    if _looks_like_text(head):
        return TEXT
    raise Refused("type")


def _looks_like_text(head: bytes) -> bool:
    if NOT_TEXT.search(head):
        return False
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    start = text.lstrip("\ufeff \t\r\n\f")
    return not start.startswith("<")


def check_zip_document(content_type: str, tail: bytes, size: int) -> None:
    """Refuse a ZIP whose central directory is not the document it claims.

    The central directory sits at the end of the file, so it is read from
    the tail the writer kept: it must end the file exactly (nothing
    appended: no polyglot), list the document's required parts and no
    macro parts.
    """
    names = zip_names(tail, size)
    if names is None:
        raise Refused("type")
    if any(MACRO_PARTS.search(name) for name in names):
        raise Refused("macros")
    if not all(part in names for part in ZIP_DOCUMENTS[content_type]):
        raise Refused("type")


def zip_names(tail: bytes, size: int) -> list[str] | None:
    """The entry names of a ZIP's central directory, from the file's last bytes."""
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or len(tail) - end < 22:
        return None
    fields = struct.unpack("<4sHHHHIIH", tail[end : end + 22])
    disk, directory_disk, entries, cd_size, cd_offset, comment = (
        fields[1],
        fields[2],
        fields[4],
        fields[5],
        fields[6],
        fields[7],
    )
    if disk or directory_disk or end + 22 + comment != len(tail):
        return None
    start = cd_offset - (size - len(tail))
    if start < 0 or start + cd_size != end:
        return None
    names, position = [], start
    for _entry in range(entries):
        if tail[position : position + 4] != b"PK\x01\x02":
            return None
        name_length, extra_length, comment_length = struct.unpack(
            "<HHH", tail[position + 28 : position + 34]
        )
        name = tail[position + 46 : position + 46 + name_length]
        names.append(name.decode("utf-8", "replace"))
        position += 46 + name_length + extra_length + comment_length
    return names if position == end else None


# --- Reading ------------------------------------------------------------------------


def _read_exactly(handle: Any, size: int) -> bytes:
    parts, wanted = [], size
    while wanted:
        part = handle.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def decrypted_chunks(evidence_file: EvidenceFile) -> Iterator[bytes]:
    """The file's plaintext, chunk by chunk, each authenticated before it is given.

    Raises ``Tampered`` at the first chunk that fails, or at the start if the
    object is missing or its header or wrapped key is wrong.
    """
    block = CHUNK_SIZE + TAG_BYTES
    try:
        handle = evidence_storage().open(evidence_file.storage_name, "rb")
    except FileNotFoundError:
        # Only a missing object is evidence of loss; any other error (a
        # permission, the network) is an outage, raised as a server error.
        raise Tampered("missing") from None
    with handle:
        header = _read_exactly(handle, HEADER.size)
        if len(header) != HEADER.size:
            raise Tampered("header")
        magic, version, chunk_size, prefix = HEADER.unpack(header)
        if magic != MAGIC or version != VERSION or chunk_size != CHUNK_SIZE:
            raise Tampered("header")
        aes = AESGCM(unwrap_key(evidence_file))
        current, index = _read_exactly(handle, block), 0
        while True:
            following = _read_exactly(handle, block) if len(current) == block else b""
            final = not following
            nonce = _nonce(prefix, index, final)
            aad = _aad(header, evidence_file.storage_name, index, final)
            try:
                plaintext = aes.decrypt(nonce, current, aad)
            except (InvalidTag, ValueError):
                raise Tampered("altered") from None
            yield plaintext
            if final:
                return
            current, index = following, index + 1


def digest(evidence_file: EvidenceFile) -> tuple[str, int]:
    """SHA-256 and size of the stored file's plaintext (``Tampered`` if it fails)."""
    sha, size = hashlib.sha256(), 0
    for chunk in decrypted_chunks(evidence_file):
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


def open_verified(evidence_file: EvidenceFile, *, actor) -> Iterator[bytes]:
    """The file's plaintext chunks, only after the whole file was verified.

    1. Refuse a quarantined file (``Quarantined``).
    2. First pass: decrypt and hash everything, output nothing. A failure
       or a hash that differs from the one taken at upload quarantines the
       file and raises ``Quarantined``.
    3. Return a second pass that decrypts again for streaming; if the
       stored file changes between the passes, the failing chunk's tag
       stops it (the file is quarantined and the response cut short).
    """
    if evidence_file.state == FileState.QUARANTINED:
        raise Quarantined
    try:
        sha256, size = digest(evidence_file)
    except Tampered as problem:
        quarantine(evidence_file, actor=actor, reason=problem.reason)
        raise Quarantined from None
    if sha256 != evidence_file.sha256 or size != evidence_file.size:
        quarantine(evidence_file, actor=actor, reason="hash_mismatch", sha256=sha256)
        raise Quarantined
    return _second_pass(evidence_file, actor)


def _second_pass(evidence_file: EvidenceFile, actor) -> Iterator[bytes]:
    try:
        yield from decrypted_chunks(evidence_file)
    except Tampered as problem:
        quarantine(evidence_file, actor=actor, reason=problem.reason)
        raise


# --- Actions ------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = "".join(ch for ch in (name or "") if ch.isprintable())
    return name.strip()[:255]


@transaction.atomic
def file_add(*, actor, item: EvidenceItem, stored: StoredFile, original_name: str) -> EvidenceFile:
    """Record a stored upload: the file row, its custody link, the audit event.

    The original file name is kept, encrypted, as data only: it is never
    used to name, type or serve the file, and never goes in the trail.
    """
    evidence_file = EvidenceFile.objects.create(
        item=item,
        sha256=stored.sha256,
        size=stored.size,
        content_type=stored.content_type,
        original_name=_clean_name(original_name),
        storage_name=stored.storage_name,
        wrapped_key=stored.wrapped_key,
        uploaded_by=actor,
    )
    custody_record(
        actor=actor,
        item=item,
        kind=CustodyKind.UPLOADED,
        file=evidence_file,
        sha256_verified=stored.sha256,
        hash_matched=None,  # nothing to compare with yet: this is the reference
    )
    audit(
        actor=actor,
        action="evidence.upload",
        target=evidence_file,
        fields=["original_name"],
        changes={
            "case": [None, item.case.number],
            "item": [None, item.number],
            "sha256": [None, stored.sha256],
            "size": [None, stored.size],
            "content_type": [None, stored.content_type],
        },
    )
    return evidence_file


@transaction.atomic
def file_viewed(*, actor, evidence_file: EvidenceFile) -> None:
    """A verified download: its custody link and audit event."""
    custody_record(
        actor=actor,
        item=evidence_file.item,
        kind=CustodyKind.VIEWED,
        file=evidence_file,
        sha256_verified=evidence_file.sha256,
        hash_matched=True,
    )
    audit(
        actor=actor,
        action="evidence.download",
        target=evidence_file,
        changes={"sha256": [None, evidence_file.sha256]},
    )


def quarantine(evidence_file: EvidenceFile, *, actor, reason: str, sha256: str = "") -> bool:
    """Take a file out of service for good, and say so.

    1. Compare-and-swap the state to quarantined (two downloads failing at
       once quarantine and notify once).
    2. Custody link (hash_matched False, the hash found if one was) and the
       audit event, in the same transaction.
    3. Log an error; e-mail the case's lawyer and every active
       administrator after commit (numbers only).

    Returns whether this call quarantined it (False if it already was).
    """
    with transaction.atomic():
        now = timezone.now()
        changed = EvidenceFile.objects.filter(pk=evidence_file.pk, state=FileState.STORED).update(
            state=FileState.QUARANTINED, quarantined_at=now
        )
        evidence_file.state, evidence_file.quarantined_at = FileState.QUARANTINED, now
        if not changed:
            return False
        custody_record(
            actor=actor,
            item=evidence_file.item,
            kind=CustodyKind.QUARANTINED,
            file=evidence_file,
            sha256_verified=sha256,
            hash_matched=False,
        )
        audit(
            actor=actor,
            action="evidence.quarantine",
            target=evidence_file,
            changes={"state": [FileState.STORED, FileState.QUARANTINED], "reason": [None, reason]},
        )
        transaction.on_commit(partial(_tell_quarantined, file_id=evidence_file.pk, reason=reason))
    logger.error(
        "evidence file %s quarantined: %s",
        evidence_file.pk,
        reason,
        extra={"event": "evidence.quarantine", "user_id": getattr(actor, "pk", None)},
    )
    return True


def quarantine_recipients(evidence_file: EvidenceFile) -> list:
    from tirek.accounts.models import User
    from tirek.accounts.roles import Role

    administrators = User.objects.filter(
        is_active=True, role_grants__role=Role.ADMINISTRATOR
    ).distinct()
    lawyer = evidence_file.item.case.lawyer
    people = [lawyer] if lawyer.is_active else []
    return people + [user for user in administrators.order_by("pk") if user.pk != lawyer.pk]


def _tell_quarantined(*, file_id: int, reason: str) -> None:
    evidence_file = EvidenceFile.objects.select_related("item__case__lawyer").get(pk=file_id)
    item = evidence_file.item
    recipients = [user.email for user in quarantine_recipients(evidence_file) if user.email]
    if not recipients:
        return
    subject = _("Tirek: an evidence file was quarantined")
    body = _(
        "The stored copy of evidence file %(file)s (case %(case)s, item %(item)s) no longer "
        "matches the hash taken when it was uploaded (%(reason)s). Tirek will not serve it "
        "again.\n\nCheck the storage and the backups, and keep the original you hold: it may "
        "be needed to show the court what the file was. The chain of custody of the item "
        "records the event.\n\n%(site)s"
    ) % {
        "file": evidence_file.pk,
        "case": item.case.number,
        "item": item.number,
        "reason": reason,
        "site": settings.TIREK_SITE_URL,
    }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


def download_name(evidence_file: EvidenceFile) -> str:
    """A name made of numbers only, e.g. ``TK-2026-000123-E3-17.pdf``."""
    item = evidence_file.item
    extension = ALLOWED_TYPES.get(evidence_file.content_type, "bin")
    return f"{item.case.number}-E{item.number}-{evidence_file.pk}.{extension}"
