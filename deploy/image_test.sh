#!/usr/bin/env bash
# `make image-test`: starts the image `make image` built and has one conversation with it.
#
# Where no container can run, this is the container: a private mount namespace in which the
# root filesystem is mounted read-only (as readOnlyRootFilesystem in deploy/k8s), with
# writable tmpfs only where the Kubernetes manifests mount volumes (/tmp, /app/build, /data,
# /home/app), and both processes chrooted as the image's non-root user (10001) through the
# image's own entry point. They listen on loopback ports (the chroot shares the host's
# network). With redis-server on the host, the server runs with Redis stores
# (endpoints-redis.yml, as in production); otherwise in memory.
# Checks: a REST "hello" gets a reply, the HTTP API wants its token, the widget is served,
# the processes are not root. Then everything is stopped.
#
#   deploy/image_test.sh [ROOTFS]    default build/image-rootfs; needs root (mounts, chroot)
set -euo pipefail
self=$(realpath "$0")
cd "$(dirname "$self")/.."

ROOTFS=$(realpath "${1:-build/image-rootfs}")
APP_UID=10001
if [ ! -f "$ROOTFS/.patient-guide-rootfs" ]; then
  echo "no image at $ROOTFS: run 'make image' first" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "make image-test needs root (mount namespace, chroot)" >&2
  exit 1
fi
# Again inside a private mount namespace: every mount below vanishes with it.
if [ -z "${PATIENT_GUIDE_IMAGE_TEST_NS:-}" ]; then
  exec unshare --mount --propagation private --fork env PATIENT_GUIDE_IMAGE_TEST_NS=1 "$self" "$ROOTFS"
fi

LOGS=build/image-test
rm -rf "$LOGS" && mkdir -p "$LOGS"
started=$SECONDS
say() { echo "== $1 ($((SECONDS - started)) s)"; }

# --- the container's file system -------------------------------------------------------
mount --bind "$ROOTFS" "$ROOTFS"
mount -o remount,bind,ro "$ROOTFS"
mount -t proc proc "$ROOTFS/proc"
mount -t tmpfs -o mode=0755,nosuid tmpfs "$ROOTFS/dev"
for node in null zero full random urandom tty; do
  touch "$ROOTFS/dev/$node"
  mount --bind "/dev/$node" "$ROOTFS/dev/$node"
done
ln -s /proc/self/fd "$ROOTFS/dev/fd"
mkdir "$ROOTFS/dev/shm"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$ROOTFS/dev/shm"
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$ROOTFS/tmp"
for writable in /app/build /data /home/app; do
  mount -t tmpfs -o "mode=0755,uid=$APP_UID,gid=$APP_UID,nosuid,nodev" tmpfs "$ROOTFS$writable"
done
if touch "$ROOTFS/etc/.rw-probe" 2>/dev/null; then
  echo "the root filesystem is writable: it should be read-only here" >&2
  exit 1
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
secret() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }
RASA_PORT=$(free_port)
ACTIONS_PORT=$(free_port)
TOKEN=$(secret)

# --- Redis on the host, if there is one ------------------------------------------------
pgids=()
redis_url=""
if command -v redis-server >/dev/null 2>&1; then
  REDIS_PORT=$(free_port)
  mkdir -p "$LOGS/redis"
  setsid redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly yes \
    --dir "$(realpath "$LOGS/redis")" > "$LOGS/redis.log" 2>&1 &
  pgids+=($!)
  redis_url="redis://127.0.0.1:$REDIS_PORT/0"
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

stop_all() {
  for pgid in "${pgids[@]}"; do kill -TERM -- "-$pgid" 2>/dev/null || true; done
  for _ in $(seq 40); do
    alive=0
    for pgid in "${pgids[@]}"; do kill -0 -- "-$pgid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return
    sleep 0.5
  done
  for pgid in "${pgids[@]}"; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
}
trap stop_all EXIT

# One process of the image: a clean environment (an image has no host variables), the
# image's user, its entry point. setsid: its own process group, so its children (the
# parse workers) are stopped with it. Sets last_pid.
CHROOT=$(command -v chroot)  # found now: the clean environment's PATH is the image's
in_image() {  # LOG VAR=VALUE... -- ARGS...
  local log=$1 vars=()
  shift
  while [ "$1" != "--" ]; do vars+=("$1"); shift; done
  shift
  setsid env -i PATH=/app/.venv/bin:/usr/local/bin:/usr/bin:/bin HOME=/home/app LANG=C.UTF-8 "${vars[@]}" \
    "$CHROOT" --userspec=$APP_UID:$APP_UID "$ROOTFS" /app/deploy/entrypoint.sh "$@" > "$log" 2>&1 &
  last_pid=$!
  pgids+=("$last_pid")
}

wait_for() {  # NAME URL PID TIMEOUT
  local deadline=$((SECONDS + $4))
  while [ $SECONDS -lt $deadline ]; do
    if ! kill -0 "$3" 2>/dev/null; then
      echo "$1 exited; the end of its log:" >&2
      tail -n 40 "$LOGS/$1.log" >&2
      return 1
    fi
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$2")" = 200 ] && return 0
    sleep 1
  done
  echo "$1 not ready after $4 s; the end of its log:" >&2
  tail -n 40 "$LOGS/$1.log" >&2
  return 1
}

say "starting the action server (127.0.0.1:$ACTIONS_PORT)"
in_image "$LOGS/actions.log" ACTIONS_HOST=127.0.0.1 ACTIONS_PORT="$ACTIONS_PORT" \
  BOOKING_OWNER_SECRET="$(secret)" -- actions
actions_pid=$last_pid
say "starting the Rasa server (127.0.0.1:$RASA_PORT, stores: ${redis_url:-in memory})"
in_image "$LOGS/rasa.log" RASA_HOST=127.0.0.1 RASA_PORT="$RASA_PORT" RASA_AUTH_TOKEN="$TOKEN" \
  COORDINATOR_SESSION_SECRET="$(secret)" WIDGET_SESSION_SECRET="$(secret)" \
  ACTION_SERVER_URL="http://127.0.0.1:$ACTIONS_PORT/webhook" ${redis_url:+REDIS_URL="$redis_url"} -- server
rasa_pid=$last_pid

wait_for actions "http://127.0.0.1:$ACTIONS_PORT/health" "$actions_pid" 120
say "action server healthy"
wait_for rasa "http://127.0.0.1:$RASA_PORT/webhooks/rest/ready" "$rasa_pid" 300
say "Rasa server ready"

base="http://127.0.0.1:$RASA_PORT"
failed=0
check() {  # WHAT EXPECTED ACTUAL
  if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected $2, got $3"; failed=1; fi
}

reply=$(curl -s --max-time 30 -H 'Content-Type: application/json' \
  -d '{"sender":"image-test","message":"hello"}' "$base/webhooks/rest/webhook")
texts=$(printf '%s' "$reply" | python3 -c 'import json, sys; print(sum(1 for m in json.load(sys.stdin) if m.get("text")))' \
  2>/dev/null || echo 0)
if [ "$texts" -ge 1 ]; then
  echo "ok   REST hello answered ($texts messages): $(printf '%s' "$reply" | head -c 300)"
else
  echo "FAIL REST hello: no reply text: $(printf '%s' "$reply" | head -c 300)"
  failed=1
fi
check "liveness GET / without a token" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$base/")"
check "HTTP API without its token" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$base/status")"
check "HTTP API with its token" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$base/status?token=$TOKEN")"
check "widget bundle served" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$base/widget/patient-guide-widget.js")"
for pid in "$rasa_pid" "$actions_pid"; do
  # setsid, env, chroot, the entry point and python exec one another: the same pid
  check "process $pid runs as $APP_UID" "$APP_UID" "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")"
done
if [ -n "$redis_url" ]; then
  keys=$(redis-cli -p "$REDIS_PORT" --scan --pattern 'patientguide*' | wc -l)
  if [ "$keys" -ge 1 ]; then echo "ok   conversation stored in Redis ($keys keys)"; else echo "FAIL nothing in Redis"; failed=1; fi
fi

echo "resident memory (MB; a parse worker still loading its model shows less):"
ps -o pid=,rss=,args= -s "$rasa_pid,$actions_pid" | awk '{printf "  %6d MB  %s %s %s %s\n", $2 / 1024, $3, $4, $5, $6}'
say "stopping"
stop_all
trap - EXIT
if [ "$failed" != 0 ]; then
  echo "image-test FAILED (logs in $LOGS/)" >&2
  exit 1
fi
say "image-test passed"
