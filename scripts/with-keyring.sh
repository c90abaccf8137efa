#!/usr/bin/env bash
# Runs a command inside a private, unlocked Secret Service keyring, for tests that use the REAL
# OS keyring (keytar → libsecret → D-Bus → gnome-keyring) on machines with no desktop session:
# CI, containers, SSH shells.
#
#   scripts/with-keyring.sh npx vitest run
#
# What it does: starts a private D-Bus session bus (dbus-run-session), starts gnome-keyring-daemon
# on it with only its Secret Service component, creates and unlocks a fresh "login" keyring with a
# random password fed on stdin, waits until org.freedesktop.secrets answers, runs the command, and
# then stops that daemon (by its PID, asked of the bus) and deletes the keyring's files.
#
# The keyring's files and control socket live in a temporary XDG_DATA_HOME and XDG_RUNTIME_DIR
# given to the daemon only, so the user's own keyrings (files or a running daemon) are never read,
# unlocked or written, and every run starts from an empty keyring. The command sees the private
# bus's DBUS_SESSION_BUS_ADDRESS (and GNOME_KEYRING_CONTROL); nothing else changes.
#
# Needs: dbus-run-session, dbus-send (Debian: dbus, dbus-bin), gnome-keyring-daemon (gnome-keyring).
# Exits with the command's exit status, or 3 if the keyring could not be started.
set -euo pipefail

die() {
  echo "with-keyring: $*" >&2
  exit 3
}

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

if [ -z "${GCT_WITH_KEYRING_INNER:-}" ]; then
  for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
    command -v "$tool" >/dev/null 2>&1 ||
      die "$tool not found (Debian: apt-get install dbus dbus-x11 gnome-keyring libsecret-tools)"
  done
  # Re-run this script inside a fresh session bus; the bus ends when the script does.
  GCT_WITH_KEYRING_INNER=1 exec dbus-run-session -- bash "$0" "$@"
fi
unset GCT_WITH_KEYRING_INNER

workdir="$(mktemp -d "${TMPDIR:-/tmp}/gct-keyring.XXXXXX")"
keyring_pid=''
cleanup() {
  if [ -n "$keyring_pid" ]; then
    kill "$keyring_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT

mkdir -m 700 "$workdir/data" "$workdir/runtime"

password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# --unlock reads the login keyring's password from stdin (creating the keyring if it does not
# exist) and the daemon goes to the background; it prints its environment (GNOME_KEYRING_CONTROL=…).
if ! daemon_env="$(printf '%s' "$password" |
  XDG_DATA_HOME="$workdir/data" XDG_RUNTIME_DIR="$workdir/runtime" \
    gnome-keyring-daemon --unlock --components=secrets 2>"$workdir/daemon.err")"; then
  cat "$workdir/daemon.err" >&2 || true
  die 'gnome-keyring-daemon --unlock failed'
fi
while IFS='=' read -r name value; do
  case "$name" in
    GNOME_KEYRING_CONTROL) export GNOME_KEYRING_CONTROL="$value" ;;
  esac
done <<<"$daemon_env"

# Wait (at most ~10 s) until the Secret Service name is owned on this bus.
owner_pid=''
for _ in $(seq 1 100); do
  if reply="$(dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null)"; then
    owner_pid="$(printf '%s\n' "$reply" | awk '/uint32/ { print $2 }')"
    break
  fi
  sleep 0.1
done
[ -n "$owner_pid" ] || {
  cat "$workdir/daemon.err" >&2 || true
  die 'org.freedesktop.secrets did not appear on the session bus within 10 s'
}
keyring_pid="$owner_pid"
echo "with-keyring: private Secret Service ready (gnome-keyring-daemon pid $keyring_pid)" >&2

set +e
"$@"
status=$?
set -e
exit "$status"
