"""The technician app and the ops console in headless Chromium, against `serve` on Azurite and PostgreSQL.

What a technician does: hold the button, speak (the fake microphone plays an eSpeak recording of
"I'm done at the Johnson place ... bill them for 2 hours"), hear the reply, maybe replay it; and
what ops then see. Screenshots go to artifacts/e2e/."""

from __future__ import annotations

import time

import psycopg
import pytest
from azure.storage.blob import BlobServiceClient

from voiceops.bandit import reward_from_feedback
from voiceops.contracts import TranscriptEvent
from voiceops.errors import ServiceUnavailable
from voiceops.operations import record_dead_letter

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPLY_TIMEOUT_MS = 120_000  # first clip of the session also loads the speech model


def _clips_in_azurite(azurite, server, tech: str) -> list[tuple[str, int]]:
    container = server.services.settings.clips_container
    client = BlobServiceClient.from_connection_string(azurite.connection_string).get_container_client(container)
    return [(b.name, b.size) for b in client.list_blobs(name_starts_with=f"{tech}/")]


def _open_app(context, server, token):
    page = context.new_page()
    page.goto(f"{server.url}/?token={token}")
    page.wait_for_selector("body[data-ready=true]")
    return page


def _feedback_row(db_url: str, clip_id: str):
    with psycopg.connect(db_url) as conn:
        return conn.execute(
            "SELECT rw.reward, rw.source FROM replies r JOIN bandit_rewards rw ON rw.decision_id::text = r.decision_id"
            " WHERE r.clip_id = %s", (clip_id,)).fetchone()


def test_hold_to_talk_uploads_to_azurite_plays_the_reply_records_feedback_and_ops_see_it(
        e2e_server, azurite, context, desktop, field_technician, spoken_command, token_for, screenshot, wait_until):
    tech, tickets = field_technician
    db_url = e2e_server.services.database.url
    _, seconds = spoken_command
    page = _open_app(context, e2e_server, token_for(tech))
    assert page.locator("#who").inner_text() == f"Signed in as {tech}"
    # reachable by role and name, as a screen reader or voice control finds it
    assert page.get_by_role("button", name="Hold to talk").is_visible()
    assert page.get_by_role("status").filter(has_text="Ready").count() == 1
    screenshot(page, "01-app-ready")

    # press and hold for the length of the recording, as with a gloved thumb
    box = page.locator("#talk").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.wait_for_selector("#talk.recording")
    assert page.locator("#talk").get_attribute("aria-pressed") == "true"
    page.wait_for_timeout(seconds * 500)
    screenshot(page, "02-app-recording")
    page.wait_for_timeout(seconds * 500 + 500)
    page.mouse.up()
    released = time.monotonic()

    page.wait_for_selector("#reply:not([hidden])", timeout=REPLY_TIMEOUT_MS)
    waited = time.monotonic() - released
    clip_id = page.locator("#reply").get_attribute("data-clip-id")
    with psycopg.connect(db_url) as conn:
        audio_s, worker = conn.execute("SELECT audio_seconds, timings FROM voice_commands WHERE clip_id = %s",
                                       (clip_id,)).fetchone()
    # a figure, not a threshold (first clip of the session: includes loading the speech model)
    print(f"release -> reply shown {waited:.1f} s for a {audio_s:.1f} s clip; worker stages {worker}")
    changes = page.locator("#changes").inner_text()
    assert f"Job #{tickets['Johnson']} closed" in changes and "2 h billed" in changes, changes
    assert "johnson" in page.locator("#transcript").inner_text().lower()
    [(blob_name, size)] = _clips_in_azurite(azurite, e2e_server, tech)
    assert blob_name.startswith(f"{tech}/{clip_id}.") and size > 1000

    # the reply plays to the end; the technician replays it once; feedback follows when it settles
    page.wait_for_selector("#reply[data-playback=ended]", timeout=30_000)
    screenshot(page, "03-app-reply")
    page.click("#replay")
    page.wait_for_selector("#reply[data-playback=playing]")
    page.wait_for_selector("#reply[data-playback=ended]", timeout=30_000)
    page.wait_for_selector("#reply[data-feedback=sent]", timeout=20_000)
    reward, source = wait_until(lambda: _feedback_row(db_url, clip_id), timeout_s=20, what="the feedback row")
    assert source == "feedback"
    assert reward == pytest.approx(reward_from_feedback(1.0, True, False))

    with psycopg.connect(db_url) as conn:
        status, hours = conn.execute(
            "SELECT t.status, (SELECT sum(hours) FROM billing_entries b WHERE b.ticket_id = t.id)::float"
            " FROM tickets t WHERE t.id = %s", (tickets["Johnson"],)).fetchone()
    assert (status, hours) == ("closed", 2.0)

    # a second clip of this technician failed for good before the console is opened
    dead_clip = f"dead-{clip_id[:8]}"
    container = e2e_server.services.settings.clips_container
    dead = TranscriptEvent(clip_id=dead_clip, technician_id=tech,
                           blob_url=f"{azurite.blob_endpoint}/{container}/{tech}/{dead_clip}.webm",
                           transcript="I'm finished at the Patel house, bill them one hour.")
    record_dead_letter(e2e_server.services, dead, ServiceUnavailable("speech 503"), 5)

    ops = desktop.new_page()
    ops.goto(f"{e2e_server.url}/ops?technician={tech}&days=1&token={token_for('ops-lead', 'ops')}")
    ops.wait_for_selector("body[data-loaded]")
    row = ops.locator(f"#commands tr[data-clip='{clip_id}']")
    assert "johnson" in row.inner_text().lower()
    assert f"Job #{tickets['Johnson']} closed" in row.inner_text()
    assert row.locator("audio").count() == 2  # the clip and the reply
    ticket_row = ops.locator(f"#tickets tr[data-ticket='{tickets['Johnson']}']")
    assert "closed" in ticket_row.inner_text() and "2 h" in ticket_row.inner_text()
    assert ops.locator("#share-chart svg rect[data-style]").count() >= 1
    assert ops.locator("#reward-chart svg circle[data-series=all]").count() >= 1
    failed = ops.locator(f"#failed tr[data-clip='{dead_clip}']")
    assert "service_unavailable" in failed.inner_text()
    assert failed.locator("audio").count() == 0  # its clip was never stored: no dead player
    screenshot(ops, "04-ops-console")

    failed.locator("button[data-retry]").click()
    ops.wait_for_selector(f"#failed tr[data-clip='{dead_clip}']", state="detached", timeout=60_000)
    assert "Retried" in ops.locator("#status").inner_text()
    with psycopg.connect(db_url) as conn:
        patel = conn.execute("SELECT status FROM tickets WHERE id = %s", (tickets["Patel"],)).fetchone()[0]
    assert patel == "closed"
    screenshot(ops, "05-ops-after-retry")


def test_a_clip_recorded_offline_waits_in_the_browser_and_uploads_when_back_online(
        e2e_server, azurite, context, field_technician, spoken_command, token_for, screenshot):
    tech, tickets = field_technician
    _, seconds = spoken_command
    page = _open_app(context, e2e_server, token_for(tech))
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")  # the shell is cached
    # installable: Chromium finds nothing wrong with manifest, icons or service worker (a Playwright
    # context counts as incognito, which alone would stop the install prompt)
    cdp = context.new_cdp_session(page)
    problems = {e["errorId"] for e in cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]}
    assert problems <= {"in-incognito"}, problems

    context.set_offline(True)
    page.wait_for_selector("body.offline")
    # tap to start, tap to stop, from the keyboard this time
    page.focus("#talk")
    page.keyboard.press("Space")
    page.wait_for_selector("#talk.recording")
    page.wait_for_timeout(seconds * 1000 + 500)
    page.keyboard.press("Space")
    page.wait_for_selector("body[data-queued='1']")
    assert "waiting to upload" in page.locator("#queue").inner_text()

    # the clip survives a reload with no network: the service worker serves the app, IndexedDB the clip
    page.reload()
    page.wait_for_selector("body[data-ready=true][data-queued='1']")
    assert _clips_in_azurite(azurite, e2e_server, tech) == []
    screenshot(page, "06-app-offline-queued")

    context.set_offline(False)
    page.wait_for_selector("#reply:not([hidden])", timeout=REPLY_TIMEOUT_MS)
    assert page.locator("body").get_attribute("data-queued") == "0"
    assert f"Job #{tickets['Johnson']} closed" in page.locator("#changes").inner_text()
    clip_id = page.locator("#reply").get_attribute("data-clip-id")
    [(blob_name, _)] = _clips_in_azurite(azurite, e2e_server, tech)
    assert blob_name.startswith(f"{tech}/{clip_id}.")
    screenshot(page, "07-app-back-online")
