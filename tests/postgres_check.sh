#!/usr/bin/env bash
# The web workplace's tests against a real PostgreSQL server, started here for the run and stopped after it:
#
#     tests/postgres_check.sh WORK_FOLDER
#
# Debian's `postgresql` package (initdb, pg_ctl), a throw-away cluster in WORK_FOLDER listening on loopback only,
# run as the postgres user when this runs as root (PostgreSQL refuses to run as root). psycopg comes from PyPI
# (the `postgresql` extra). Also serves `score serve --database-url` on it and signs in over HTTP.
set -euo pipefail
work="$(realpath "${1:?a work folder}")"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "PostgreSQL's server programs are not installed (Debian: apt-get install postgresql)" >&2
  exit 3
fi
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
mkdir -p "$work"
# The cluster lies in a folder of its own under the system's temporary folder, which the postgres user can reach
# whatever the modes of the folders above WORK_FOLDER (mktemp -d makes them private).
cluster="$(mktemp -d "${TMPDIR:-/tmp}/score-postgres.XXXXXX")"
chmod 755 "$cluster"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$cluster"; fi
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_owner "$bin/initdb" -D "$cluster/data" -U score --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
as_owner "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$cluster" start >/dev/null
trap 'as_owner "$bin/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null; rm -rf "$cluster"' EXIT
as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U score score
url="postgresql://score@127.0.0.1:$port/score"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

SCORE_TEST_DATABASE_URL="$url" python -m pytest -q -p no:cacheprovider \
  tests/test_web_journeys.py tests/test_web_access.py

# The command line and a standard WSGI server on the same database: an account made by `score accounts add`,
# the application served by waitress-serve (scorer.web.wsgi, set up from the environment), its sign-in page.
data="$work/pg-data"
echo "Spring-review-2024" | SCORE_DATABASE_URL="$url" python -m scorer accounts add --data "$data" \
  --role bureau --login pgchief --password-stdin >/dev/null
web_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
SCORE_DATA="$data" SCORE_DATABASE_URL="$url" waitress-serve --listen "127.0.0.1:$web_port" \
  scorer.web.wsgi:application 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do
  if python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$web_port/login/', timeout=2)" 2>/dev/null; then
    break
  fi
  sleep 0.2
done
python3 -c "import urllib.request; page = urllib.request.urlopen('http://127.0.0.1:$web_port/login/').read().decode(); assert '登录' in page"
kill "$server"
wait "$server" || true
echo "waitress-serve scorer.web.wsgi:application on PostgreSQL: the sign-in page answered"
