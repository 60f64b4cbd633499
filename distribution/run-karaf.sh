#!/usr/bin/env bash
# Runs Warden's Karaf distribution (distribution/target/warden-distribution-VERSION.tar.gz, built by
# `mvn -B package -DskipTests`) in the foreground: Karaf 4.4.10 with Warden and the demo distributor.
# Type "logout" or Ctrl-D at the console to stop it.
#
# The first run unpacks the archive into distribution/target/karaf; later runs start that same Karaf again, so
# workers, bans, penalties, users and edits of etc/ are kept. --clean deletes it and unpacks afresh.
# Needs no Maven repository: every bundle is in the distribution's system/ folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

clean=false
for arg in "$@"; do
    case "$arg" in
        --clean) clean=true ;;
        -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "Unknown option: $arg (only --clean)" >&2; exit 2 ;;
    esac
done

home="$here/target/karaf"
if [ "$clean" = true ] && [ -d "$home" ]; then
    echo "--clean: deleting $home (its data/ and etc/ too)"
    rm -rf "$home"
fi
if [ ! -d "$home" ]; then
    shopt -s nullglob
    archives=("$here"/target/warden-distribution-*.tar.gz)
    shopt -u nullglob
    if [ "${#archives[@]}" -ne 1 ]; then
        echo "No distribution archive in $here/target: run 'mvn -B package -DskipTests' first" >&2
        exit 1
    fi
    mkdir -p "$home"
    tar -xzf "${archives[0]}" -C "$home" --strip-components=1
    echo "Unpacked ${archives[0]##*/} into $home"
else
    echo "Starting the Karaf in $home again (its data/ and etc/ kept; --clean starts afresh)"
fi
echo "Try: warden:network, warden:workers, warden:demo (the demo distributor's counters), hc:exec -v warden"
exec "$home/bin/karaf"
