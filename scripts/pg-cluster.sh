#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a temporary folder, the server on a free loopback
# port (and a Unix socket in that folder), password logins over TCP. Stopped by the PID in its postmaster.pid.
#
#   scripts/pg-cluster.sh start [DIR]   starts one (DIR: default a new folder under $TMPDIR); prints two lines:
#                                       DIR=<folder> and URL=postgres://valuemcp:<password>@127.0.0.1:<port>/postgres
#   scripts/pg-cluster.sh stop DIR      stops it (fast shutdown, by PID) and deletes the folder
#
# Needs PostgreSQL's server binaries (initdb, postgres, pg_ctl: Debian's postgresql package); exit 3 when they are
# missing. As root, the cluster runs as the postgres user (else nobody): PostgreSQL refuses to run as root.
set -euo pipefail

bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(readlink -f "$(command -v initdb)")"; return; }
  return 1
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$owner" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  return 1
}

cmd=${1:-}
case "$cmd" in
  start)
    bin=$(bindir) || { echo "pg-cluster: PostgreSQL server binaries (initdb) not found; install Debian's postgresql package" >&2; exit 3; }
    dir=${2:-$(mktemp -d "${TMPDIR:-/tmp}/valuemcp-pg.XXXXXX")}
    mkdir -p "$dir"
    owner=$(id -un)
    if [ "$(id -u)" -eq 0 ]; then
      owner=postgres
      getent passwd postgres >/dev/null 2>&1 || owner=nobody
      chown "$owner" "$dir"
      chmod 700 "$dir"
    fi
    password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)
    printf '%s\n' "$password" > "$dir/pwfile"
    [ "$(id -u)" -eq 0 ] && chown "$owner" "$dir/pwfile"
    as_owner "$bin/initdb" -D "$dir/data" -U valuemcp --pwfile="$dir/pwfile" --auth-local=trust --auth-host=scram-sha-256 \
      -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    rm -f "$dir/pwfile"
    port=$(free_port)
    # A throwaway cluster: no fsync (a crash loses it, and nothing else), enough connections for parallel test servers.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB" \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "DIR=$dir"
    echo "URL=postgres://valuemcp:$password@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=${2:?usage: pg-cluster.sh stop DIR}
    pidfile="$dir/data/postmaster.pid"
    if [ -f "$pidfile" ]; then
      pid=$(head -1 "$pidfile")
      kill -INT "$pid" 2>/dev/null || true # fast shutdown
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    case "$dir" in
      */valuemcp-pg.*) rm -rf "$dir" ;;
      *) echo "pg-cluster: left $dir in place (not a folder this script made)" >&2 ;;
    esac
    ;;
  *)
    echo "usage: pg-cluster.sh start [DIR] | stop DIR" >&2
    exit 2
    ;;
esac
