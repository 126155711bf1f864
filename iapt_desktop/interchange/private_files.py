"""Files that may hold patient data (reports, manifests, exports): readable by their owner only.

Written in one go: to a temporary file beside the target, created with mode 0600
by ``tempfile.mkstemp`` (never the system temp folder), flushed to disk, then renamed
into place.  The table exports, the workbooks and the audit export are made the same
way; text files (validation reports, manifests, JSON and text exports) come here.
On Windows the mode bits do not apply: the file inherits the folder's access list.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

OWNER_ONLY = 0o600


def write_private_text(path: Path, text: str, *, final_newline: bool = False) -> Path:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to ``path`` readable by the owner only; returns ``path``."""
    path = Path(path)
    if final_newline and not text.endswith("\n"):
        text += "\n"
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".part", dir=path.parent or None)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
