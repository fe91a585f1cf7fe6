"""The README's two commands are the whole set-up: `make test` brings the Debian packages the suite
drives (Chromium, poppler), or stops at once with the one command that installs them."""

import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make(*arguments: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *arguments], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_make_test_stops_with_the_install_command_when_chromium_is_missing_and_it_may_not_install():
    missing = make("test-packages", "INSTALL_SYSTEM_PACKAGES=no", "CHROMIUM=/nonexistent/chromium")
    assert missing.returncode != 0
    assert "sudo apt-get install -y chromium" in missing.stdout
    assert "poppler-utils" not in missing.stdout  # only what is missing


def test_make_test_checks_the_browser_before_it_runs_the_suite():
    plan = make("-n", "test", "INSTALL_SYSTEM_PACKAGES=no", "CHROMIUM=/nonexistent/chromium")
    lines = plan.stdout.splitlines()
    checks = next(n for n, line in enumerate(lines) if "/nonexistent/chromium" in line)
    suite = next(n for n, line in enumerate(lines) if "-m pytest" in line)
    assert checks < suite


def test_make_test_passes_the_check_when_the_packages_are_there():
    present = make("test-packages", "INSTALL_SYSTEM_PACKAGES=no")
    assert present.returncode == 0, present.stdout
