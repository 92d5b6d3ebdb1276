"""Production settings come from the environment; `check --deploy` is clean with real values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, env_extra, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "STATICFILES_"))}
    env.update({"DATA_DIR": str(tmp_path), **env_extra})
    return subprocess.run(
        [sys.executable, "manage.py", *args]
        if args[0] != "shell"
        else [sys.executable, "manage.py", "shell", "--no-imports", *args[1:]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DEBUG": "0",
            "SECRET_KEY": "x7$k2!q9-production-grade-secret-key-with-enough-entropy-0a1b2c3d",
            "ALLOWED_HOSTS": "sla.example.com",
        },
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_bad_boolean_fails_loudly(tmp_path):
    result = _manage("check", env_extra={"DEBUG": "maybe"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file-" + "k" * 50)
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env_extra={"SECRET_KEY_FILE": str(key_file)},
        tmp_path=tmp_path,
    )
    assert result.stdout.strip() == "from-a-file-" + "k" * 50


@pytest.mark.parametrize(
    ("env_extra", "expected"),
    [
        ({}, "django.core.mail.backends.filebased.EmailBackend"),
        ({"EMAIL_HOST": "smtp.example.com"}, "django.core.mail.backends.smtp.EmailBackend"),
    ],
)
def test_mail_goes_to_files_unless_an_smtp_host_is_set(tmp_path, env_extra, expected):
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        env_extra={"EMAIL_HOST": "", **env_extra},
        tmp_path=tmp_path,
    )
    assert result.stdout.strip() == expected


def test_without_a_broker_tasks_run_eagerly(tmp_path):
    code = "from slaportal.celery import app; print(app.conf.task_always_eager)"
    assert (
        _manage("shell", "-c", code, env_extra={"CELERY_BROKER_URL": ""}, tmp_path=tmp_path).stdout.strip()
        == "True"
    )
    with_broker = _manage(
        "shell", "-c", code, env_extra={"CELERY_BROKER_URL": "redis://127.0.0.1:6379/9"}, tmp_path=tmp_path
    )
    assert with_broker.stdout.strip() == "False"


def test_database_url_selects_postgresql(tmp_path):
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    )
    result = _manage(
        "shell",
        "-c",
        code,
        env_extra={"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/slaportal"},
        tmp_path=tmp_path,
    )
    assert result.stdout.strip() == "django.db.backends.postgresql slaportal"


@pytest.mark.parametrize("value", ["", "90,-1", "soon"])
def test_bad_renewal_reminder_days_fail_loudly(tmp_path, value):
    result = _manage("check", env_extra={"RENEWAL_REMINDER_DAYS": value}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "RENEWAL_REMINDER_DAYS" in result.stderr


def test_renewals_run_every_hour_unless_turned_off(tmp_path):
    code = "from django.conf import settings; print(sorted(settings.CELERY_BEAT_SCHEDULE))"
    hourly = _manage("shell", "-c", code, env_extra={}, tmp_path=tmp_path)
    assert "'contract-renewals'" in hourly.stdout and "'renewal-reminders'" in hourly.stdout, hourly.stderr
    off = _manage("shell", "-c", code, env_extra={"RENEWALS_EVERY": "0"}, tmp_path=tmp_path)
    assert "renewal" not in off.stdout, off.stderr


@pytest.mark.parametrize(
    ("env_extra", "expected"),
    [
        ({"CACHE_URL": "", "PAGE_CACHE_URL": ""}, "FileBasedCache {data}/cache/pages 1000"),
        (
            {"CACHE_URL": "redis://127.0.0.1:6379/1", "PAGE_CACHE_URL": ""},
            "RedisCache redis://127.0.0.1:6379/1 -",
        ),
        ({"CACHE_URL": "", "PAGE_CACHE_URL": "locmemcache://"}, "LocMemCache  1000"),
    ],
)
def test_kept_pages_are_shared_by_the_processes_of_one_machine_unless_told_otherwise(
    tmp_path, env_extra, expected
):
    code = (
        "from django.conf import settings; c = settings.CACHES['pages']; "
        "print(c['BACKEND'].rsplit('.', 1)[1], c.get('LOCATION', ''), "
        "c.get('OPTIONS', {}).get('MAX_ENTRIES', '-'))"
    )
    result = _manage("shell", "-c", code, env_extra=env_extra, tmp_path=tmp_path)
    assert result.stdout.strip() == expected.format(data=tmp_path)
