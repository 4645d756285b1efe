"""Settings: declared once in config.py, read once, every bad value named at start in one message,
a secret never shown, and the README's table true to the declarations."""

from __future__ import annotations

import dataclasses
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import click
import pytest

from cote_a_cote.config import (
    DEFAULT_HANDOUT_FORBIDDEN_WORDS,
    ConfigError,
    Derived,
    WholeNumber,
    build_config,
    declarations,
    load_settings,
    settings,
)
from tests.conftest import make_test_app

ROOT = Path(__file__).resolve().parent.parent
# Variables of the README's table that the Makefile reads, not the application.
MAKE_VARIABLES = {"HOST", "PORT"}


def load(tmp_path, **environ):
    return load_settings({"INSTANCE_PATH": str(tmp_path / "instance"), **environ})


def refusal(tmp_path, **environ) -> str:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, **environ)
    return caught.value.format_message()


def test_the_defaults_without_any_variable(tmp_path):
    loaded = load(tmp_path)
    instance = tmp_path / "instance"
    assert loaded.cote_env == "development"
    assert loaded.instance_path == instance
    assert loaded.database_url == f"sqlite:///{instance / 'cote_a_cote.sqlite3'}"
    assert loaded.search_backend == "whoosh"
    assert loaded.mail_backend == "outbox"
    assert loaded.stale_after_days == 182
    assert loaded.trained_min_staff_share == 1.0
    assert loaded.session_cookie_secure is False
    assert loaded.smtp_starttls is True
    assert loaded.trusted_hosts == ()
    assert loaded.handout_forbidden_words == DEFAULT_HANDOUT_FORBIDDEN_WORDS
    assert loaded.upload_request_max_bytes == 2 * loaded.upload_max_bytes == 10 * 1024 * 1024
    assert loaded.feedback_public_url == "http://127.0.0.1:5000/avis"
    # Local keys are generated once under the instance folder, then read back.
    assert loaded.secret_key == (instance / "secret_key").read_text()
    assert loaded.audit_key == (instance / "audit_key").read_text() != loaded.secret_key
    assert load(tmp_path).secret_key == loaded.secret_key


def test_every_plain_default_is_the_value_when_unset_or_empty(tmp_path):
    environ = {declaration.env: "  " for _, declaration in declarations()}
    del environ["INSTANCE_PATH"]  # not the project's own instance folder
    blank = load(tmp_path, **environ)
    for name, declaration in declarations():
        if declaration.env != "INSTANCE_PATH" and not isinstance(declaration.default, Derived):
            assert getattr(blank, name) == declaration.default, declaration.env


def test_good_values_are_read_and_tidied(tmp_path):
    loaded = load(
        tmp_path,
        STALE_AFTER_DAYS=" 30 ",
        TRAINED_MIN_STAFF_SHARE=".75",
        SEARCH_BACKEND=" PostgreSQL ",
        DATABASE_URL="postgres://user@dbhost/cac",
        SMTP_STARTTLS="Off",
        SMTP_HOST="mail.example.org",
        TRUSTED_HOSTS=" cote.example.org, ,www.cote.example.org ",
        UPLOAD_MAX_BYTES="2048",
        PUBLIC_BASE_URL="https://cote.example.org/",
    )
    assert loaded.stale_after_days == 30
    assert loaded.trained_min_staff_share == 0.75
    assert loaded.search_backend == "postgresql"
    assert loaded.database_url == "postgresql+psycopg://user@dbhost/cac"
    assert loaded.smtp_starttls is False
    assert loaded.mail_backend == "smtp"
    assert loaded.trusted_hosts == ("cote.example.org", "www.cote.example.org")
    assert loaded.upload_request_max_bytes == 4096
    assert loaded.feedback_public_url == "https://cote.example.org/avis"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        # Whole numbers: not a number, out of range, over-long (refused before int() reads it).
        ("STALE_AFTER_DAYS", "abc", "must be a whole number from 1 to 3650: 'abc' is not a whole"),
        ("STALE_AFTER_DAYS", "1.5", "'1.5' is not a whole number"),
        ("STALE_AFTER_DAYS", "1_000", "'1_000' is not a whole number"),
        ("STALE_AFTER_DAYS", "١٢", "is not a whole number"),
        ("STALE_AFTER_DAYS", "-5", "'-5' is below 1"),
        ("STALE_AFTER_DAYS", "0", "'0' is below 1"),
        ("SMTP_PORT", "70000", "must be a whole number from 1 to 65535: '70000' is above 65535"),
        ("TRUSTED_PROXIES", "9" * 5000, "(5000 characters) is too long (more than 12 digits)"),
        ("SEARCH_DEFAULT_RADIUS_KM", "99999999999999999999", "is too long"),
        # Shares.
        ("TRAINED_MIN_STAFF_SHARE", "1.5", "above 0 and at most 1 (such as 0.75): '1.5' is not"),
        ("TRAINED_MIN_STAFF_SHARE", "0", "'0' is not above 0 and at most 1"),
        ("TRAINED_MIN_STAFF_SHARE", "nan", "'nan' is not a decimal number"),
        ("TRAINED_MIN_STAFF_SHARE", "-0.5", "'-0.5' is not a decimal number"),
        # Choices.
        ("SEARCH_BACKEND", "elastic", "SEARCH_BACKEND must be whoosh or postgresql"),
        ("MAIL_BACKEND", "pigeon", "must be smtp, outbox or memory: 'pigeon' is not one of them"),
        ("COTE_ENV", "prod", "must be development or production: 'prod' is not one of them"),
        # Flags, words, addresses, rates, database URLs, text.
        ("SMTP_STARTTLS", "maybe", "must be 1, true, yes or on; or 0, false, no or off"),
        ("HANDOUT_FORBIDDEN_WORDS", " , ,", "' , ,' holds no word"),
        ("PUBLIC_BASE_URL", "javascript:alert(1)", "must be an http:// or https:// address"),
        ("QUICK_EXIT_URL", "https://", "'https://' is not such an address"),
        ("LOGIN_LIMIT_PER_ACCOUNT", "lots", "must be a rate such as '5 per 15 minutes'"),
        ("MAIL_FROM", "a\nb", "'a\\nb' contains a control character"),
        ("RATELIMIT_KEY_PREFIX", "x" * 101, "is longer than 100 characters"),
        ("DATABASE_URL", "not a url", "database URL: the value (hidden) is not a database URL"),
        ("DATABASE_URL", "mysql://db/cac", "the value (hidden) is for another database"),
    ],
)
def test_a_bad_value_is_named_with_its_problem_and_what_is_accepted(
    tmp_path, variable, value, expected
):
    message = refusal(tmp_path, **{variable: value})
    assert f"1 setting is wrong.\n  - {variable} must be " in message
    assert expected in message


def test_a_refused_value_is_shown_cut_short(tmp_path):
    message = refusal(tmp_path, TRUSTED_PROXIES="7" * 5000)
    assert "7" * 41 not in message
    assert len(message) < 300


def test_every_bad_value_is_reported_at_once(tmp_path):
    message = refusal(
        tmp_path,
        STALE_AFTER_DAYS="-1",
        SMTP_PORT="port",
        MAIL_BACKEND="pigeon",
        DATABASE_URL="sqlite:///x.sqlite3",
        SEARCH_BACKEND="postgresql",
    )
    assert message.startswith("Côte-à-Côte cannot start: 4 settings are wrong.")
    for variable in ("STALE_AFTER_DAYS", "SMTP_PORT", "MAIL_BACKEND"):
        assert f"\n  - {variable} must be " in message
    assert "\n  - SEARCH_BACKEND=postgresql needs a PostgreSQL DATABASE_URL." in message


def test_production_needs_both_keys_and_generates_none(tmp_path):
    message = refusal(tmp_path, COTE_ENV="production")
    assert "SECRET_KEY must be set when COTE_ENV=production." in message
    assert "AUDIT_KEY must be set when COTE_ENV=production." in message
    assert not (tmp_path / "instance").exists()
    loaded = load(tmp_path, COTE_ENV=" Production ", SECRET_KEY=" s k ", AUDIT_KEY="a")
    assert (loaded.secret_key, loaded.audit_key) == (" s k ", "a")  # keys are taken as written
    assert loaded.session_cookie_secure is True


@pytest.mark.parametrize(
    "environ",
    [
        {"SECRET_KEY": "hunter2\x00"},
        {"AUDIT_KEY": "hunter2\n"},
        {"SMTP_PASSWORD": "hunter2\x1b[31m"},
        {"SMTP_PASSWORD": "hunter2" * 100},
        {"DATABASE_URL": "mysql://user:hunter2@dbhost/cac"},
        {"DATABASE_URL": "postgresql://user:hunter2@dbhost:port/cac"},
        {"RATELIMIT_STORAGE_URI": "redis://:hunter2@cache:6379\n"},
    ],
)
def test_a_secret_is_never_shown(tmp_path, environ):
    message = refusal(tmp_path, **environ)
    assert "hunter2" not in message
    assert "the value (hidden)" in message


def test_the_error_stops_a_command_with_status_1():
    error = ConfigError(["A must be B."])
    assert isinstance(error, click.ClickException)
    assert isinstance(error, RuntimeError)  # as the settings' errors were before
    assert error.exit_code == 1
    assert error.problems == ("A must be B.",)


def test_a_flask_command_with_a_bad_value_prints_the_message_and_exits_1(tmp_path):
    environ = {**os.environ, "INSTANCE_PATH": str(tmp_path / "instance")}
    environ.update(STALE_AFTER_DAYS="-3", SMTP_PASSWORD="hunter2\x01")
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "flask", "--app", "cote_a_cote", "daily"],
        env=environ,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: Côte-à-Côte cannot start: 2 settings are wrong.")
    assert "STALE_AFTER_DAYS must be a whole number from 1 to 3650: '-3' is below 1." in done.stderr
    assert "hunter2" not in done.stderr + done.stdout


def test_gunicorn_stops_before_its_workers_on_a_bad_value(tmp_path, monkeypatch, capsys):
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-not-for-production")
    monkeypatch.setenv("MAIL_MAX_ATTEMPTS", "0")
    with pytest.raises(SystemExit) as stopped:
        hooks["on_starting"](None)
    assert stopped.value.code == 1
    assert "MAIL_MAX_ATTEMPTS must be a whole number from 1 to 100: '0' is below 1." in (
        capsys.readouterr().err
    )
    monkeypatch.delenv("MAIL_MAX_ATTEMPTS")
    hooks["on_starting"](None)  # good values: gunicorn goes on


def test_a_gunicorn_worker_keeps_the_app_out_of_its_garbage_collections():
    """The hook gunicorn runs in each worker once the app is built; in a process of its own, as
    it changes the collector of the process that runs it."""
    script = (
        "import gc, runpy; hooks = runpy.run_path('gunicorn.conf.py');"
        "kept = [object() for _ in range(100)]; hooks['post_worker_init'](None);"
        "print(gc.get_threshold(), gc.get_freeze_count() >= 100)"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["(5000,", "10,", "10)", "True"]


def test_build_config_gives_flask_its_names(tmp_path, monkeypatch):
    for _, declaration in declarations():
        monkeypatch.delenv(declaration.env, raising=False)
    monkeypatch.setenv("COTE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 32)
    monkeypatch.setenv("AUDIT_KEY", "a" * 32)
    monkeypatch.setenv("SESSION_HOURS", "3")
    config = build_config(tmp_path)
    assert config["ENV_NAME"] == "production"
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'cote_a_cote.sqlite3'}"
    assert config["PERMANENT_SESSION_LIFETIME"] == 3 * 3600
    assert config["SESSION_COOKIE_SECURE"] is config["REMEMBER_COOKIE_SECURE"] is True
    assert config["SECRET_KEY"] == "k" * 32
    assert config["STALE_AFTER_DAYS"] == 182


def test_the_app_keeps_its_settings_with_the_tests_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("STALE_AFTER_DAYS", "40")
    app = make_test_app(tmp_path, monkeypatch, CAPACITY_STALE_DAYS=7, ENV_NAME="production")
    with app.app_context():
        loaded = settings()
    assert loaded is settings(app)
    assert (loaded.stale_after_days, app.config["STALE_AFTER_DAYS"]) == (40, 40)
    assert (loaded.capacity_stale_days, app.config["CAPACITY_STALE_DAYS"]) == (7, 7)
    assert loaded.cote_env == app.config["ENV_NAME"] == "production"
    assert loaded.mail_backend == app.config["MAIL_BACKEND"] == "memory"
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.stale_after_days = 1


def readme_table() -> dict[str, list[str]]:
    """The README's configuration table: each variable named in a row's first cell → its
    cells."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, list[str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("| `"):
            continue
        for variable in re.findall(r"`([A-Z][A-Z0-9_]*)`", cells[0]):
            rows[variable] = cells
    return rows


def test_the_readme_table_lists_every_setting_and_nothing_else():
    declared = {declaration.env for _, declaration in declarations()}
    documented = set(readme_table())
    assert declared - documented == set(), "settings missing from the README's table"
    assert documented - declared - MAKE_VARIABLES == set(), "README rows for no setting"


def test_the_readme_table_gives_each_number_its_default_and_range():
    rows = readme_table()
    for _, declaration in declarations():
        cells = rows[declaration.env]
        if isinstance(declaration.kind, WholeNumber):
            kind = declaration.kind
            assert cells[2] == f"{kind.minimum} to {kind.maximum}", declaration.env
            if not isinstance(declaration.default, Derived):
                assert cells[1].startswith(f"`{declaration.default}`"), declaration.env
