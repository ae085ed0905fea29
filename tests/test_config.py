"""Settings are validated at start: unknown keys, wrong types and impossible values are refused
with the key named, by the CLI in one line."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from digitizer.config import SettingsError, load_settings


@pytest.fixture
def clean_env(monkeypatch):
    for name in [n for n in os.environ if n.startswith("DIGITIZER_")]:
        monkeypatch.delenv(name)
    return monkeypatch


def test_file_then_environment_then_defaults(tmp_path, clean_env):
    config = tmp_path / "site.toml"
    config.write_text('workers = 3\n[ocr]\npage_timeout = 90\n[s3]\nsecure = true\n', encoding="utf-8")
    clean_env.setenv("DIGITIZER_OCR_PAGE_TIMEOUT", "45")           # the environment wins over the file
    settings = load_settings(config)
    assert (settings.workers, settings.ocr.page_timeout, settings.s3.secure) == (3, 45.0, True)
    assert settings.ocr.lang == "vie"


@pytest.mark.parametrize("toml, env, named", [
    ("[ocr]\ntimeout = 5\n", {}, "ocr.timeout"),                       # a misspelt key
    ("[ocrr]\nlang = 'vie'\n", {}, "ocrr"),                            # a misspelt section
    ("", {"DIGITIZER_JOBS_MAX_ATEMPTS": "3"}, "jobs.max_atempts"),     # misspelt in the environment
    ("workers = 'two'\n", {}, "workers"),                              # a wrong type
    ("", {"DIGITIZER_OCR_PAGE_TIMEOUT": "-1"}, "ocr.page_timeout"),    # impossible
    ("[jobs]\nafter_done = 'keep'\n", {}, "jobs.after_done"),          # not one of the choices
    ("", {"DIGITIZER_QUEUE_URL": "amqp://host"}, "queue_url"),
])
def test_bad_settings_are_refused_with_the_key_named(tmp_path, clean_env, toml, env, named):
    config = tmp_path / "site.toml"
    config.write_text(toml, encoding="utf-8")
    for name, value in env.items():
        clean_env.setenv(name, value)
    with pytest.raises(SettingsError, match=named.replace(".", r"\.")):
        load_settings(config)


def test_the_command_line_says_it_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGITIZER_")}
    run = subprocess.run([sys.executable, "-m", "digitizer.cli", "status"], capture_output=True, text=True,
                         env={**env, "DIGITIZER_DATA_DIR": str(tmp_path), "DIGITIZER_WEB_PORT": "99999"}, timeout=60)
    assert run.returncode == 2 and run.stderr.strip().count("\n") == 0
    assert run.stderr.startswith("settings: web.port:"), run.stderr
