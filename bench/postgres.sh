# A throwaway PostgreSQL cluster for a benchmark, as the tests make one (initdb, a Unix socket
# in a temporary folder, no TCP). Sourced: start_postgres DB… sets PGDIR and PGBIN and creates
# each database; stop_postgres removes it all.
start_postgres() {
  PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [[ -x "$PGBIN/initdb" ]] || { echo "bench: PostgreSQL server not installed (scripts/install-deps.sh)"; exit 1; }
  PGDIR="$(mktemp -d /tmp/dramaloc-pgb-XXXXXX)"
  [[ "$(id -u)" == 0 ]] && chown postgres:postgres "$PGDIR"
  as_pg "$PGBIN/initdb" -D "$PGDIR/data" -U dramaloc -A trust -E UTF8 --no-sync >/dev/null
  as_pg "$PGBIN/postgres" -D "$PGDIR/data" -k "$PGDIR" -c listen_addresses= -c max_connections=50 >"$PGDIR/log" 2>&1 &
  for _ in $(seq 100); do "$PGBIN/pg_isready" -q -h "$PGDIR" && break; sleep 0.1; done
  for db in "$@"; do "$PGBIN/createdb" -h "$PGDIR" -U dramaloc "$db"; done
}
as_pg() { if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_postgres() {
  [[ -f "$PGDIR/data/postmaster.pid" ]] && kill -QUIT "$(head -1 "$PGDIR/data/postmaster.pid")" 2>/dev/null || true
  sleep 0.5; rm -rf "$PGDIR"
}
