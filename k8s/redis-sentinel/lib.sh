# Shared by redis-node.sh and sentinel.sh (sourced). Passwords never reach a command line or a log.

# secret <name>: a password: the file <name> in $REDIS_PASSWORD_DIR (k8s: Secret arb-redis mounted as files), else
# $REDIS_<NAME>_PASSWORD (docker compose: .env). Fails when missing or empty.
secret() {
  if [ -n "${REDIS_PASSWORD_DIR:-}" ]; then
    [ -r "$REDIS_PASSWORD_DIR/$1" ] || { echo "redis-sentinel: no password file $1 in $REDIS_PASSWORD_DIR" >&2; return 1; }
    value=$(cat "$REDIS_PASSWORD_DIR/$1")
  else
    value=$(printenv "REDIS_$(printf '%s' "$1" | tr 'a-z-' 'A-Z_')_PASSWORD" || true)
  fi
  [ -n "$value" ] || { echo "redis-sentinel: empty password $1" >&2; return 1; }
  printf '%s' "$value"
}

# master_name <sentinel.conf template>: the monitored master group.
master_name() {
  sed -n 's/^sentinel monitor \([^ ]*\) .*/\1/p' "$1"
}

# find_primary <sentinel.conf template>: host:port of the primary the first answering Sentinel of $REDIS_SENTINELS
# (blank-separated host:port) names, logged in with the Sentinels' password; else $REDIS_INITIAL_PRIMARY (a new set:
# no Sentinel runs yet). A node restarted after a failover thus rejoins as a replica of the current primary.
find_primary() {
  auth=$(secret sentinels)
  name=$(master_name "$1")
  for s in ${REDIS_SENTINELS:-}; do
    answer=$(REDISCLI_AUTH="$auth" timeout 3 redis-cli --no-auth-warning -h "${s%:*}" -p "${s##*:}" SENTINEL get-master-addr-by-name "$name" 2>/dev/null) || continue
    host=$(printf '%s\n' "$answer" | sed -n 1p)
    port=$(printf '%s\n' "$answer" | sed -n 2p)
    case "$port" in '' | *[!0-9]*) continue ;; esac
    case "$host" in '' | *[!A-Za-z0-9.:-]*) continue ;; esac
    echo "redis-sentinel: $s names $host:$port primary of $name" >&2
    printf '%s:%s\n' "$host" "$port"
    return 0
  done
  echo "redis-sentinel: no Sentinel answered, primary of $name: $REDIS_INITIAL_PRIMARY" >&2
  printf '%s\n' "$REDIS_INITIAL_PRIMARY"
}
