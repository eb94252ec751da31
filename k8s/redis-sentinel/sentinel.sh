#!/bin/sh
# Renders one Sentinel's configuration into <run dir>/sentinel.conf (a memory volume: Sentinel rewrites the file as it
# learns): the template sentinel.conf with the primary filled in (find_primary: what a running Sentinel names, else
# $REDIS_INITIAL_PRIMARY), then this Sentinel's announced name, its own password (requirepass: the services, the
# probes and the other Sentinels log in with it) and the login it monitors the data nodes with (ACL user sentinel).
# Then execs the command after `--` (redis-server <run dir>/sentinel.conf --sentinel) if given. No password on a
# command line.
#   sentinel.sh <this dir> <run dir> [-- command ...]
# Environment: REDIS_ANNOUNCE_HOST (this Sentinel's stable name), REDIS_INITIAL_PRIMARY (host:port), REDIS_SENTINELS
# (host:port ..., blank-separated); passwords as for render-acl.sh (REDIS_PASSWORD_DIR or REDIS_<NAME>_PASSWORD).
set -eu
own=$1
run=$2
shift 2
umask 077
. "$own/lib.sh"
primary=$(find_primary "$own/sentinel.conf")
name=$(master_name "$own/sentinel.conf")
requirepass=$(secret sentinels)
monitor=$(secret sentinel)
tmp="$run/sentinel.conf.tmp"
{
  sed -e "s/@PRIMARY_HOST@/${primary%:*}/" -e "s/@PRIMARY_PORT@/${primary##*:}/" "$own/sentinel.conf"
  printf '\n# Rendered by sentinel.sh\nsentinel announce-ip %s\nrequirepass %s\nsentinel auth-user %s sentinel\nsentinel auth-pass %s %s\n' "$REDIS_ANNOUNCE_HOST" "$requirepass" "$name" "$name" "$monitor"
} >"$tmp"
mv "$tmp" "$run/sentinel.conf"
echo "sentinel: $run/sentinel.conf written ($REDIS_ANNOUNCE_HOST, monitoring $name at $primary)"
if [ "${1:-}" = "--" ]; then
  shift
  exec "$@"
fi
