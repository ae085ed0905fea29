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
    ("", {"DIGITIZER_S3_ENDPOINT": "http://minio:9000"}, "s3.endpoint: .*host:port, without http://"),
])
def test_bad_settings_are_refused_with_the_key_named(tmp_path, clean_env, toml, env, named):
    config = tmp_path / "site.toml"
    config.write_text(toml, encoding="utf-8")
    for name, value in env.items():
        clean_env.setenv(name, value)
    with pytest.raises(SettingsError, match=named.replace(".", r"\.").replace(r"\.*", ".*")):
        load_settings(config)


@pytest.mark.parametrize("env, named", [
    ({"DIGITIZER_DATADIR": "/srv/digitizer"}, "unknown variable DIGITIZER_DATADIR"),     # DATA_DIR misspelt
    ({"DIGITIZER_CONFIG": "/nowhere/digitizer.toml"}, "no settings file /nowhere/digitizer.toml"),
    ({"DIGITIZER_CONFIG": "/tmp"}, "no settings file /tmp"),                             # a folder
])
def test_a_variable_that_names_no_setting_or_file_is_refused(clean_env, env, named):
    for name, value in env.items():
        clean_env.setenv(name, value)
    with pytest.raises(SettingsError, match=named):
        load_settings()


def test_the_suites_own_variables_and_the_cache_folder_are_not_settings(clean_env, tmp_path):
    clean_env.setenv("DIGITIZER_TEST_S3_ENDPOINT", "127.0.0.1:9000")
    clean_env.setenv("DIGITIZER_CACHE_DIR", str(tmp_path))
    clean_env.setenv("DIGITIZER_WORKERS", "2")
    assert load_settings().workers == 2


def test_the_command_line_says_it_in_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DIGITIZER_")}
    run = subprocess.run([sys.executable, "-m", "digitizer.cli", "status"], capture_output=True, text=True,
                         env={**env, "DIGITIZER_DATA_DIR": str(tmp_path), "DIGITIZER_WEB_PORT": "99999"}, timeout=60)
    assert run.returncode == 2 and run.stderr.strip().count("\n") == 0
    assert run.stderr.startswith("settings: web.port:"), run.stderr


def test_the_default_file_lists_every_setting():
    """configs/default.toml is what an operator reads to learn the settings: each one is there
    (a setting with no default value, as a commented line)."""
    import re
    from pathlib import Path

    from pydantic import BaseModel

    from digitizer.config import Settings

    text = (Path(__file__).parent.parent / "configs" / "default.toml").read_text(encoding="utf-8")
    missing = []
    for name, field in Settings.model_fields.items():
        section = field.default_factory
        if isinstance(section, type) and issubclass(section, BaseModel):
            table = re.search(rf"^\[{name}\][^\n]*\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
            body = table.group(1) if table else ""
            missing += [f"{name}.{key}" for key in section.model_fields
                        if not re.search(rf"^#? ?{key} =", body, re.M)]
        elif not re.search(rf"^#? ?{name} =", text, re.M):
            missing.append(name)
    assert missing == []
