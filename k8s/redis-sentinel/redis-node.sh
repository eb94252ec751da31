#!/bin/sh
# Renders the configuration of one Redis data node of the Sentinel topology into <run dir> (a memory volume):
#   users.acl  base's users.acl plus replication.acl (users replication and sentinel), rendered by base's
#              render-acl.sh (SHA-256 hashes of the passwords)
#   node.conf  base's redis.conf (port, ACL file, append-only file), then: this node's announced name, the
#              replication login (masteruser/masterauth: every node may become a replica after a failover) and, unless
#              this node is the primary, `replicaof` the primary (find_primary: what the Sentinels name, else
#              $REDIS_INITIAL_PRIMARY)
# then execs the command after `--` (redis-server <run dir>/node.conf) if given. No password on a command line.
#   redis-node.sh <base config dir> <this dir> <run dir> [-- command ...]
# Environment: REDIS_ANNOUNCE_HOST (this node's stable name), REDIS_INITIAL_PRIMARY (host:port), REDIS_SENTINELS
# (host:port ..., blank-separated); passwords as for render-acl.sh (REDIS_PASSWORD_DIR or REDIS_<NAME>_PASSWORD).
set -eu
base=$1
own=$2
run=$3
shift 3
umask 077
. "$own/lib.sh"
cat "$base/users.acl" "$own/replication.acl" >"$run/users.acl.template"
sh "$base/render-acl.sh" "$run/users.acl.template" "$run/users.acl"
rm -f "$run/users.acl.template"
port=$(sed -n 's/^port \([0-9][0-9]*\).*/\1/p' "$base/redis.conf" | tail -n 1)
primary=$(find_primary "$own/sentinel.conf")
replication=$(secret replication)
tmp="$run/node.conf.tmp"
{
  cat "$base/redis.conf"
  printf '\n# Rendered by redis-node.sh\nreplica-announce-ip %s\nmasteruser replication\nmasterauth %s\n' "$REDIS_ANNOUNCE_HOST" "$replication"
  if [ "$primary" != "$REDIS_ANNOUNCE_HOST:$port" ]; then printf 'replicaof %s %s\n' "${primary%:*}" "${primary##*:}"; fi
} >"$tmp"
mv "$tmp" "$run/node.conf"
if [ "$primary" = "$REDIS_ANNOUNCE_HOST:$port" ]; then role=primary; else role="replica of $primary"; fi
echo "redis-node: $run/node.conf written ($REDIS_ANNOUNCE_HOST:$port, $role)"
if [ "${1:-}" = "--" ]; then
  shift
  exec "$@"
fi
