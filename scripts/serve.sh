#!/usr/bin/env bash
# `make serve`: the production server. gunicorn serves the app on SRH_BIND with SRH_WORKERS
# processes, and `manage.py db_worker` runs the task queue (report generation, large imports)
# beside it; both stop together. Refuses to start unless SRH_ENVIRONMENT=production and the
# production settings pass Django's deployment checks. Collects static files first (production
# serves them through WhiteNoise from a hashed manifest). Does not migrate: run
# `manage.py migrate` before starting a new version (docs/DEPLOY.md).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

say() { echo "serve: $*" >&2; }

if [[ ${SRH_ENVIRONMENT:-} != production ]]; then
    say "refusing to start: SRH_ENVIRONMENT must be 'production' (it is '${SRH_ENVIRONMENT:-unset}')."
    say "For the demo use 'make demo'. docs/DEPLOY.md lists the production settings."
    exit 2
fi
export SRH_TASK_QUEUE=database
BIND=${SRH_BIND:-127.0.0.1:8000}
WORKERS=${SRH_WORKERS:-2}
[[ $WORKERS =~ ^[1-9][0-9]*$ ]] || { say "SRH_WORKERS=$WORKERS is not a whole number of 1 or more"; exit 2; }

# The settings refuse a bad value by name; --deploy adds Django's own production checks.
"$PY" manage.py check --deploy --fail-level WARNING
"$PY" manage.py collectstatic --noinput --verbosity 0

pids=()
stop() {
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

"$PY" manage.py db_worker &
pids+=($!)
# --forwarded-allow-ips: the TLS proxy in front sets X-Forwarded-Proto (see docs/DEPLOY.md).
.venv/bin/gunicorn safeguarding.wsgi:application --bind "$BIND" --workers "$WORKERS" \
    --access-logfile - --forwarded-allow-ips "${SRH_FORWARDED_ALLOW_IPS:-127.0.0.1}" \
    --graceful-timeout 20 --timeout "${SRH_REQUEST_TIMEOUT:-60}" &
pids+=($!)
say "serving on http://$BIND with $WORKERS workers and the task worker (pids ${pids[*]})"
# Whichever stops first stops the other.
wait -n
