#!/usr/bin/env bash
# `make image`: the image of deploy/Containerfile, built as a root filesystem directory.
#
# Why not `docker build`: some build machines (this project's among them) reach no registry
# serving base images and cannot run containers. mmdebstrap builds a Debian bookworm root
# filesystem from Debian's package archive alone; into it go the project's own Python 3.10
# (the pyenv build that scripts/find-python.sh finds, i.e. the interpreter the tests ran on),
# a virtualenv installed from requirements.lock with --no-deps and checked with pip check,
# the code, the trained model and the widget bundle under /app, and the non-root user
# (uid 10001) the Containerfile makes. `make image-test` (deploy/image_test.sh) starts it.
# To ship it: `podman import` of a tar of it (deploy/README.md), or build deploy/Containerfile
# where a registry is reachable.
#
#   deploy/build_rootfs.sh [ROOTFS]        default build/image-rootfs; needs root and mmdebstrap
set -euo pipefail
cd "$(dirname "$0")/.."

ROOTFS=${1:-build/image-rootfs}
WHEELS=build/image-wheels
MODEL=models/patient-guide.tar.gz
WIDGET=widget/dist/patient-guide-widget.js
MARKER=.patient-guide-rootfs
APP_UID=10001

if ! command -v mmdebstrap >/dev/null 2>&1; then
  echo "make image needs mmdebstrap (Debian package): apt-get install mmdebstrap" >&2
  echo "(it is not installed by .ci/run: the image is not part of make test)" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "make image needs root (mmdebstrap's root mode and chroot)" >&2
  exit 1
fi
for built in "$MODEL" "$WIDGET"; do
  [ -s "$built" ] || { echo "missing $built: run 'make train widget' first" >&2; exit 1; }
done

python=$(scripts/find-python.sh)
prefix=$(cd "$(dirname "$python")/.." && pwd)
host_py=.venv/bin/python
[ -x "$host_py" ] || { echo "no .venv: run 'make install' first" >&2; exit 1; }

# Only a directory this script made is ever removed, and never while something is mounted in it
# (an interrupted image-test runs in its own mount namespace, so nothing should be).
if [ -e "$ROOTFS" ]; then
  [ -f "$ROOTFS/$MARKER" ] || { echo "$ROOTFS exists and was not made by this script; not touching it" >&2; exit 1; }
  if findmnt -rno TARGET | grep -q "^$(realpath "$ROOTFS")/"; then
    echo "something is mounted under $ROOTFS; unmount it first" >&2
    exit 1
  fi
  rm -rf "$ROOTFS"
fi
mkdir -p "$(dirname "$ROOTFS")"

# Commands in the new root get a clean environment: the host's PIP_*, PYTHON* and the like stay out.
in_root() { env -i PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 chroot "$ROOTFS" "$@"; }

started=$SECONDS
step() { echo "== $1 ($((SECONDS - started)) s)"; }

# 1. Wheels for every pinned package, on the host: the same Python and the same Debian
#    release as the image, so a package without a binary wheel is built here, where a
#    compiler is, and the image needs none. Kept in build/ between builds.
step "wheels for requirements.lock into $WHEELS"
mkdir -p "$WHEELS"
"$host_py" -m pip wheel --quiet --no-deps --find-links "$WHEELS" -w "$WHEELS" -r requirements.lock

# 2. Debian bookworm, minimal, with the shared libraries the pyenv Python's modules link to
#    (ssl, ctypes/ffi, sqlite3, bz2, lzma, readline, curses, uuid, expat) and those binary
#    wheels expect from the system (libstdc++, libgomp); documentation and locales left out.
step "Debian bookworm root filesystem (mmdebstrap)"
mmdebstrap --variant=minbase --quiet \
  --include=ca-certificates,tzdata,libssl3,libffi8,libsqlite3-0,libbz2-1.0,liblzma5,libreadline8,libncursesw6,libuuid1,zlib1g,libexpat1,libstdc++6,libgcc-s1,libgomp1 \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  bookworm "$ROOTFS" \
  "deb http://deb.debian.org/debian bookworm main" \
  "deb http://deb.debian.org/debian bookworm-updates main" \
  "deb http://deb.debian.org/debian-security bookworm-security main"
touch "$ROOTFS/$MARKER"

# 3. The project's Python under /usr/local, where python:3.10-slim has its own. pyenv's build
#    names its library by an absolute RUNPATH (the pyenv prefix, absent here); /usr/local/lib
#    is in Debian's linker path, so ldconfig makes it found. Its tests and its own
#    site-packages (pip) stay out; ensurepip's bundled pip makes the virtualenv's.
step "Python $("$python" -c 'import platform; print(platform.python_version())') from $prefix into /usr/local"
tar -C "$prefix" -cf - --exclude='lib/python3.10/test' --exclude='lib/python3.10/*/tests' \
    --exclude='lib/python3.10/site-packages/*' --exclude='lib/python3.10/config-3.10-*' \
    bin/python3.10 lib/libpython3.10.so.1.0 lib/libpython3.10.so lib/libpython3.so lib/python3.10 \
  | tar -C "$ROOTFS/usr/local" -xf - --no-same-owner
ln -sf python3.10 "$ROOTFS/usr/local/bin/python3"
ln -sf python3.10 "$ROOTFS/usr/local/bin/python"
in_root /sbin/ldconfig
in_root /usr/local/bin/python3.10 -c \
  'import ssl, sqlite3, ctypes, lzma, bz2, readline, uuid, decimal, pyexpat, zlib, hashlib; print("python modules ok")'

# 4. The virtualenv at /app/.venv from the wheels, offline; pip check proves the set consistent.
#    The wheels are bind-mounted read-only in a private mount namespace (gone when it ends).
step "virtualenv /app/.venv from requirements.lock (--no-deps, offline)"
mkdir -p "$ROOTFS/app" "$ROOTFS/tmp/wheels"
cp requirements.lock "$ROOTFS/tmp/requirements.lock"
in_root /usr/local/bin/python3.10 -m venv /app/.venv
unshare --mount --propagation private -- sh -euc '
  mount --bind -o ro "$1" "$2/tmp/wheels"
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 chroot "$2" /app/.venv/bin/pip install --quiet --disable-pip-version-check --no-index \
    --find-links /tmp/wheels --no-deps -r /tmp/requirements.lock
' sh "$(realpath "$WHEELS")" "$ROOTFS"
in_root /app/.venv/bin/pip check
rmdir "$ROOTFS/tmp/wheels"
rm "$ROOTFS/tmp/requirements.lock"

# A shared library some module needs and the image lacks shows up here, not on a hospital's
# server. A library bundled in a wheel (numpy.libs, tensorflow) counts as present: its
# package loads it before the module that names it. The stdlib's nis and _tkinter are
# left out: nothing here uses NIS or Tk, and their libraries would only add size.
step "shared libraries"
missing=""
for lib in $(in_root sh -c 'find /app/.venv /usr/local/lib -name "*.so*" -type f ! -name "nis.*" ! -name "_tkinter.*" \
               -print0 | xargs -0 ldd 2>/dev/null | awk "/not found/ {print \$1}" | sort -u'); do
  [ -n "$(find "$ROOTFS/app/.venv" -name "$lib" -print -quit)" ] || missing="$missing $lib"
done
if [ -n "$missing" ]; then
  echo "libraries not found in the image:$missing" >&2
  exit 1
fi

# 5. The code, the trained model and the widget bundle, as deploy/Containerfile's COPY with
#    .dockerignore: what git tracks or would track (so never build/, .venv or a local
#    deploy/patient-guide.env), root-owned and read-only to the app user.
step "code, model and widget into /app"
{
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' path; do
    [ -e "$path" ] && printf '%s\0' "$path"
  done
  printf '%s\0' "$MODEL" "$WIDGET"
} | tar --null -T - -cf - --owner=0 --group=0 --mode='u+rwX,go+rX,go-w' \
  | tar -C "$ROOTFS/app" -xf -

# 6. The non-root user; it may write only build/, /data and its home (as in the Containerfile).
step "user app ($APP_UID)"
in_root useradd --uid "$APP_UID" --user-group --create-home --home-dir /home/app --shell /usr/sbin/nologin app
mkdir -p "$ROOTFS/app/build" "$ROOTFS/data"
chown "$APP_UID:$APP_UID" "$ROOTFS/app/build" "$ROOTFS/data"
cat > "$ROOTFS/etc/patient-guide-image" <<EOF
built: $(date -u +%Y-%m-%dT%H:%M:%SZ)
commit: $(git rev-parse HEAD)$(git diff --quiet HEAD -- . 2>/dev/null || echo " (with uncommitted changes)")
model: $(sha256sum "$MODEL" | cut -d' ' -f1)
requirements.lock: $(sha256sum requirements.lock | cut -d' ' -f1)
python: $(in_root /usr/local/bin/python3.10 -c 'import platform; print(platform.python_version())')
entrypoint: /app/deploy/entrypoint.sh (server | actions), user $APP_UID
EOF

step "done"
echo "rootfs: $ROOTFS, $(du -sh --one-file-system "$ROOTFS" | cut -f1), built in $((SECONDS - started)) s"
echo "smoke test: make image-test"
