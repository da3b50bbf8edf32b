"""Blob storage for clips and replies: Azure Blob / Azurite, or a local folder.

Names are container-relative paths such as ``clips/tech-gosh/abc.wav`` split into
(container, blob); both adapters keep the same layout so a folder mirrors the account.

Besides reading and writing, the API hands out short-lived URLs for exactly one blob: a SAS
(user delegation with a managed identity, account key for Azurite and connection strings) in
Azure, an HMAC-signed ``/blobs/...`` URL served by ``python -m voiceops serve`` for the folder."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, urlencode

from voiceops.errors import (
    ConfigurationError,
    NotAuthorized,
    PermanentError,
    RateLimited,
    ServiceTimeout,
    ServiceUnavailable,
)

if TYPE_CHECKING:
    from voiceops.settings import Settings

log = logging.getLogger(__name__)


class BlobNotFound(PermanentError):
    code = "blob_not_found"


@dataclass(frozen=True)
class BlobProperties:
    """What ingest needs besides the bytes: size, the uploader's content type and metadata."""

    name: str
    size: int
    content_type: str | None
    metadata: dict[str, str]


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

    def list_names(self, container: str, prefix: str = "") -> Iterator[str]:
        """Blob names in ``container`` starting with ``prefix``."""
        ...

    def properties(self, container: str, name: str) -> BlobProperties:
        """Size, content type and metadata of a blob, or BlobNotFound."""
        ...

    def upload_url(self, container: str, name: str, *, content_type: str, expires_at: datetime) -> str:
        """A URL that lets its holder create exactly this blob (nothing else) until ``expires_at``."""
        ...

    def download_url(self, container: str, name: str, *, expires_at: datetime) -> str:
        """A URL that lets its holder read exactly this blob until ``expires_at``."""
        ...

    def ensure_containers(self, *containers: str) -> None:
        """Create the containers that do not exist yet."""
        ...

    def check(self, container: str) -> None:
        """Raise a VoiceOpsError unless ``container`` is reachable (health check)."""
        ...


def recorded_at_from(metadata: Mapping[str, str] | None) -> datetime | None:
    """The phone's recording time from blob metadata (``x-ms-meta-recorded_at``, ISO 8601 with a zone).

    A time without a zone is ignored: the worker would misread the technician's local hour."""
    value = {str(k).lower(): v for k, v in (metadata or {}).items()}.get("recorded_at")
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        log.warning("ignoring unparseable recorded_at metadata %r", value)
        return None
    return parsed if parsed.tzinfo else None


# --- local folder ---------------------------------------------------------------------------------

def _sign(secret: str, permission: str, container: str, name: str, expires: int) -> str:
    message = f"{permission}\n{container}/{name}\n{expires}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class LocalBlobStore:
    """A folder with one sub-folder per container; metadata kept in ``<name>.meta.json``.

    Its signed URLs (``/blobs/{container}/{name}?sp=&se=&sig=``) stand in for SAS: one blob, one
    permission (``c`` create or ``r`` read), an expiry, and an HMAC over all three."""

    URL_PREFIX = "/blobs/"

    def __init__(self, root: Path, *, signing_secret: str | None = None) -> None:
        self.root = Path(root)
        self.signing_secret = signing_secret

    def _path(self, container: str, name: str) -> Path:
        path = (self.root / container / name).resolve()
        if not path.is_relative_to((self.root / container).resolve()):
            raise PermanentError(f"blob name escapes its container: {name!r}")
        return path

    def put(self, container: str, name: str, data: bytes, *, content_type: str,
            metadata: dict[str, str] | None = None) -> str:
        path = self._path(container, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        # metadata first, then the atomic rename: a watcher never sees bytes without their metadata
        meta = {"content_type": content_type, **(metadata or {})}
        path.with_name(path.name + ".meta.json").write_text(json.dumps(meta))
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
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

    def list_names(self, container: str, prefix: str = "") -> Iterator[str]:
        folder = self.root / container
        if not folder.is_dir():
            return
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name.endswith((".meta.json", ".part")):
                continue
            name = path.relative_to(folder).as_posix()
            if name.startswith(prefix):
                yield name

    def properties(self, container: str, name: str) -> BlobProperties:
        path = self._path(container, name)
        if not path.is_file():
            raise BlobNotFound(f"no blob {container}/{name}")
        meta_path = path.with_name(path.name + ".meta.json")
        meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
        content_type = meta.pop("content_type", None)
        return BlobProperties(name=name, size=path.stat().st_size, content_type=content_type,
                              metadata={str(k).lower(): str(v) for k, v in meta.items()})

    def _signed(self, container: str, name: str, permission: str, expires_at: datetime) -> str:
        if not self.signing_secret:
            raise ConfigurationError("the local blob store needs a signing secret to hand out URLs")
        self._path(container, name)  # refuses names that escape the container
        expires = int(expires_at.timestamp())
        sig = _sign(self.signing_secret, permission, container, name, expires)
        query = urlencode({"sp": permission, "se": expires, "sig": sig})
        return f"{self.URL_PREFIX}{container}/{quote(name)}?{query}"

    def upload_url(self, container: str, name: str, *, content_type: str, expires_at: datetime) -> str:
        return self._signed(container, name, "c", expires_at)

    def download_url(self, container: str, name: str, *, expires_at: datetime) -> str:
        return self._signed(container, name, "r", expires_at)

    def verify_signed(self, container: str, name: str, *, permission: str, query: dict[str, str],
                      now: datetime | None = None) -> None:
        """Raise NotAuthorized unless ``query`` grants ``permission`` on this blob and has not expired."""
        if not self.signing_secret:
            raise NotAuthorized("signed URLs are disabled")
        try:
            expires = int(query.get("se", ""))
        except ValueError:
            raise NotAuthorized("malformed signed URL") from None
        if query.get("sp") != permission:
            raise NotAuthorized(f"signed URL does not grant {permission!r}")
        expected = _sign(self.signing_secret, permission, container, name, expires)
        if not hmac.compare_digest(expected, query.get("sig", "")):
            raise NotAuthorized("bad signature")
        if (now or datetime.now(UTC)).timestamp() > expires:
            raise NotAuthorized("signed URL expired")

    def ensure_containers(self, *containers: str) -> None:
        for container in containers:
            (self.root / container).mkdir(parents=True, exist_ok=True)

    def check(self, container: str) -> None:
        if not (self.root / container).is_dir():
            raise BlobNotFound(f"no container folder {self.root / container}")


# --- Azure Blob / Azurite -------------------------------------------------------------------------

def map_azure_error(exc: Exception, what: str) -> Exception:
    """Translate an azure-core exception into the VoiceOps error tree (call as ``raise map_...(e) from e``)."""
    from azure.core.exceptions import (
        ClientAuthenticationError,
        HttpResponseError,
        ResourceNotFoundError,
        ServiceRequestError,
        ServiceRequestTimeoutError,
        ServiceResponseError,
        ServiceResponseTimeoutError,
    )

    if isinstance(exc, ResourceNotFoundError):
        return BlobNotFound(f"{what}: not found")
    if isinstance(exc, ServiceRequestTimeoutError | ServiceResponseTimeoutError):
        return ServiceTimeout(f"{what}: storage timed out")
    if isinstance(exc, ServiceRequestError | ServiceResponseError):
        return ServiceUnavailable(f"{what}: storage unreachable ({type(exc).__name__})")
    if isinstance(exc, ClientAuthenticationError):
        # a missing role assignment or a wrong key: retrying will not fix it, ops must
        return ConfigurationError(f"{what}: storage refused the credentials ({exc.status_code})")
    if isinstance(exc, HttpResponseError):
        status = exc.status_code or 0
        if status == 429 or (status == 503 and "ServerBusy" in str(exc.error_code or "")):
            return RateLimited(f"{what}: storage throttled the request")
        if status == 408:
            return ServiceTimeout(f"{what}: storage timed out")
        if status >= 500:
            return ServiceUnavailable(f"{what}: storage answered {status}")
        if status == 403:
            return ConfigurationError(f"{what}: storage denied access ({exc.error_code})")
        return PermanentError(f"{what}: storage answered {status} ({exc.error_code})", code="storage_rejected")
    return ServiceUnavailable(f"{what}: {type(exc).__name__}: {exc}")


class AzureBlobStore:
    """Azure Blob Storage (or Azurite) through azure-storage-blob.

    Build it from a connection string (Azurite, ``UseDevelopmentStorage=true``, account keys) or
    from an account URL plus an azure-identity credential (managed identity in Azure). SAS URLs
    are account-key SAS with a key, user-delegation SAS with a token credential."""

    #: user-delegation keys are fetched from the service; reuse one until shortly before it expires
    _DELEGATION_KEY_LIFETIME = timedelta(hours=6)

    def __init__(self, client: Any) -> None:
        self.client = client
        self._delegation_key: Any = None
        self._delegation_key_expiry = datetime.min.replace(tzinfo=UTC)
        self._lock = threading.Lock()

    @classmethod
    def from_connection_string(cls, connection: str, **client_options: Any) -> AzureBlobStore:
        """A store for an account-key connection string (Azurite included)."""
        from azure.storage.blob import BlobServiceClient

        try:
            return cls(BlobServiceClient.from_connection_string(connection, **client_options))
        except ValueError as exc:
            raise ConfigurationError(f"invalid storage connection string: {exc}") from exc

    @classmethod
    def from_account_url(cls, account_url: str, *, managed_identity_client_id: str | None = None,
                         **client_options: Any) -> AzureBlobStore:
        """A store authenticated with Entra ID: the user-assigned identity when its client id is set."""
        from azure.identity import DefaultAzureCredential, ManagedIdentityCredential
        from azure.storage.blob import BlobServiceClient

        credential = (ManagedIdentityCredential(client_id=managed_identity_client_id)
                      if managed_identity_client_id else DefaultAzureCredential())
        return cls(BlobServiceClient(account_url, credential=credential, **client_options))

    @classmethod
    def from_settings(cls, settings: Settings, **client_options: Any) -> AzureBlobStore:
        """Prefer the account URL (identity) over a connection string, as in Azure."""
        if settings.storage_account_url:
            return cls.from_account_url(settings.storage_account_url,
                                        managed_identity_client_id=settings.managed_identity_client_id,
                                        **client_options)
        if settings.storage_connection:
            return cls.from_connection_string(settings.storage_connection, **client_options)
        raise ConfigurationError("set VOICEOPS_STORAGE_CONNECTION or VOICEOPS_STORAGE_ACCOUNT_URL")

    def _blob(self, container: str, name: str) -> Any:
        return self.client.get_blob_client(container, name)

    def put(self, container: str, name: str, data: bytes, *, content_type: str,
            metadata: dict[str, str] | None = None) -> str:
        from azure.storage.blob import ContentSettings

        blob = self._blob(container, name)
        try:
            blob.upload_blob(data, overwrite=True, metadata=metadata,
                             content_settings=ContentSettings(content_type=content_type))
        except Exception as exc:
            raise map_azure_error(exc, f"writing {container}/{name}") from exc
        return blob.url

    def get(self, container: str, name: str) -> bytes:
        try:
            return self._blob(container, name).download_blob().readall()
        except Exception as exc:
            raise map_azure_error(exc, f"reading {container}/{name}") from exc

    def exists(self, container: str, name: str) -> bool:
        try:
            return bool(self._blob(container, name).exists())
        except Exception as exc:
            raise map_azure_error(exc, f"checking {container}/{name}") from exc

    def delete(self, container: str, name: str) -> None:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            self._blob(container, name).delete_blob()
        except ResourceNotFoundError:
            pass
        except Exception as exc:
            raise map_azure_error(exc, f"deleting {container}/{name}") from exc

    def url(self, container: str, name: str) -> str:
        return self._blob(container, name).url

    def list_names(self, container: str, prefix: str = "") -> Iterator[str]:
        try:
            names = [b.name for b in self.client.get_container_client(container)
                     .list_blobs(name_starts_with=prefix or None)]
        except Exception as exc:
            raise map_azure_error(exc, f"listing {container}/{prefix}") from exc
        return iter(names)

    def properties(self, container: str, name: str) -> BlobProperties:
        try:
            props = self._blob(container, name).get_blob_properties()
        except Exception as exc:
            raise map_azure_error(exc, f"reading properties of {container}/{name}") from exc
        # metadata names are case-insensitive in Blob storage (HTTP headers); clients vary the case
        return BlobProperties(name=name, size=props.size, content_type=props.content_settings.content_type,
                              metadata={k.lower(): v for k, v in (props.metadata or {}).items()})

    def _sas_signing(self, expires_at: datetime) -> dict[str, Any]:
        """account_key for shared-key clients, else a (cached) user-delegation key covering ``expires_at``."""
        key = getattr(self.client.credential, "account_key", None)
        if key:
            return {"account_key": key}
        with self._lock:
            if self._delegation_key is None or self._delegation_key_expiry < expires_at + timedelta(minutes=5):
                start = datetime.now(UTC) - timedelta(minutes=5)
                expiry = max(start + self._DELEGATION_KEY_LIFETIME, expires_at + timedelta(minutes=10))
                try:
                    self._delegation_key = self.client.get_user_delegation_key(start, expiry)
                except Exception as exc:
                    raise map_azure_error(exc, "getting a user delegation key") from exc
                self._delegation_key_expiry = expiry
            return {"user_delegation_key": self._delegation_key}

    def _sas_url(self, container: str, name: str, permission: Any, expires_at: datetime, **extra: Any) -> str:
        from azure.storage.blob import generate_blob_sas

        # start a little in the past: a phone's clock may run behind the service's
        token = generate_blob_sas(self.client.account_name, container, name, permission=permission,
                                  start=datetime.now(UTC) - timedelta(minutes=5), expiry=expires_at,
                                  **self._sas_signing(expires_at), **extra)
        return f"{self._blob(container, name).url}?{token}"

    def upload_url(self, container: str, name: str, *, content_type: str, expires_at: datetime) -> str:
        from azure.storage.blob import BlobSasPermissions

        # create only: the holder can write this one new blob, not overwrite, read, list or delete
        return self._sas_url(container, name, BlobSasPermissions(create=True), expires_at)

    def download_url(self, container: str, name: str, *, expires_at: datetime) -> str:
        from azure.storage.blob import BlobSasPermissions

        return self._sas_url(container, name, BlobSasPermissions(read=True), expires_at)

    def ensure_containers(self, *containers: str) -> None:
        from azure.core.exceptions import ResourceExistsError

        for container in containers:
            try:
                self.client.create_container(container)
            except ResourceExistsError:
                pass
            except Exception as exc:
                raise map_azure_error(exc, f"creating container {container}") from exc

    def allow_browser_uploads(self, origins: list[str] | None = None) -> None:
        """Set a CORS rule so a web page can PUT clips and GET replies directly (Azurite / dev accounts;
        in Azure the Bicep sets it)."""
        from azure.storage.blob import CorsRule

        rule = CorsRule(origins or ["*"], ["PUT", "GET", "HEAD", "OPTIONS"], allowed_headers=["*"],
                        exposed_headers=["*"], max_age_in_seconds=3600)
        try:
            self.client.set_service_properties(cors=[rule])
        except Exception as exc:
            raise map_azure_error(exc, "setting CORS") from exc

    def check(self, container: str) -> None:
        try:
            self.client.get_container_client(container).get_container_properties()
        except Exception as exc:
            raise map_azure_error(exc, f"container {container}") from exc


def build_blob_store(settings: Settings) -> BlobStore:
    """Azure/Azurite when a storage connection or account URL is set, else the folder ``data_dir/blobs``."""
    if settings.storage_connection or settings.storage_account_url:
        return AzureBlobStore.from_settings(settings)
    return LocalBlobStore(Path(settings.data_dir) / "blobs", signing_secret=settings.dev_token_secret)
