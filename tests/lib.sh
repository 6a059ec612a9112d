# Shared by tests/run and tests/bench: the cache and target directory, messages, and the
# DynamoDB/SES emulator, started on a free loopback port and stopped on exit.
# shellcheck shell=bash

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 1

cache="${PEOPLE_FIRST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/people-first}"
# One target directory for every run on this machine: the AWS SDK builds once.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$cache/target}"
mkdir -p "$cache" "$CARGO_TARGET_DIR"

say() { printf '\n== %s\n' "$*"; }
fail() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

for tool in cargo python3 node npm; do
  command -v "$tool" >/dev/null || fail "$tool is missing: install it, then run tests/run again"
done

# Python tools, each in its own virtual environment under the cache, pinned by a lock file and
# installed again only when its requirements change.
# usage: python_tools VENV REQUIREMENTS LOCK COMMAND WHAT (COMMAND: a program the venv must hold)
python_tools() {
  local venv="$1" requirements="$2" lock="$3" command="$4" what="$5" wanted
  wanted="$(cat "$requirements" "$lock" | sha256sum | cut -d' ' -f1)"
  if [ ! -x "$venv/bin/$command" ] || [ "$(cat "$venv/.requirements" 2>/dev/null)" != "$wanted" ]; then
    say "installing $what into $venv"
    python3 -m venv "$venv" || fail "python3 cannot make a virtual environment (on Debian: apt-get install python3-venv)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements" -c "$lock" \
      || fail "could not install $what from $requirements"
    echo "$wanted" > "$venv/.requirements"
  fi
}

# --- the DynamoDB/SES emulator --------------------------------------------------------------
venv="$cache/venv"
python_tools "$venv" tests/requirements.txt tests/requirements.lock moto_server "the emulator (moto)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

logs="$(mktemp -d)"
pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$logs"
}
trap stop EXIT

port="$(free_port)"
"$venv/bin/python" tests/emulator.py "$port" >"$logs/emulator.log" 2>&1 &
pids+=($!)
# Waits up to 30 s for a URL to answer.
wait_for() {
  python3 - "$1" <<'PY'
import sys, time, urllib.request
for _ in range(300):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
sys.exit(1)
PY
}
wait_for "http://127.0.0.1:$port/moto-api/data.json" || { cat "$logs/emulator.log" >&2; fail "the emulator did not start"; }
export AWS_ENDPOINT_URL="http://127.0.0.1:$port"
export AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
echo "emulator on $AWS_ENDPOINT_URL"

