"""AzureBlobStore against a real Azurite: reads, writes, listing, SAS scope and error mapping."""

from __future__ import annotations

import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest

from voiceops.errors import ServiceUnavailable
from voiceops.settings import Settings
from voiceops.storage import AzureBlobStore, BlobNotFound, LocalBlobStore, build_blob_store

pytestmark = pytest.mark.integration


def _http(method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def store(azurite) -> AzureBlobStore:
    blobs = build_blob_store(Settings(storage_connection=azurite.connection_string))
    assert isinstance(blobs, AzureBlobStore)
    blobs.ensure_containers("clips", "replies")
    blobs.ensure_containers("clips")  # twice is fine
    return blobs


def test_round_trip_with_metadata_and_listing(store, uid):
    name = f"tech-{uid}/clip-{uid}.wav"
    url = store.put("clips", name, b"RIFF1234", content_type="audio/wav", metadata={"recorded_at": "2026-01-01"})
    assert url.endswith(f"/clips/{name}")
    assert store.get("clips", name) == b"RIFF1234"
    props = store.properties("clips", name)
    assert (props.size, props.content_type, props.metadata) == (8, "audio/wav", {"recorded_at": "2026-01-01"})
    assert list(store.list_names("clips", prefix=f"tech-{uid}/")) == [name]
    assert store.exists("clips", name)
    store.delete("clips", name)
    store.delete("clips", name)  # deleting a missing blob is not an error
    assert not store.exists("clips", name)
    with pytest.raises(BlobNotFound):
        store.get("clips", name)
    store.check("clips")


def test_upload_sas_creates_exactly_one_blob_and_nothing_else(store, uid):
    expires = datetime.now(UTC) + timedelta(minutes=5)
    name = f"tech-{uid}/{uid}.webm"
    url = store.upload_url("clips", name, content_type="audio/webm", expires_at=expires)
    headers = {"x-ms-blob-type": "BlockBlob", "Content-Type": "audio/webm", "x-ms-meta-recorded_at": "t1"}

    assert _http("PUT", url, b"first", headers)[0] == 201
    assert store.get("clips", name) == b"first"
    assert store.properties("clips", name).metadata == {"recorded_at": "t1"}
    # create-only: the same URL cannot overwrite, read or delete the clip
    assert _http("PUT", url, b"second", headers)[0] in (403, 409)
    assert store.get("clips", name) == b"first"
    assert _http("GET", url)[0] == 403
    assert _http("DELETE", url)[0] == 403
    # the signature covers the blob name: another technician's path is refused
    other = url.replace(f"/clips/tech-{uid}/", "/clips/tech-other/")
    assert _http("PUT", other, b"x", headers)[0] == 403
    assert not store.exists("clips", f"tech-other/{uid}.webm")


def test_download_sas_reads_and_expires(store, uid):
    name = f"tech-{uid}/{uid}.wav"
    store.put("replies", name, b"reply-audio", content_type="audio/wav")
    url = store.download_url("replies", name, expires_at=datetime.now(UTC) + timedelta(minutes=5))
    assert _http("GET", url) == (200, b"reply-audio")
    assert _http("PUT", url, b"x", {"x-ms-blob-type": "BlockBlob"})[0] == 403
    expired = store.download_url("replies", name, expires_at=datetime.now(UTC) - timedelta(seconds=1))
    assert _http("GET", expired)[0] == 403


def test_unreachable_storage_is_transient():
    dead = AzureBlobStore.from_connection_string(
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;"
        "BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;", retry_total=0)
    with pytest.raises(ServiceUnavailable):
        dead.get("clips", "a/b.wav")


def test_without_storage_settings_the_local_folder_is_used(tmp_path):
    blobs = build_blob_store(Settings(data_dir=tmp_path))
    assert isinstance(blobs, LocalBlobStore)
    assert blobs.root == tmp_path / "blobs"


def test_identity_clients_sign_with_a_cached_user_delegation_key():
    """Managed identity cannot run here; the SDK client is real, only the key service call is stood in for."""
    import base64
    from urllib.parse import parse_qs, urlsplit

    from azure.core.credentials import AccessToken
    from azure.storage.blob import BlobServiceClient, UserDelegationKey

    class Credential:
        def get_token(self, *scopes, **kwargs):
            return AccessToken("token", 2_000_000_000)

    client = BlobServiceClient("https://acct.blob.core.windows.net", credential=Credential())
    fetched = []

    def get_user_delegation_key(start, expiry, **kwargs):
        key = UserDelegationKey()
        key.signed_oid, key.signed_tid = "oid-1", "tid-1"
        iso = "%Y-%m-%dT%H:%M:%SZ"
        key.signed_start, key.signed_expiry = start.strftime(iso), expiry.strftime(iso)
        key.signed_service, key.signed_version = "b", "2025-01-05"
        key.value = base64.b64encode(b"k" * 32).decode()
        fetched.append(expiry)
        return key

    client.get_user_delegation_key = get_user_delegation_key
    store = AzureBlobStore(client)
    soon = datetime.now(UTC) + timedelta(minutes=15)
    upload = store.upload_url("clips", "tech-a/c1.wav", content_type="audio/wav", expires_at=soon)
    store.download_url("replies", "tech-a/c1.wav", expires_at=soon)
    assert len(fetched) == 1  # one key serves many URLs
    query = parse_qs(urlsplit(upload).query)
    assert urlsplit(upload).path == "/clips/tech-a/c1.wav"
    assert (query["sp"], query["skoid"], query["sr"]) == (["c"], ["oid-1"], ["b"])
    store.download_url("replies", "x.wav", expires_at=datetime.now(UTC) + timedelta(days=2))
    assert len(fetched) == 2  # a URL outliving the cached key gets a new key
