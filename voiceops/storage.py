"""Blob storage for clips and replies: Azure Blob / Azurite, or a local folder.

Names are container-relative paths such as ``clips/tech-gosh/abc.wav`` split into
(container, blob); both adapters keep the same layout so a folder mirrors the account."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Protocol

from voiceops.errors import PermanentError


class BlobNotFound(PermanentError):
    code = "blob_not_found"


class BlobStore(Protocol):
    def put(self, container: str, name: str, data: bytes, *, content_type: str,
            metadata: dict[str, str] | None = None) -> str:
        """Write a blob (overwriting); return its URL."""
        ...

    def get(self, container: str, name: str) -> bytes:
        """Read a blob, or raise BlobNotFound."""
        ...

    def exists(self, container: str, name: str) -> bool: ...

    def delete(self, container: str, name: str) -> None:
        """Delete a blob if it exists."""
        ...

    def url(self, container: str, name: str) -> str: ...


class LocalBlobStore:
    """A folder with one sub-folder per container; metadata kept in ``<name>.meta.json``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, container: str, name: str) -> Path:
        path = (self.root / container / name).resolve()
        if not path.is_relative_to((self.root / container).resolve()):
            raise PermanentError(f"blob name escapes its container: {name!r}")
        return path

    def put(self, container: str, name: str, data: bytes, *, content_type: str,
            metadata: dict[str, str] | None = None) -> str:
        path = self._path(container, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        meta = {"content_type": content_type, **(metadata or {})}
        path.with_name(path.name + ".meta.json").write_text(json.dumps(meta))
        return self.url(container, name)

    def get(self, container: str, name: str) -> bytes:
        path = self._path(container, name)
        if not path.is_file():
            raise BlobNotFound(f"no blob {container}/{name}")
        return path.read_bytes()

    def exists(self, container: str, name: str) -> bool:
        return self._path(container, name).is_file()

    def delete(self, container: str, name: str) -> None:
        path = self._path(container, name)
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".meta.json").unlink(missing_ok=True)

    def url(self, container: str, name: str) -> str:
        return self._path(container, name).as_uri()
