"""The memory bound of an evidence upload, measured by ``tirek bench``.

A generated upload (2 GiB at national scale, 256 MiB at small) is streamed
as a real multipart body through Django's parser, the evidence upload
handler and writer, into the real evidence storage; then the stored file is
verified (decrypted and hashed) as a download does before serving. Reported:
throughput, the peak of Python allocations (tracemalloc) and the growth of
the process's peak resident memory (Linux: VmHWM, reset first). The file is
removed afterwards. Not a test: figures, for the notes.
"""

import hashlib
import itertools
import os
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

from django.http.multipartparser import MultiPartParser

from tirek.evidence import files
from tirek.evidence.models import EvidenceFile
from tirek.evidence.upload import EvidenceUploadHandler

MiB = 1024 * 1024
SIZES = {"national": 2048 * MiB}
SMALL_SIZE = 256 * MiB
BOUNDARY = "tirekbenchboundary7MA4YWxkTrZu0gW"


class _GeneratedBody:
    """A multipart body produced as it is read: never held whole."""

    def __init__(self, size: int) -> None:
        block = b"%PDF-1.7\n" + os.urandom(MiB - 9)
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="bench.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
        ).encode()
        tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        whole, rest = divmod(size, MiB)
        self.length = len(head) + size + len(tail)
        self.sha256 = hashlib.sha256()
        for _ in range(whole):
            self.sha256.update(block)
        self.sha256.update(block[:rest])
        self._pieces: Iterator[bytes] = itertools.chain(
            [head], itertools.repeat(block, whole), [block[:rest], tail]
        )
        self._current = memoryview(b"")

    def read(self, size: int = -1) -> bytes:
        while not self._current:
            piece = next(self._pieces, None)
            if piece is None:
                return b""
            self._current = memoryview(piece)
        size = len(self._current) if size < 0 else size
        data, self._current = bytes(self._current[:size]), self._current[size:]
        return data


def _rss_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (Linux ≥ 4.0)
    except OSError:
        return False
    return True


def _measured(work):
    """Run ``work()``; its result, seconds, tracemalloc peak and RSS growth (MiB)."""
    can_reset = _reset_peak_rss()
    rss_before = _rss_kib("VmRSS")
    tracemalloc.start()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    high = _rss_kib("VmHWM") if can_reset else None
    growth = None
    if high is not None and rss_before is not None:
        growth = max(0.0, (high - rss_before) / 1024)
    return result, seconds, peak / MiB, growth


def _line(what: str, size: int, seconds: float, peak: float, growth: float | None) -> str:
    rss = f"{growth:.1f} MiB" if growth is not None else "n/a"
    return (
        f"{what:<34} {size / MiB:>6.0f} MiB {size / 1e6 / seconds:>7.0f} MB/s  "
        f"tracemalloc peak {peak:.2f} MiB  RSS peak growth {rss}"
    )


def upload_memory(demo, volume) -> list[str]:
    size = SIZES.get(volume.name, SMALL_SIZE)
    body = _GeneratedBody(size)
    meta = {
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(body.length),
    }
    handler = EvidenceUploadHandler(None, max_bytes=size + 1)

    def parse():
        MultiPartParser(meta, body, [handler]).parse()
        return handler.stored

    try:
        stored, seconds, peak, growth = _measured(parse)
        if stored is None or stored.sha256 != body.sha256.hexdigest():
            return [f"evidence upload failed: {handler.refusal or 'hash differs'}"]
        lines = [_line("evidence upload (stream+encrypt)", size, seconds, peak, growth)]
        unsaved = EvidenceFile(storage_name=stored.storage_name, wrapped_key=stored.wrapped_key)
        (sha256, _size), seconds, peak, growth = _measured(lambda: files.digest(unsaved))
        if sha256 != stored.sha256:
            return [*lines, "evidence verify failed: hash differs"]
        lines.append(_line("evidence verify (decrypt+hash)", size, seconds, peak, growth))
        return lines
    finally:
        handler.discard()  # never claimed: the stored file is removed


MEASUREMENTS = [upload_memory]
