#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on loopback, for the database tests:
# exports BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING (read by
# @backstage/backend-test-utils' TestDatabases) and stops the server when the command ends.
# Set PRIVATE_API_SKIP_POSTGRES=1 to run the command without it (SQLite only).
set -euo pipefail

if [ "${PRIVATE_API_SKIP_POSTGRES:-}" = 1 ]; then
  exec "$@"
fi

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pgbin" ] && command -v pg_ctl >/dev/null 2>&1; then
  pgbin=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
fi
if [ -z "$pgbin" ]; then
  echo "with-postgres: no PostgreSQL server found (install Debian's postgresql, or set PRIVATE_API_SKIP_POSTGRES=1)" >&2
  exit 1
fi
major=$("$pgbin/postgres" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)?.*/\1/')

dir=$(mktemp -d /tmp/private-api-pg.XXXXXX)
port=$((20000 + RANDOM % 20000))
# PostgreSQL refuses to run as root: run it as the postgres user when we are root.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi

stop() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as_pg[@]}" "$pgbin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
  { cat "$dir/server.log" >&2; exit 1; }

export "BACKSTAGE_TEST_DATABASE_POSTGRES${major}_CONNECTION_STRING=postgresql://postgres@127.0.0.1:${port}"
export PRIVATE_API_TEST_POSTGRES="POSTGRES_${major}"
echo "with-postgres: PostgreSQL ${major} on 127.0.0.1:${port}"
"$@"
