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
        "HIMAYA_ENCRYPTION_KEYS": "c2l4dHktZm91ci1ieXRlcy1vZi1hLXRlc3Qta2V5LTA=",
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


def _himaya(args, env):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "himaya.settings", **env}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for name, value in list(env.items()):
        if value is None:
            del env[name]
    return subprocess.run(
        [sys.executable, "-m", "himaya.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_refuses_to_start_without_a_secret_key(tmp_path):
    """No public development key any more: with DEBUG off and no HIMAYA_SECRET_KEY, nothing starts."""
    result = _himaya(
        ["check"],
        {
            "HIMAYA_SECRET_KEY": None,
            "HIMAYA_DEBUG": "0",
            "HIMAYA_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        },
    )
    assert result.returncode != 0
    assert "HIMAYA_SECRET_KEY is not set" in result.stderr


def test_embedded_installation_uses_the_key_make_run_generated(tmp_path):
    (tmp_path / "secret_key").write_text("generated-by-make-run-" + "k" * 40 + "\n")
    env = {
        "HIMAYA_SECRET_KEY": None,
        "HIMAYA_DEBUG": "0",
        "HIMAYA_DATA_DIR": str(tmp_path),
        "DATABASE_URL": None,
    }
    result = _himaya(
        ["shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"], env
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "generated-by-make-run-" + "k" * 40
    # Without the file, the same command refuses to start.
    (tmp_path / "secret_key").unlink()
    assert _himaya(["check"], env).returncode != 0


def test_makefile_generates_the_local_key_once():
    from pathlib import Path

    makefile = (Path(__file__).resolve().parents[3] / "Makefile").read_text()
    assert "var/secret_key:" in makefile
    assert "run: install var/secret_key" in makefile
