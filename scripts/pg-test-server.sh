#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite.
#
#   scripts/pg-test-server.sh available   exit 0 if PostgreSQL server binaries are installed
#                                         (/usr/lib/postgresql/*/bin, or PG_BINDIR), 1 if not
#   scripts/pg-test-server.sh run CMD...  start a fresh cluster, run CMD with DATABASE_URL set
#                                         to it, stop and delete the cluster, exit with CMD's code
#   scripts/pg-test-server.sh start DIR   start a fresh cluster in the new folder DIR and leave it
#                                         running; prints its DATABASE_URL (the deployment test)
#   scripts/pg-test-server.sh stop DIR    stop the cluster in DIR
#
# The cluster lives in a new temporary directory, trusts local connections, runs with fsync off
# and the other durability and background work a test run does not need (a crash loses the
# cluster, and it is deleted anyway), listens on 127.0.0.1 only, on a free
# port, with its Unix socket inside its own directory, so several can run at once on one machine.
# As root the server runs as the `postgres` user (initdb refuses to run as root).
set -euo pipefail

PROG=${0##*/}
DB_NAME=${SRH_PG_TEST_DB:-srh}
DB_ROLE=${SRH_PG_TEST_ROLE:-srh}

say() { echo "$PROG: $*" >&2; }

find_bindir() {
    if [[ -n ${PG_BINDIR:-} ]]; then
        [[ -x $PG_BINDIR/initdb && -x $PG_BINDIR/pg_ctl && -x $PG_BINDIR/postgres ]] || return 1
        echo "$PG_BINDIR"
        return 0
    fi
    local dir best=""
    # The highest installed major version wins (sort -V orders 9.6 < 10 < 15).
    while IFS= read -r dir; do
        if [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres ]]; then
            best=$dir
        fi
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
    [[ -n $best ]] || return 1
    echo "$best"
}

# Who runs the server: root cannot, so root hands it to the postgres user.
server_user_ok() {
    [[ $(id -u) -ne 0 ]] || id -u postgres >/dev/null 2>&1
}

free_port() {
    # Ask the kernel for a port nobody is using; if it is taken again before the server binds
    # it, the start fails and `run` tries another one.
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
    else
        echo $((20000 + RANDOM % 40000))
    fi
}

cmd_available() {
    find_bindir >/dev/null && server_user_ok
}

# start_cluster DIR: a new cluster in DIR (created, empty), started; sets PORT, PG_CTL and
# DATABASE_URL. The caller stops it (stop_cluster DIR).
start_cluster() {
    PG_DIR=$1
    local bindir
    if ! bindir=$(find_bindir); then
        say "no PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin)"
        exit 1
    fi
    if ! server_user_ok; then
        say "running as root needs a 'postgres' user to run the server as"
        exit 1
    fi

    local as_server=()
    [[ $(id -u) -ne 0 ]] || as_server=(runuser -u postgres --)

    mkdir -p "$PG_DIR"
    chmod 700 "$PG_DIR"
    [[ $(id -u) -ne 0 ]] || chown postgres: "$PG_DIR"
    PG_CTL=("${as_server[@]}" "$bindir/pg_ctl")

    # Commands run as the server user from inside the cluster directory, so that they never
    # need to read the caller's working directory.
    if ! (cd "$PG_DIR" && "${as_server[@]}" "$bindir/initdb" -D "$PG_DIR/data" -U postgres \
        -A trust -E UTF8 --no-locale --no-sync >"$PG_DIR/initdb.log" 2>&1); then
        say "initdb failed:"
        cat "$PG_DIR/initdb.log" >&2
        exit 1
    fi

    local port="" attempt
    for attempt in 1 2 3 4 5 6 7 8; do
        port=$(free_port)
        if (cd "$PG_DIR" && "${PG_CTL[@]}" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off \
                -c synchronous_commit=off -c full_page_writes=off -c wal_level=minimal \
                -c max_wal_senders=0 -c autovacuum=off -c jit=off" \
            start >/dev/null 2>&1); then
            PG_STARTED=1
            break
        fi
        if ! grep -q "could not bind\|Address already in use\|could not create any TCP/IP" \
            "$PG_DIR/server.log" 2>/dev/null; then
            say "the server did not start:"
            tail -n 20 "$PG_DIR/server.log" >&2 2>/dev/null || true
            exit 1
        fi
        say "port $port was taken, trying another (attempt $attempt)"
        : >"$PG_DIR/server.log"
    done
    if [[ -z ${PG_STARTED:-} ]]; then
        say "could not find a free port for the server"
        exit 1
    fi

    local psql=("$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
    [[ -x $bindir/psql ]] || psql=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
    # CREATEDB: the test runner creates its own test_<name> database next to this one.
    "${psql[@]}" -d postgres -c "CREATE ROLE $DB_ROLE LOGIN CREATEDB PASSWORD '$DB_ROLE'" >/dev/null
    "${psql[@]}" -d postgres -c "CREATE DATABASE $DB_NAME OWNER $DB_ROLE" >/dev/null

    export DATABASE_URL="postgres://$DB_ROLE:$DB_ROLE@127.0.0.1:$port/$DB_NAME"
    say "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" \
        "(cluster in $PG_DIR)"
}

stop_cluster() {
    local bindir as_server=()
    bindir=$(find_bindir) || return 1
    [[ $(id -u) -ne 0 ]] || as_server=(runuser -u postgres --)
    (cd "$1" && "${as_server[@]}" "$bindir/pg_ctl" -D "$1/data" -m immediate -w -t 30 stop \
        >/dev/null 2>&1)
}

cmd_run() {
    if [[ $# -eq 0 ]]; then
        say "usage: $PROG run CMD [ARGS...]"
        exit 2
    fi
    PG_STARTED=""
    PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/srh-pgtest.XXXXXX")
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP
    start_cluster "$PG_DIR"

    local rc=0
    "$@" || rc=$?
    exit "$rc"
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM HUP
    if [[ -n ${PG_STARTED:-} ]]; then
        stop_cluster "$PG_DIR" || say "warning: the server in $PG_DIR did not stop cleanly"
    fi
    if [[ -n ${PG_DIR:-} && -d $PG_DIR ]]; then
        rm -rf -- "$PG_DIR"
    fi
    exit "$rc"
}

case ${1:-} in
available)
    cmd_available
    ;;
run)
    shift
    cmd_run "$@"
    ;;
start)
    # start DIR: a cluster in the new folder DIR that keeps running; prints its DATABASE_URL.
    [[ $# -eq 2 && ! -e $2 ]] || { say "usage: $PROG start NEW_DIR"; exit 2; }
    start_cluster "$2"
    echo "$DATABASE_URL"
    ;;
stop)
    # stop DIR: stops the cluster that `start DIR` started (the folder is left to the caller).
    [[ $# -eq 2 && -d $2/data ]] || { say "usage: $PROG stop DIR"; exit 2; }
    stop_cluster "$2"
    ;;
*)
    say "usage: $PROG available | run CMD [ARGS...] | start NEW_DIR | stop DIR"
    exit 2
    ;;
esac
