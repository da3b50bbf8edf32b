"""The ops console's filters, clip names and who counts as an operator (no database)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime

import pytest

from voiceops.auth import principal_from_appservice
from voiceops.errors import NotAuthorized
from voiceops.ops import InvalidFilter, OpsFilter, clip_blob_name


def test_the_default_day_is_today_in_the_callers_time_zone():
    late_evening_utc = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    assert OpsFilter.parse({}, now=late_evening_utc).day == date(2026, 11, 25)
    assert OpsFilter.parse({"tz": "Europe/Berlin"}, now=late_evening_utc).day == date(2026, 11, 26)
    f = OpsFilter.parse({"day": "2026-03-29", "tz": "Europe/Berlin", "technician": "tech-gosh"})
    assert (f.day, f.tz, f.technician_id) == (date(2026, 3, 29), "Europe/Berlin", "tech-gosh")


@pytest.mark.parametrize("query", [{"tz": "Nowhere/Special"}, {"tz": "../../etc/passwd"}, {"day": "yesterday"},
                                   {"day": "2026-02-30"}, {"technician": "a b"}, {"technician": "x" * 200}])
def test_unusable_filters_are_invalid_filter_errors(query):
    with pytest.raises(InvalidFilter):
        OpsFilter.parse(query)


@pytest.mark.parametrize(("url", "expected"), [
    ("http://127.0.0.1:10000/devstoreaccount1/clips/tech-gosh/abc12345.webm", "tech-gosh/abc12345.webm"),
    ("https://acct.blob.core.windows.net/clips/tech-gosh/abc12345.m4a", "tech-gosh/abc12345.m4a"),
    ("file:///srv/voiceops/blobs/clips/tech-gosh/abc12345.wav", "tech-gosh/abc12345.wav"),
    ("https://acct.blob.core.windows.net/clips/tech-other/abc12345.webm", None),  # someone else's folder
    ("https://acct.blob.core.windows.net/clips/tech-gosh/zzz.webm", None),       # another clip
    ("", None),
])
def test_clip_blob_name_comes_from_the_logged_url_only_when_it_is_that_clip(url, expected):
    assert clip_blob_name(url, "tech-gosh", "abc12345") == expected


def _principal(claims: list[dict]) -> str:
    return base64.b64encode(json.dumps({"auth_typ": "aad", "claims": claims}).encode()).decode()


def test_an_operator_without_a_technician_id_is_named_by_their_object_id():
    headers = {"x-ms-client-principal": _principal([{"typ": "roles", "val": "ops"}]),
               "x-ms-client-principal-name": "lead@example.com",
               "x-ms-client-principal-id": "0f6c1e9a-3d47-4c52-9a1e-1b2c3d4e5f60"}
    principal = principal_from_appservice(headers)
    assert principal.technician_id == "0f6c1e9a-3d47-4c52-9a1e-1b2c3d4e5f60"
    assert "ops" in principal.roles
    # without the ops role the same account is still refused: technicians need a technician id
    headers["x-ms-client-principal"] = _principal([])
    with pytest.raises(NotAuthorized):
        principal_from_appservice(headers)
