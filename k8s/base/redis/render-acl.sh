#!/bin/sh
# Renders the Redis ACL file: every `user <name> ...` line of the template (users.acl) gets the SHA-256 hash of that
# user's password appended (`#<hex>`), read from the file <name> in $REDIS_PASSWORD_DIR (k8s: Secret arb-redis mounted
# as files) or, without it, from $REDIS_<NAME>_PASSWORD (docker-compose: .env). The `default` user stays as written
# (off, no password). A missing or empty password stops start-up. Passwords never reach a command line or a log.
#   render-acl.sh <template> <output> [-- command to exec afterwards ...]
set -eu
template=$1
out=$2
shift 2
umask 077
tmp="$out.tmp"
: >"$tmp"
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
  'user default '*) printf '%s\n' "$line" >>"$tmp" ;;
  'user '*)
    name=${line#user }
    name=${name%% *}
    if [ -n "${REDIS_PASSWORD_DIR:-}" ]; then
      [ -r "$REDIS_PASSWORD_DIR/$name" ] || { echo "render-acl: no password file for Redis user $name in $REDIS_PASSWORD_DIR" >&2; exit 1; }
      password=$(cat "$REDIS_PASSWORD_DIR/$name")
    else
      var="REDIS_$(printf '%s' "$name" | tr 'a-z-' 'A-Z_')_PASSWORD"
      password=$(printenv "$var" || true)
    fi
    [ -n "$password" ] || { echo "render-acl: empty password for Redis user $name" >&2; exit 1; }
    hash=$(printf '%s' "$password" | sha256sum | cut -d ' ' -f 1)
    printf '%s #%s\n' "$line" "$hash" >>"$tmp"
    ;;
  *) ;; # blank lines and comments: an ACL file has user lines only
  esac
done <"$template"
mv "$tmp" "$out"
echo "render-acl: $(grep -c '^user ' "$out") users written to $out"
if [ "${1:-}" = "--" ]; then
  shift
  exec "$@"
fi
