#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 needs Python < 3.11).
# Looks in pyenv's versions first (the machine default may be 3.11), then on PATH.
set -euo pipefail
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for candidate in $(ls -d "$root"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V -r) \
                 /usr/bin/python3.10 /usr/local/bin/python3.10; do
  if [ -x "$candidate" ] && "$candidate" -c 'import sys, venv; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    echo "$candidate"
    exit 0
  fi
done
echo "No Python 3.10 found: install one with 'pyenv install 3.10' (Rasa 3.6 needs Python < 3.11)." >&2
exit 1
