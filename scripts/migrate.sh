#!/bin/sh
# Apply sql/NNNN_*.sql migrations in order, each in one transaction,
# recording it in public.schema_migration.  Usage: migrate.sh CONNINFO
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DB=${1:?usage: migrate.sh CONNINFO}

psql_db() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

psql_db -c "CREATE TABLE IF NOT EXISTS public.schema_migration (
	name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
applied=$(psql_db -tA -c "SELECT name FROM public.schema_migration")
for f in "$ROOT"/sql/[0-9][0-9][0-9][0-9]_*.sql; do
	name=$(basename "$f")
	if printf '%s\n' "$applied" | grep -qx "$name"; then
		continue
	fi
	echo "migrate: $name"
	# The file and its record commit together, or not at all.
	{ cat "$f"; echo
	  echo "INSERT INTO public.schema_migration (name) VALUES (:'name');"
	} | psql_db --single-transaction -v name="$name" -f -
done
