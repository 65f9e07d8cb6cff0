import subprocess
import sys


def test_python_is_3_10_for_rasa():
    assert sys.version_info[:2] == (3, 10)


def test_dependency_set_is_consistent():
    result = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_lock_pins_every_installed_package():
    from pathlib import Path

    lock = Path(__file__).resolve().parents[1] / "requirements.lock"
    pinned = {line.split("==")[0].lower().replace("_", "-")
              for line in lock.read_text().splitlines() if "==" in line}
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--all", "--exclude", "pip"],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    installed = {line.split("==")[0].lower().replace("_", "-") for line in frozen if "==" in line}
    assert installed - pinned == set(), "installed but not in requirements.lock"
