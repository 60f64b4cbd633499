#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, listening on 127.0.0.1 only.
#
#   postgres.sh start DIR PORT   creates (if needed) a cluster in DIR/data and starts it on 127.0.0.1:PORT,
#                                with its unix socket in DIR and its log in DIR/log; then prints exactly one
#                                line on stdout: jdbc:postgresql://127.0.0.1:PORT/warden (everything else
#                                goes to stderr). If a server already runs in DIR, just prints its URL.
#   postgres.sh stop DIR         stops the server of DIR (fast shutdown); not running is fine.
#
# The cluster's superuser is "warden", authentication is "trust" (no password): loopback only, tests only.
# Never uses Debian's default cluster (pg_ctlcluster): the server binaries are run directly. Installs the
# Debian package postgresql when no /usr/lib/postgresql/*/bin/initdb exists. PostgreSQL refuses to run as
# root, so as root DIR belongs to the user postgres and the server's commands run as that user.
set -euo pipefail

usage() {
    echo "usage: $0 start DIR PORT | $0 stop DIR" >&2
    exit 2
}

log() {
    echo "postgres.sh: $*" >&2
}

find_bin() {
    # the newest installed major version's bin directory, or nothing
    local initdb
    initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
    [ -n "$initdb" ] && dirname "$initdb"
    return 0
}

install_postgres() {
    log "no PostgreSQL server found under /usr/lib/postgresql, installing the Debian package postgresql"
    if [ "$(id -u)" != 0 ]; then
        log "installing packages needs root; install the Debian package postgresql (or run as root)"
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends postgresql >&2
}

# Runs a PostgreSQL command as the owner of the cluster: postgres when we are root, else ourselves.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Exit code of "pg_ctl status": 0 when a server runs in $DATA.
running() {
    [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1
}

[ $# -ge 2 ] || usage
CMD=$1
DIR=$2
case "$DIR" in
    /*) ;;
    *) DIR="$(pwd)/$DIR" ;;
esac
DATA=$DIR/data
# the libpq environment of the caller must not redirect our client commands elsewhere
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGSERVICE PGOPTIONS PGDATA || true

case "$CMD" in
start)
    [ $# -eq 3 ] || usage
    PORT=$3
    [[ "$PORT" =~ ^[0-9]+$ ]] || { log "not a port: $PORT"; exit 2; }

    BIN=$(find_bin)
    if [ -z "$BIN" ]; then
        install_postgres
        BIN=$(find_bin)
        [ -n "$BIN" ] || { log "the package postgresql is installed but there is no /usr/lib/postgresql/*/bin/initdb"; exit 1; }
    fi

    mkdir -p "$DIR"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || { log "running as root but there is no user postgres to run the server"; exit 1; }
        chown postgres: "$DIR"
        chmod 700 "$DIR"
        runuser -u postgres -- test -w "$DIR" \
            || { log "the user postgres cannot write $DIR (is a parent directory closed to it?)"; exit 1; }
    fi
    # the server's commands must not start in a directory their user cannot read (e.g. /root)
    cd "$DIR"

    if running; then
        # the port the running server was started with: line 4 of postmaster.pid
        actual=$(sed -n 4p "$DATA/postmaster.pid" 2>/dev/null || true)
        if [ -n "$actual" ] && [ "$actual" != "$PORT" ]; then
            log "a server already runs in $DIR on port $actual (not $PORT); using it"
            PORT=$actual
        else
            log "a server already runs in $DIR"
        fi
        echo "jdbc:postgresql://127.0.0.1:$PORT/warden"
        exit 0
    fi

    if [ ! -f "$DATA/PG_VERSION" ]; then
        rm -rf "$DATA"   # a half-made cluster of an interrupted start
        log "creating a cluster in $DATA ($("$BIN/postgres" --version))"
        as_owner "$BIN/initdb" -D "$DATA" -A trust -U warden -E UTF8 --locale=C --no-sync >&2
    fi

    log "starting the server on 127.0.0.1:$PORT (log: $DIR/log)"
    if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$DIR/log" -w -t 120 \
            -o "-h 127.0.0.1 -p $PORT -k '$DIR' -c fsync=on" start >&2; then
        log "the server did not start; the end of $DIR/log:"
        tail -n 20 "$DIR/log" >&2 || true
        exit 1
    fi

    exists=$(as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U warden -d postgres -X -q -t -A \
        -c "SELECT 1 FROM pg_database WHERE datname = 'warden'")
    if [ "$exists" != 1 ]; then
        as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U warden -O warden warden >&2
    fi
    echo "jdbc:postgresql://127.0.0.1:$PORT/warden"
    ;;
stop)
    [ $# -eq 2 ] || usage
    BIN=$(find_bin)
    if [ -z "$BIN" ] || [ ! -f "$DATA/PG_VERSION" ]; then
        log "no server in $DIR"
        exit 0
    fi
    [ -d "$DIR" ] && cd "$DIR"
    if running; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
    else
        log "no server runs in $DIR"
    fi
    ;;
*)
    usage
    ;;
esac
