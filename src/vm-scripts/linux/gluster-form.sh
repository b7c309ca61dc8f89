#!/bin/bash
# Forms the GlusterFS trusted pool and creates the volumes, on the first server only (so nothing races): probes
# every other server, waits until all of them are Connected, then creates each volume that does not exist yet
# (distributed-replicated, bricks in server order so that consecutive bricks form the replica sets) and starts it.
# Run by gluster-form.service at boot and every 5 minutes by gluster-form.timer until it succeeds; idempotent: a
# run after success (or after a partial one) changes nothing that exists. A server that does not answer within
# WAIT_WINDOW seconds fails the attempt before any volume is created.
# PGM_ROOT is empty in production; the boot rehearsal (__tests__/boot) points it at a scratch directory.
set -uo pipefail
R=${PGM_ROOT:-}

SERVERS=({{SERVERS}})
VOLUMES=({{VOLUMES}})
TYPE_ARGS=({{TYPE_ARGS}})
BRICK_ROOT={{BRICK_ROOT}}
AUTH_ALLOW={{AUTH_ALLOW}}
WAIT_WINDOW={{WAIT_WINDOW}}
FORMED_MARKER={{FORMED_MARKER}}

if [ -e "$R$FORMED_MARKER" ]; then
  echo "the pool is formed and the volumes exist (${FORMED_MARKER})"
  exit 0
fi

# Runs a command until it succeeds, for up to WAIT_WINDOW seconds (5 s doubling to 60 s between attempts).
retry() {
  local delay=5 waited=0
  until "$@"; do
    if [ "$waited" -ge "$WAIT_WINDOW" ]; then return 1; fi
    sleep "$delay"
    waited=$((waited + delay))
    delay=$((delay * 2 > 60 ? 60 : delay * 2))
  done
}

# 1. Every other server joins the pool ("peer probe" of a member already in it succeeds and changes nothing).
for server in "${SERVERS[@]:1}"; do
  if ! retry gluster peer probe "$server"; then
    echo "server ${server} did not answer within ${WAIT_WINDOW} s: no volume created; gluster-form.timer tries again" >&2
    exit 1
  fi
done

# 2. All of them Connected (the pool list counts this server as localhost).
all_connected() {
  local connected
  connected=$(gluster pool list | awk 'NR > 1 && $NF == "Connected"' | wc -l)
  [ "$connected" -eq "${#SERVERS[@]}" ]
}
if ! retry all_connected; then
  echo "not every server is Connected after ${WAIT_WINDOW} s: no volume created; gluster-form.timer tries again" >&2
  gluster pool list >&2
  exit 1
fi

# 3. The volumes: created once, then started; only the listed client networks may mount them.
for volume in "${VOLUMES[@]}"; do
  if ! gluster volume info "$volume" >/dev/null 2>&1; then
    bricks=()
    for server in "${SERVERS[@]}"; do bricks+=("${server}:${BRICK_ROOT}/${volume}"); done
    gluster --mode=script volume create "$volume" "${TYPE_ARGS[@]}" transport tcp "${bricks[@]}" || exit 1
  fi
  gluster volume set "$volume" auth.allow "$AUTH_ALLOW" || exit 1
  if ! gluster volume info "$volume" | grep -q '^Status: Started'; then
    gluster --mode=script volume start "$volume" || exit 1
  fi
done

mkdir -p "$(dirname "$R$FORMED_MARKER")"
: > "$R$FORMED_MARKER"
echo "pool of ${#SERVERS[@]} servers formed; volumes ${VOLUMES[*]} started"
