"""Structured JSON logs that cannot carry personal data.

The formatter writes an allow-list of fields only. Django attaches the whole
request (with its POST body and cookies) to some records, and libraries pass
arbitrary objects as ``extra``; none of that reaches the output. Messages from
our own code are written without personal data; exception text is dropped
from third-party records because database errors quote the offending values.
"""

import json
import logging
from datetime import UTC, datetime

ALLOWED_EXTRA_FIELDS = (
    "request_id",
    "method",
    "path",
    "route",
    "status",
    "duration_ms",
    "user_id",
    "event",
    "count",
)
# Query strings may carry search terms (a name); only paths are logged.
STRIPPED = "…"


class AllowListJsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self._message(record),
        }
        for field in ALLOWED_EXTRA_FIELDS:
            value = getattr(record, field, None)
            if isinstance(value, str | int | float | bool):
                entry[field] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__qualname__
            entry["traceback"] = self._frames_only(record)
        return json.dumps(entry, ensure_ascii=False)

    @staticmethod
    def _message(record: logging.LogRecord) -> str:
        if record.name.startswith("tirek."):
            return record.getMessage()
        # Third-party messages are formatted from a fixed template only: their
        # arguments (a username for axes, a SQL value for the database) are not.
        return str(record.msg)

    def _frames_only(self, record: logging.LogRecord) -> list[str]:
        """File, line and function of each frame: enough to debug, no values."""
        import traceback

        _, _, tb = record.exc_info  # type: ignore[misc]
        return [
            f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(tb)
        ]
