"""The evidence bundle: a ZIP of a case's evidence files with a signed manifest,
and its offline verification (``tirek evidence verify BUNDLE``).

**Format** (version 1)::

    files/<item>-<n>-<sha256 prefix>.<ext>   each original, decrypted and verified
    manifest.json   the case, the items with their fields, each file's SHA-256,
                    size, type and path in the ZIP, each item's chain of
                    custody, status history and element links, and the
                    fingerprint of the signing key
    manifest.sig    the raw 64-byte Ed25519 signature of manifest.json's exact bytes
    public_key.pem  the public half of the signing key (SubjectPublicKeyInfo)
    README.txt      how to check the bundle, with or without Tirek (its hash
                    is in the manifest too)

A file that fails verification (quarantined now or before) is listed in the
manifest with ``zip_path: null`` and the reason, and is never included. The
lawyer's admissibility notes are work product and stay out of the manifest.

Anyone can check a bundle without Tirek: ``openssl pkeyutl -verify -pubin
-inkey public_key.pem -rawin -in manifest.json -sigfile manifest.sig``, then
``sha256sum files/*`` against the manifest.

**The key.** The bundle is signed with an Ed25519 key of its own, held exactly
like the audit trail's checkpoint key (tirek/audit/keys.py): a PEM file off
the database (``TIREK_EVIDENCE_SIGNING_KEY``, created on first use, mode
0600) and a public keys file beside it (``TIREK_EVIDENCE_PUBLIC_KEYS``; a
rotated key's line stays, so old bundles still verify). Not the audit key
itself, because the two are published to different people and used
differently: the audit key signs a checkpoint now and then and its public
half goes to the operator's offline store; the evidence key signs whatever a
lawyer exports, whenever, and its public half goes to investigators and
courts. Separate keys keep a signature from one role from ever standing for
the other, and let either be rotated (or, if it leaks, revoked) without
touching the other.

The key inside the bundle proves only that nothing changed after someone
signed it with that key: anyone can make a key. Origin is proven by checking
against the key obtained from the office itself (``--public-key``, or the
configured public keys file) or by comparing the fingerprint out of band;
the list of evidence the lawyer signs prints it (tirek/evidence/export.py).
"""

import hashlib
import json
import shutil
import tempfile
import uuid
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from tirek.audit import canonical, keys
from tirek.audit.log import audit
from tirek.cases.models import LegalAidCase
from tirek.evidence.actions import custody_record
from tirek.evidence.export import file_name
from tirek.evidence.files import Quarantined, Tampered, open_verified, quarantine
from tirek.evidence.models import CustodyKind, EvidenceFile, EvidenceItem
from tirek.evidence.signing import (
    fingerprint,
    public_key_pem,
    readable_fingerprint,
    signing_key,
)

FORMAT = "tirek.evidence.bundle"
VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public_key.pem"
README = "README.txt"
FILES_DIR = "files/"
# The manifest of even a very large case is a few megabytes; refuse to read
# (decompress) more than this from a bundle that claims otherwise.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
CHUNK = 1024 * 1024
README_LANGUAGES = ("ky", "ru", "en")


# --- Building ----------------------------------------------------------------------------


@dataclass
class Bundle:
    """A bundle written to a private temporary folder; ``discard`` removes it."""

    path: Path
    filename: str
    manifest_sha256: str
    files_included: int
    files_not_included: int

    def discard(self) -> None:
        shutil.rmtree(self.path.parent, ignore_errors=True)


@dataclass
class _Copied:
    zip_path: str | None
    sha256: str = ""
    reason: str = ""


def build_bundle(*, case: LegalAidCase, actor) -> Bundle:
    """Write the bundle of ``case`` to a temporary file and return it.

    1. Copy each stored file of each item into the ZIP, decrypted and verified
       through ``open_verified``, one at a time and never whole in memory. A
       file goes through a private temporary copy first: its hash is known
       only at its end, and a ZIP entry once begun cannot be taken back. A
       file already quarantined, or that fails now, is left out with the
       reason.
    2. In one transaction: record "exported" in the chain of custody of each
       item (each file with the hash verified in step 1), build the manifest
       from the database (so the chain it carries includes this export),
       sign it, write it with the signature, the public key and the README,
       and audit "evidence.export" with the manifest's SHA-256, which pins
       in the audit trail exactly what was handed out.
    3. The caller sends the file and calls ``discard``.

    Files and items are taken as they were in step 1: anything added during
    the copy waits for the next bundle.
    """
    key = signing_key()
    created_at = timezone.now()
    folder = Path(tempfile.mkdtemp(prefix="tirek-bundle-"))  # mode 0700
    path = folder / f"evidence-{case.number}-{created_at:%Y%m%d-%H%M%S}.zip"
    try:
        item_ids = list(case.evidence.order_by("number").values_list("pk", flat=True))
        files = list(
            EvidenceFile.objects.filter(item__case=case, item_id__in=item_ids)
            .select_related("item")
            .order_by("item__number", "uploaded_at", "pk")
        )
        with zipfile.ZipFile(path, "w", allowZip64=True) as archive:
            copied = _copy_files(archive, files, folder, actor)
            readme = _readme(case, actor, key, created_at).encode("utf-8")
            with transaction.atomic():
                _record_exported(actor, item_ids, files, copied, created_at)
                manifest = _manifest_bytes(case, actor, key, item_ids, copied, created_at, readme)
                manifest_sha256 = hashlib.sha256(manifest).hexdigest()
                _write(archive, README, readme)
                _write(archive, MANIFEST, manifest)
                _write(archive, SIGNATURE, key.sign(manifest), deflate=False)
                _write(archive, PUBLIC_KEY, public_key_pem(key.public_key()))
                included = sum(1 for entry in copied.values() if entry.zip_path)
                audit(
                    actor=actor,
                    action="evidence.export",
                    target=case,
                    changes={
                        "what": [None, "bundle"],
                        "items": [None, len(item_ids)],
                        "files": [None, included],
                        "files_not_included": [None, len(copied) - included],
                        "manifest_sha256": [None, manifest_sha256],
                    },
                )
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Bundle(
        path=path,
        filename=path.name,
        manifest_sha256=manifest_sha256,
        files_included=included,
        files_not_included=len(copied) - included,
    )


def _copy_files(archive: zipfile.ZipFile, files: list[EvidenceFile], folder: Path, actor) -> dict:
    """Step 1: file pk → where it went in the ZIP (or why it did not)."""
    copied: dict[int, _Copied] = {}
    positions: dict[int, int] = {}
    for evidence_file in files:
        position = positions[evidence_file.item_id] = positions.get(evidence_file.item_id, 0) + 1
        zip_path = FILES_DIR + file_name(evidence_file.item.number, position, evidence_file)
        copied[evidence_file.pk] = _copy_one(archive, evidence_file, zip_path, folder, actor)
    return copied


def _copy_one(
    archive: zipfile.ZipFile, evidence_file: EvidenceFile, zip_path: str, folder: Path, actor
) -> _Copied:
    # Through a private temporary copy: open_verified checks the whole file
    # before it streams, but the stored file could still change between its
    # two passes, and a ZIP entry once begun cannot be taken back.
    staging = folder / "staging"  # inside the 0700 folder; plaintext for a moment
    digest = hashlib.sha256()
    size = 0
    try:
        with staging.open("wb") as out:
            for chunk in open_verified(evidence_file, actor=actor):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
    except (Quarantined, Tampered):
        # Quarantined before, or now by open_verified (which records it in
        # the chain of custody and the audit trail and tells the lawyer).
        staging.unlink(missing_ok=True)
        return _Copied(None, reason=_quarantined_reason())
    # Belt and braces: the hash of exactly the bytes that would go into the ZIP.
    if digest.hexdigest() != evidence_file.sha256 or size != evidence_file.size:
        staging.unlink()
        quarantine(evidence_file, actor=actor, reason="hash_mismatch", sha256=digest.hexdigest())
        return _Copied(None, reason=_quarantined_reason())
    # Stored, not deflated: evidence is mostly photographs, scans and video,
    # already compressed; deflating them costs time and gains nothing.
    archive.write(staging, zip_path, compress_type=zipfile.ZIP_STORED)
    staging.unlink()
    return _Copied(zip_path, sha256=digest.hexdigest())


def _quarantined_reason() -> str:
    return _("Quarantined: the stored file no longer matches the SHA-256 taken when received.")


def _write(archive: zipfile.ZipFile, name: str, data: bytes, *, deflate: bool = True) -> None:
    compression = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    archive.writestr(name, data, compress_type=compression)


def _record_exported(actor, item_ids, files, copied, moment) -> None:
    """One "exported" event per file included (with its verified hash), and
    one for each item none of whose files went in (or that has none)."""
    items = EvidenceItem.objects.in_bulk(item_ids)
    with_files: set[int] = set()
    for evidence_file in files:
        entry = copied[evidence_file.pk]
        if entry.zip_path is None:
            continue
        with_files.add(evidence_file.item_id)
        custody_record(
            actor=actor,
            item=items[evidence_file.item_id],
            kind=CustodyKind.EXPORTED,
            occurred_at=moment,
            file=evidence_file,
            sha256_verified=entry.sha256,
            hash_matched=True,
        )
    for item_id in item_ids:
        if item_id not in with_files:
            custody_record(
                actor=actor, item=items[item_id], kind=CustodyKind.EXPORTED, occurred_at=moment
            )


# --- The manifest ------------------------------------------------------------------------


def _manifest_bytes(case, actor, key, item_ids, copied, created_at, readme: bytes) -> bytes:
    items = (
        EvidenceItem.objects.filter(pk__in=item_ids)
        .order_by("number")
        .prefetch_related(
            "files__uploaded_by",
            "custody__recorded_by",
            "status_history__recorded_by",
            "links__linked_by",
        )
    )
    public_key = key.public_key()
    criminal = case.criminal_case.register_number if case.criminal_case_id else None
    document = {
        "format": FORMAT,
        "version": VERSION,
        "bundle_id": str(uuid.uuid4()),
        "case": {"number": case.number, "criminal_case_number": criminal},
        "lawyer": _person(case.lawyer),
        "created_at": created_at,
        "created_by": _person(actor),
        "signing_key": {
            "algorithm": "Ed25519",
            "fingerprint_sha256": fingerprint(public_key),
            "key_id": keys.key_id(public_key),
            "public_key": PUBLIC_KEY,
        },
        "documents": [
            {"zip_path": README, "sha256": hashlib.sha256(readme).hexdigest(), "size": len(readme)}
        ],
        "items": [_item_entry(item, copied) for item in items],
    }
    files = [entry for item in document["items"] for entry in item["files"]]
    document["totals"] = {
        "items": len(document["items"]),
        "files": len(files),
        "files_included": sum(1 for entry in files if entry["zip_path"]),
        "files_not_included": sum(1 for entry in files if not entry["zip_path"]),
    }
    # Indented for people to read: the signature covers the exact bytes, so the
    # layout needs no canonical form. Dates and times as the audit trail writes them.
    normalised = canonical.normalise(document, where="manifest")
    return (json.dumps(normalised, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _item_entry(item: EvidenceItem, copied: dict[int, _Copied]) -> dict:
    files = [f for f in item.files.all() if f.pk in copied]
    positions = {f.pk: position for position, f in enumerate(files, start=1)}
    return {
        "number": item.number,
        "kind": item.kind,
        "description": item.description,
        "source": item.source,
        "obtained_how": item.obtained_how,
        "obtained_on": item.obtained_on,
        "holder": item.holder,
        "from_victim": item.from_victim,
        "independent": item.independent,
        "status": item.status,
        "status_on": item.status_on,
        "procedural_act": item.procedural_act,
        "created_at": item.created_at,
        "files": [_file_entry(f, positions[f.pk], copied[f.pk]) for f in files],
        "custody": [
            {
                "kind": event.kind,
                "occurred_at": event.occurred_at,
                "recorded_at": event.recorded_at,
                "recorded_by": _person(event.recorded_by) if event.recorded_by else None,
                "counterpart": event.counterpart,
                "place": event.place,
                "file": positions.get(event.file_id),
                "sha256_verified": event.sha256_verified,
                "hash_matched": event.hash_matched,
            }
            for event in item.custody.all()
        ],
        "status_history": [
            {
                "status": change.status,
                "on": change.on,
                "procedural_act": change.procedural_act,
                "recorded_by": _person(change.recorded_by),
                "recorded_at": change.recorded_at,
            }
            for change in item.status_history.all()
        ],
        "element_links": [
            {
                "element": link.element,
                "strength": link.strength,
                "note": link.note,
                "linked_by": _person(link.linked_by),
                "linked_at": link.linked_at,
            }
            for link in item.links.all()
        ],
    }


def _file_entry(evidence_file: EvidenceFile, position: int, entry: _Copied) -> dict:
    return {
        "position": position,
        "zip_path": entry.zip_path,
        "not_included": entry.reason or None,
        "sha256": evidence_file.sha256,
        "size": evidence_file.size,
        "content_type": evidence_file.content_type,
        "original_name": evidence_file.original_name,
        "uploaded_at": evidence_file.uploaded_at,
        "uploaded_by": _person(evidence_file.uploaded_by),
    }


def _person(user) -> dict:
    return {"username": user.username, "name": user.get_full_name()}


def _readme(case, actor, key, created_at) -> str:
    printed = readable_fingerprint(fingerprint(key.public_key()))
    parts = []
    for language in README_LANGUAGES:
        with translation.override(language):
            parts.append(
                _(
                    "Evidence bundle of case %(case)s, made in Tirek on %(date)s by %(name)s.\n"
                    "\n"
                    "files/          the evidence files, exactly as received\n"
                    "manifest.json   the items, the SHA-256 and size of each file, the chain "
                    "of custody and the status history of each item\n"
                    "manifest.sig    the Ed25519 signature of manifest.json\n"
                    "public_key.pem  the key that checks the signature\n"
                    "\n"
                    "Fingerprint of the key (SHA-256): %(fingerprint)s\n"
                    "\n"
                    "The key inside the bundle proves only that nothing has changed since the "
                    "bundle was signed with it. That the lawyer's office made the bundle is "
                    "proven only if this fingerprint is the one the office gives you itself "
                    "(it is printed on the signed list of evidence).\n"
                    "\n"
                    "To check it with Tirek: tirek evidence verify BUNDLE.zip --public-key "
                    "KEY.pem\n"
                    "To check it without Tirek (OpenSSL 3): openssl pkeyutl -verify -pubin "
                    "-inkey public_key.pem -rawin -in manifest.json -sigfile manifest.sig ; "
                    "then compare sha256sum files/* with the hashes in manifest.json.\n"
                )
                % {
                    "case": case.number,
                    "date": formats.date_format(timezone.localtime(created_at), "DATETIME_FORMAT"),
                    "name": actor.get_full_name() or actor.username,
                    "fingerprint": printed,
                }
            )
    return "\n\n".join(parts)


# --- Verifying ---------------------------------------------------------------------------


class BundleUnreadable(ValueError):
    """Not a bundle at all: no such file, or not a ZIP."""


ALTERED, MISSING, EXTRA, SIGNATURE_FAILED, MALFORMED = (
    "altered",
    "missing",
    "extra",
    "signature",
    "manifest",
)


@dataclass(frozen=True)
class Problem:
    kind: str  # one of the constants above
    path: str  # the member of the ZIP concerned
    detail: str

    def __str__(self) -> str:
        labels = {
            ALTERED: _("ALTERED"),
            MISSING: _("MISSING"),
            EXTRA: _("EXTRA"),
            SIGNATURE_FAILED: _("SIGNATURE"),
            MALFORMED: _("MANIFEST"),
        }
        return f"{labels[self.kind]}: {self.path}: {self.detail}"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    signature_valid: bool = False
    # True only when the signature was checked with a key trusted beforehand.
    origin_proven: bool = False
    fingerprint: str = ""
    case_number: str = ""
    created_at: str = ""
    created_by: str = ""
    files_checked: int = 0
    # (file, reason) of files the manifest says were left out when it was made.
    not_included: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.signature_valid and not self.problems

    def add(self, kind: str, path: str, detail: str) -> None:
        self.problems.append(Problem(kind, path, detail))


def verify_bundle(
    path: Path | str,
    trusted_public_key: Ed25519PublicKey | Iterable[Ed25519PublicKey] | None = None,
) -> Report:
    """Check a bundle offline; every problem found is named in the report.

    1. Open the ZIP (``BundleUnreadable`` if it is not one) and flag names
       that appear twice: a reader would see only one of them.
    2. Check the signature of manifest.json's exact bytes: with the trusted
       key(s) if given (origin), else with the key inside the bundle
       (integrity only), and that the manifest names that key.
    3. Check every file the manifest lists, and README.txt: present, the
       same size, the same SHA-256 (read in chunks, never more than the
       size declared, so a crafted entry cannot inflate without end).
    4. Name every entry the manifest does not list.
    """
    report = Report()
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BundleUnreadable(_("%(path)s: no such file") % {"path": path}) from None
    except (zipfile.BadZipFile, OSError):
        raise BundleUnreadable(_("%(path)s is not a ZIP file") % {"path": path}) from None
    with archive:
        names = [info.filename for info in archive.infolist()]
        for name in sorted({name for name in names if names.count(name) > 1}):
            report.add(EXTRA, name, _("appears more than once in the ZIP"))
        manifest = _read_small(archive, MANIFEST, report)
        if manifest is None:
            return report
        document = _parse_manifest(manifest, report)
        _check_signature(archive, manifest, document, trusted_public_key, report)
        if document is None:
            return report
        expected = _expected_entries(document, report)
        for zip_path, (sha256, size) in expected.items():
            _check_entry(archive, names, zip_path, sha256, size, report)
        known = set(expected) | {MANIFEST, SIGNATURE, PUBLIC_KEY}
        for name in sorted(set(names) - known):
            report.add(EXTRA, name, _("is in the ZIP but not in the manifest"))
    return report


def _read_small(archive: zipfile.ZipFile, name: str, report: Report) -> bytes | None:
    try:
        with archive.open(name) as member:
            data = member.read(MAX_MANIFEST_BYTES + 1)
    except KeyError:
        report.add(MISSING, name, _("is not in the ZIP"))
        return None
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError) as e:
        report.add(ALTERED, name, _("cannot be read: %(error)s") % {"error": e})
        return None
    if len(data) > MAX_MANIFEST_BYTES:
        report.add(ALTERED, name, _("is far larger than any manifest"))
        return None
    return data


def _parse_manifest(manifest: bytes, report: Report) -> dict | None:
    try:
        document = json.loads(manifest.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        report.add(MALFORMED, MANIFEST, _("is not valid JSON"))
        return None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        report.add(MALFORMED, MANIFEST, _("is not the manifest of a Tirek evidence bundle"))
        return None
    if document.get("version") != VERSION:
        report.add(
            MALFORMED,
            MANIFEST,
            _("is format version %(version)s; this Tirek reads version %(supported)s")
            % {"version": document.get("version"), "supported": VERSION},
        )
        return None
    case = document.get("case") if isinstance(document.get("case"), dict) else {}
    creator = document.get("created_by") if isinstance(document.get("created_by"), dict) else {}
    report.case_number = str(case.get("number", ""))
    report.created_at = str(document.get("created_at", ""))
    report.created_by = str(creator.get("name") or creator.get("username") or "")
    return document


def _check_signature(archive, manifest: bytes, document, trusted, report: Report) -> None:
    signature = _read_small(archive, SIGNATURE, report)
    embedded = _embedded_key(archive, report)
    if signature is None:
        return
    if trusted is not None:
        candidates = [trusted] if isinstance(trusted, Ed25519PublicKey) else list(trusted)
        verifying = next((key for key in candidates if _valid(key, signature, manifest)), None)
        if verifying is None:
            if embedded is not None and _valid(embedded, signature, manifest):
                detail = _(
                    "signed with key %(fingerprint)s, which is not a trusted key: the bundle "
                    "was not made (or was re-signed after a change) by whoever holds the "
                    "trusted key"
                ) % {"fingerprint": readable_fingerprint(fingerprint(embedded))}
            else:
                detail = _("the signature does not match manifest.json under the trusted key")
            report.add(SIGNATURE_FAILED, SIGNATURE, detail)
            return
        report.origin_proven = True
    else:
        if embedded is None:
            return
        if not _valid(embedded, signature, manifest):
            report.add(
                SIGNATURE_FAILED,
                SIGNATURE,
                _("the signature does not match manifest.json: the manifest has been changed"),
            )
            return
        verifying = embedded
    report.signature_valid = True
    report.fingerprint = fingerprint(verifying)
    named = (document or {}).get("signing_key") or {}
    if isinstance(named, dict) and named.get("fingerprint_sha256") != report.fingerprint:
        report.add(MALFORMED, MANIFEST, _("names another signing key than the one that signed it"))
    if embedded is not None and fingerprint(embedded) != report.fingerprint:
        report.add(ALTERED, PUBLIC_KEY, _("is not the key that signed the manifest"))


def _embedded_key(archive: zipfile.ZipFile, report: Report) -> Ed25519PublicKey | None:
    data = _read_small(archive, PUBLIC_KEY, report)
    if data is None:
        return None
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        key = None
    if not isinstance(key, Ed25519PublicKey):
        report.add(ALTERED, PUBLIC_KEY, _("is not an Ed25519 public key"))
        return None
    return key


def _valid(key: Ed25519PublicKey, signature: bytes, manifest: bytes) -> bool:
    try:
        key.verify(signature, manifest)
    except (InvalidSignature, ValueError):
        return False
    return True


def _expected_entries(document: dict, report: Report) -> dict[str, tuple[str, int]]:
    """zip path → (sha256, size) of every file the manifest says is in the ZIP."""
    expected: dict[str, tuple[str, int]] = {}
    for entry in _listed_files(document, report):
        zip_path, sha256, size = entry.get("zip_path"), entry.get("sha256"), entry.get("size")
        if zip_path is None:
            label = f"{entry.get('item', '?')}-{entry.get('position', '?')}"
            report.not_included.append((label, str(entry.get("not_included") or "")))
            continue
        if not (isinstance(zip_path, str) and isinstance(sha256, str) and isinstance(size, int)):
            report.add(MALFORMED, MANIFEST, _("lists a file without its path, hash or size"))
            continue
        expected[zip_path] = (sha256.lower(), size)
    return expected


def _listed_files(document: dict, report: Report) -> Iterator[dict]:
    items = document.get("items")
    documents = document.get("documents")
    if not isinstance(items, list) or not isinstance(documents, list):
        report.add(MALFORMED, MANIFEST, _("has no list of items or documents"))
        return
    for item in items:
        files = item.get("files") if isinstance(item, dict) else None
        if not isinstance(files, list):
            report.add(MALFORMED, MANIFEST, _("lists an item without its files"))
            continue
        for entry in files:
            if isinstance(entry, dict):
                yield {"item": item.get("number"), **entry}
            else:
                report.add(MALFORMED, MANIFEST, _("lists a file without its path, hash or size"))
    for entry in documents:
        if isinstance(entry, dict):
            yield entry
        else:
            report.add(MALFORMED, MANIFEST, _("lists a document without its path, hash or size"))


def _check_entry(archive, names, zip_path: str, sha256: str, size: int, report: Report) -> None:
    if zip_path not in names:
        report.add(MISSING, zip_path, _("is listed in the manifest but not in the ZIP"))
        return
    report.files_checked += 1
    digest = hashlib.sha256()
    read = 0
    try:
        with archive.open(zip_path) as member:
            while chunk := member.read(CHUNK):
                read += len(chunk)
                if read > size:
                    break
                digest.update(chunk)
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError) as e:
        # A byte changed in place breaks the ZIP's own CRC before our hash.
        report.add(ALTERED, zip_path, _("is damaged: %(error)s") % {"error": e})
        return
    if read != size:
        report.add(
            ALTERED,
            zip_path,
            _("its size is not %(expected)s bytes as listed") % {"expected": size},
        )
    elif digest.hexdigest() != sha256:
        report.add(ALTERED, zip_path, _("its SHA-256 is not the one listed in the manifest"))
