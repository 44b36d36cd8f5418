"""Secret key files (the NIP pseudonym key, the login cookie key): random hex text,
created on first use readable by their owner only (mode 600)."""
from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=8)
def read_or_create_key(path: str) -> str:
    """The key (64 hex digits) in the file at ``path``, creating the file (and its folder) first
    when absent; the first of several processes creating it at once wins (atomic link)."""
    file = Path(path)
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_name(f"{file.name}.{os.getpid()}.tmp")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
        try:
            os.link(partial, file)      # atomic: the first process to create the key wins
        except FileExistsError:
            pass
        finally:
            partial.unlink(missing_ok=True)
    return file.read_text(encoding="ascii").strip()
