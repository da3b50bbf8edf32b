"""The README documents every setting the code reads, and the commands it shows exist."""

from __future__ import annotations

from pathlib import Path

from voiceops.cli import build_parser
from voiceops.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    missing = [Settings.env_name(f) for f in Settings.model_fields if f"`{Settings.env_name(f)}`" not in readme]
    assert missing == [], f"settings missing from README.md: {missing}"


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text()
    commands = set(build_parser()._subparsers._group_actions[0].choices)
    for name in ("demo", "process", "transcribe", "extract", "db"):
        assert f"`{name}" in readme
        assert name in commands, f"README shows `{name}` but the CLI has no such command"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test" in ci and "scripts/test" in readme
