"""One place that sets up the product's log: key=value lines to stderr and, when the
``log_file`` setting names one, to that file too (reopened when logrotate moves it).

A line reads ``ts=2026-11-30T10:15:02+0700 level=INFO logger=data.store.load import kind=roster
file=... import_id=7 ...``: the message itself is key=value (``logging.getLogger(__name__)``,
lazy ``%s`` arguments). One line is written per import, undo, export, login, backup and
migration by the module that does it. Calling ``configure_logging`` again replaces the
handlers it added before, so a command or the service can call it at start without doubling lines.
"""
from __future__ import annotations

import logging
import logging.handlers
import sys
import time

from data.config import Settings, settings
from data.errors import ConfigError

FORMAT = "ts=%(asctime)s level=%(levelname)s logger=%(name)s %(message)s"
_MARK = "_kmdash_handler"


class _WibFormatter(logging.Formatter):
    """Times in WIB (UTC+7) whatever the server's zone, so log lines match the import log."""

    def converter(self, seconds: float | None) -> time.struct_time:  # type: ignore[override]
        return time.gmtime((seconds or time.time()) + 7 * 3600)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + "+0700"


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a line is written (pytest and Streamlit swap it)."""

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def configure_logging(config: Settings | None = None, *, stream=None) -> list[logging.Handler]:
    """Send the root logger's lines (at ``log_level`` and above) to ``stream`` (default stderr)
    and to ``log_file`` when set; the file's folder is created.

    Returns:
        the handlers added (replacing any this function added before).

    A log file this user may not write (a monitoring user's read-only access) is left out,
    with one warning on stderr.

    Raises:
        ConfigError: an invalid setting (see ``data.config``).
        OSError: the log file cannot be opened for another reason.
    """
    config = config or settings()
    level = logging.getLevelName(config.log_level.upper())
    if not isinstance(level, int):
        raise ConfigError(f"log_level {config.log_level!r} is not one of DEBUG, INFO, WARNING, ERROR")
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    handlers: list[logging.Handler] = [logging.StreamHandler(stream) if stream else _CurrentStderr()]
    if config.log_file:
        try:
            config.log_file.parent.mkdir(parents=True, exist_ok=True)
            handlers.append(logging.handlers.WatchedFileHandler(config.log_file, encoding="utf-8"))
        except PermissionError:
            # a monitoring user (group kmdash) may read the database but not write the service's log
            not_writable = config.log_file
        else:
            not_writable = None
    formatter = _WibFormatter(FORMAT)
    for handler in handlers:
        handler.setFormatter(formatter)
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    root.setLevel(level)
    if config.log_file and not_writable:
        logging.getLogger(__name__).warning("log_file=%s writable=false lines_to=stderr", not_writable)
    return handlers
