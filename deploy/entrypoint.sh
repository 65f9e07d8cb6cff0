#!/bin/sh
# The image's entry point: one image, two processes.
#   entrypoint.sh server    the Rasa server (channels, HTTP API, console; it starts its own
#                           NLU_WORKER_PROCESSES parse workers as child processes)
#   entrypoint.sh actions   the action server (rasa-sdk)
#   entrypoint.sh CMD ...   runs CMD (a shell, `python -m bot.handoff.accounts hash`, ...)
# It starts the same commands as `make run` (Makefile), with container defaults.
set -eu
cd "$(dirname "$0")/.."

# What the Makefile exports for `make run`; here so the Containerfile image and the
# rootfs of `make image` (which has no image ENV) behave the same.
export RASA_TELEMETRY_ENABLED="${RASA_TELEMETRY_ENABLED:-false}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export SQLALCHEMY_SILENCE_UBER_WARNING="${SQLALCHEMY_SILENCE_UBER_WARNING:-1}"
# a message's hold on its conversation's lock; a replica killed mid-message blocks its
# conversations this long on the other replicas (Rasa's default 60 s; Makefile says why)
export TICKET_LOCK_LIFETIME="${TICKET_LOCK_LIFETIME:-20}"

# Refuses to start while a secret is unset, empty or still the template's CHANGE-ME:
# a default here would be the same known value in every hospital. Never prints a value.
require() {
  for name in "$@"; do
    eval "value=\${$name:-}"
    case "$value" in
      "" | CHANGE-ME*)
        echo "Not starting: set $name (deploy/patient-guide.env or the Kubernetes Secret; see deploy/README.md)" >&2
        exit 78 ;;
    esac
  done
}

# Optional secrets may be empty (their channel then answers 503), never a leftover placeholder.
no_placeholder() {
  for name in "$@"; do
    eval "value=\${$name:-}"
    case "$value" in
      CHANGE-ME*)
        echo "Not starting: $name still holds the template's placeholder; set it or leave it empty" >&2
        exit 78 ;;
    esac
  done
}

command="${1:-server}"
if [ $# -gt 0 ]; then shift; fi

case "$command" in
  server)
    # Several replicas must share these: a token or key made inside one container would
    # differ on the next replica and be lost at the next restart.
    require RASA_AUTH_TOKEN COORDINATOR_SESSION_SECRET WIDGET_SESSION_SECRET
    no_placeholder COORDINATOR_ACCOUNTS TELEGRAM_TOKEN TELEGRAM_SECRET_TOKEN \
      WECHAT_TOKEN WECHAT_APP_ID WECHAT_APP_SECRET WECHAT_ENCODING_AES_KEY
    # As `make run`: with REDIS_URL, Rasa's Redis tracker and lock stores (endpoints-redis.yml
    # reads REDIS_HOST/PORT/DB/PASSWORD, which bot/redis_url.py derives from the URL).
    if [ -n "${REDIS_URL:-}" ]; then
      eval "$(python -m bot.redis_url)"
      endpoints=endpoints-redis.yml
    else
      endpoints=endpoints.yml
    fi
    # 0.0.0.0: in a container the port is reached from outside its network namespace.
    # bot.rasa_command adds --auth-token from RASA_AUTH_TOKEN (never on the command line).
    exec python -m bot.rasa_command run --model "${MODEL:-models/patient-guide.tar.gz}" --enable-api \
      --interface "${RASA_HOST:-0.0.0.0}" --port "${RASA_PORT:-5005}" \
      --credentials credentials.yml --endpoints "$endpoints" "$@"
    ;;
  actions)
    require BOOKING_OWNER_SECRET
    # the bookings database on the /data volume, not in the image's build/ (lost with the container)
    export PATIENT_GUIDE_DB_URL="${PATIENT_GUIDE_DB_URL:-sqlite:////data/patient-guide.sqlite}"
    # rasa-sdk reads SANIC_HOST. 0.0.0.0 so the Rasa container can reach it; the compose
    # file's internal network and the Kubernetes NetworkPolicy keep everyone else out.
    SANIC_HOST="${ACTIONS_HOST:-0.0.0.0}" exec rasa run actions --actions actions --port "${ACTIONS_PORT:-5055}" "$@"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac
