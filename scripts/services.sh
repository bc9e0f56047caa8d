#!/usr/bin/env bash
# Starts (or stops) the real services the integration tests talk to: PostgreSQL 15 (Debian apt) and Azurite 3.35.0
# (npm), installing them first when they are missing; and installs Debian's Chromium for the dashboard's browser
# tests (Playwright starts it itself, so there is nothing to start or stop). Both keep their data under .ci-services/ and listen on
# 127.0.0.1 only; Azurite's data is on disk in a folder emptied at each start and removed at stop. `start` and `stop`
# write .ci-services/env with the connection string of each service that answers (those it started, and one started
# before); test.sh sources it. `install` only installs (the benchmark harness runs its own Azurite from it).
#   scripts/services.sh start|stop|install [postgres] [azurite] [chromium]      (no names: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD/.ci-services"
pg_port=55432
pg_password=duraflow_ci
azurite_version=3.35.0

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

install_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb > /dev/null 2>&1; then
    echo "installing PostgreSQL from apt..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
  fi
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
}

# A server on the port that takes our credentials (another checkout's, on a developer machine) is used as it is.
postgres_answers() {
  PGPASSWORD=$pg_password psql -h 127.0.0.1 -p "$pg_port" -U postgres -d duraflow_test -tAc "select 1" > /dev/null 2>&1
}

start_postgres() {
  install_postgres
  if postgres_answers; then
    return
  fi
  local dir="$root/pg"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    echo "$pg_password" > "$dir/pw.txt" && { [ "$(id -u)" != 0 ] || chown postgres "$dir/pw.txt"; }
    # initdb refuses to run as root, hence the postgres user when this script runs as root (CI containers do).
    as_postgres "$pg_bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 --pwfile="$dir/pw.txt" > "$dir/initdb.log"
  fi
  if ! as_postgres "$pg_bin/pg_ctl" -D "$dir/data" status > /dev/null 2>&1; then
    as_postgres "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $pg_port -k $dir -c listen_addresses=127.0.0.1 -c synchronous_commit=off" start > /dev/null
  fi
  as_postgres psql -h "$dir" -p "$pg_port" -U postgres -tAc "select 1 from pg_database where datname = 'duraflow_test'" | grep -q 1 \
    || as_postgres psql -h "$dir" -p "$pg_port" -U postgres -qc "create database duraflow_test"
}

chromium_path() { command -v chromium || true; }

install_chromium() {
  if [ -z "$(chromium_path)" ]; then
    echo "installing chromium from apt..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null
  fi
}

azurite_answers() { (exec 3<> /dev/tcp/127.0.0.1/10000) 2> /dev/null; }

install_azurite() {
  local dir="$root/azurite"
  if [ ! -x "$dir/node_modules/.bin/azurite" ]; then
    echo "installing azurite@$azurite_version from npm..."
    mkdir -p "$dir" && (cd "$dir" && npm install --silent --no-audit --no-fund "azurite@$azurite_version" > /dev/null)
  fi
}

# The Azurite this script started and that still runs; a stale pid file (after a reboot) names some other process.
azurite_ours() {
  [ -f "$root/azurite/pid" ] && grep -qa azurite "/proc/$(cat "$root/azurite/pid")/cmdline" 2> /dev/null
}

start_azurite() {
  local dir="$root/azurite"
  install_azurite
  if azurite_ours || azurite_answers; then
    return
  fi
  # On disk, not --inMemoryPersistence: in memory, Azurite stalled for 23-39 s after some minutes of load and kept a
  # core busy long after its last request. The folder starts empty so earlier runs' data never piles up.
  rm -rf "$dir/data" && mkdir -p "$dir/data"
  # --skipApiVersionCheck: the Azure SDKs send a newer API version than Azurite 3.35 knows.
  "$dir/node_modules/.bin/azurite" --silent --location "$dir/data" --skipApiVersionCheck --loose --disableTelemetry \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 > "$dir/azurite.log" 2>&1 &
  echo $! > "$dir/pid"
  for _ in $(seq 1 100); do
    azurite_answers && return
    sleep 0.1
  done
  echo "azurite did not start; see $dir/azurite.log" >&2
  exit 1
}

stop_postgres() {
  if [ -f "$root/pg/data/PG_VERSION" ]; then
    install_postgres
    as_postgres "$pg_bin/pg_ctl" -D "$root/pg/data" -m fast stop > /dev/null 2>&1 || true
  fi
}

# Waits for Azurite to exit, so its ports and its data folder are free when this returns.
stop_azurite() {
  if azurite_ours; then
    local pid
    pid=$(cat "$root/azurite/pid")
    kill "$pid" 2> /dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2> /dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2> /dev/null; then kill -9 "$pid" 2> /dev/null || true; fi
  fi
  rm -f "$root/azurite/pid"
  rm -rf "$root/azurite/data"
}

# Only a service that answers gets its variable, so a test that needs one that is not running says so.
write_env() {
  : > "$root/env"
  if postgres_answers; then
    echo "export DURAFLOW_TEST_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=duraflow_test'" >> "$root/env"
  fi
  if azurite_answers; then
    echo "export DURAFLOW_TEST_AZURITE='UseDevelopmentStorage=true'" >> "$root/env"
  fi
  if [ -n "$(chromium_path)" ]; then
    echo "export DURAFLOW_TEST_CHROMIUM='$(chromium_path)'" >> "$root/env"
  fi
}

verb="${1:-}"
case "$verb" in
  start | stop | install) shift ;;
  *) echo "usage: scripts/services.sh start|stop|install [postgres] [azurite] [chromium]" >&2; exit 2 ;;
esac
wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(postgres azurite chromium)
for name in "${wanted[@]}"; do
  case "$name" in postgres | azurite | chromium) ;; *) echo "unknown service '$name': name postgres, azurite, chromium, or none for all" >&2; exit 2 ;; esac
done
mkdir -p "$root"
case "$verb" in
  start)
    started=()
    for name in "${wanted[@]}"; do
      case "$name" in
        postgres) start_postgres && started+=("PostgreSQL on 127.0.0.1:$pg_port") ;;
        azurite) start_azurite && started+=("Azurite on 127.0.0.1:10000-10002") ;;
        chromium) install_chromium && started+=("Chromium at $(chromium_path)") ;;
      esac
    done
    write_env
    printf -v listed '%s, ' "${started[@]}"
    echo "running: ${listed%, }"
    ;;
  stop)
    for name in "${wanted[@]}"; do
      case "$name" in postgres) stop_postgres ;; azurite) stop_azurite ;; esac
    done
    write_env
    ;;
  install)
    for name in "${wanted[@]}"; do
      case "$name" in postgres) install_postgres ;; azurite) install_azurite ;; chromium) install_chromium ;; esac
    done
    ;;
esac
