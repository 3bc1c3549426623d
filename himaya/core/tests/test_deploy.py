import os
import subprocess
import sys


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "himaya.settings",
        "HIMAYA_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
        "HIMAYA_DEBUG": "0",
        "HIMAYA_HTTPS": "1",
        "HIMAYA_ALLOWED_HOSTS": "himaya.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests of this process
    result = subprocess.run(
        [sys.executable, "-m", "himaya.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_development_key_is_flagged_by_check_deploy(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "himaya.settings", "HIMAYA_HTTPS": "1"}
    env.pop("HIMAYA_SECRET_KEY", None)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'deploy.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-m", "himaya.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr
