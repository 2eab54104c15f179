#!/usr/bin/env bash
# `make mutate`: mutation testing (mutmut, pinned in pyproject's dev extras) of the modules whose
# mistakes would hurt children or data most, each with the tests that cover it. Slow (tens of
# minutes on two cores), so it is not part of `make test` or CI. The figures and the reasons the
# surviving mutants are harmless are in docs/SECURITY.md ("Mutation testing").
#
#   scripts/mutate.sh [GROUP...]   groups: workingdays suppression publication access clocks
#                                  audit imports (default: all)
#
# mutmut works in a copy of the working tree (a temporary folder, removed afterwards) so that
# nothing of it is left in the repository. Tests that need a database reuse one SQLite test
# database file (SRH_TEST_DB_FILE with pytest --reuse-db) instead of migrating for every mutant.
# Prints, per group: mutants made, killed, survived, timed out, and each survivor's diff.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MUTMUT=$ROOT/.venv/bin/mutmut
[[ -x $MUTMUT ]] || { echo "mutate: mutmut is not installed (make install)" >&2; exit 1; }

declare -A MODULES TESTS
MODULES[workingdays]="safeguarding/core/workingdays.py"
TESTS[workingdays]="safeguarding/core/tests/test_workingdays.py"
MODULES[suppression]="safeguarding/reports/suppression.py"
TESTS[suppression]="safeguarding/reports/tests/test_suppression.py"
MODULES[publication]="safeguarding/reports/publication.py safeguarding/reports/identifying/*.py"
TESTS[publication]="safeguarding/reports/tests/test_publication.py safeguarding/reports/tests/test_publication_regressions.py safeguarding/reports/tests/test_possible_names.py"
MODULES[access]="safeguarding/accounts/access/*.py"
TESTS[access]="safeguarding/reviews/tests/test_access.py safeguarding/learning/tests/test_access.py safeguarding/api/tests/test_scoping.py safeguarding/reports/tests/test_report_access.py safeguarding/escalations/tests/test_pages.py safeguarding/dissemination/tests/test_pages.py safeguarding/dissemination/tests/test_assurance.py safeguarding/actionplans/tests/test_pages.py"
MODULES[clocks]="safeguarding/core/clocks.py"
TESTS[clocks]="safeguarding/core/tests/test_clocks.py"
MODULES[audit]="safeguarding/audit/services.py safeguarding/audit/denials.py"
TESTS[audit]="safeguarding/audit/tests/test_denied.py safeguarding/audit/tests/test_append_only.py safeguarding/audit/tests/test_write_coverage.py"
MODULES[imports]="safeguarding/imports/writers.py safeguarding/imports/services.py"
TESTS[imports]="safeguarding/imports/tests/test_importer.py"

groups=("$@")
[[ ${#groups[@]} -gt 0 ]] || groups=(workingdays suppression publication access clocks audit imports)

work=$(mktemp -d "${TMPDIR:-/tmp}/srh-mutate.XXXXXX")
trap 'rm -rf "$work"' EXIT
export SRH_ENVIRONMENT=test

quoted() { local out="" x; for x in "$@"; do out+="\"$x\", "; done; echo "[${out%, }]"; }

for group in "${groups[@]}"; do
    [[ -n ${MODULES[$group]:-} ]] || { echo "mutate: no group '$group'" >&2; exit 2; }
    copy=$work/$group
    mkdir -p "$copy"
    git ls-files -z --cached --others --exclude-standard | (cd "$ROOT" && xargs -0 cp --parents -t "$copy")
    ln -s "$ROOT/node_modules" "$copy/node_modules"
    # shellcheck disable=SC2206 # the globs are meant to expand, in the copy
    modules=($(cd "$copy" && echo ${MODULES[$group]}))
    tests=(${TESTS[$group]})
    cat >>"$copy/pyproject.toml" <<EOF

[tool.mutmut]
source_paths = ["safeguarding"]
only_mutate = $(quoted "${modules[@]}")
pytest_add_cli_args_test_selection = $(quoted "${tests[@]}")
pytest_add_cli_args = ["-p", "no:cacheprovider", "-q", "-x", "--reuse-db", "-m", "not browser"]
also_copy = ["manage.py", "conftest.py"]
EOF
    echo "== $group: ${modules[*]}"
    (cd "$copy" && SRH_TEST_DB_FILE="$copy/test-db.sqlite3" "$MUTMUT" run --max-children "${SRH_MUTATE_CHILDREN:-2}" >"$copy/run.log" 2>&1) ||
        { echo "mutate: mutmut failed for $group:"; tr '\r' '\n' <"$copy/run.log" | grep -v '^⠋\|^⠙\|^⠹\|^⠸\|^⠼\|^⠴\|^⠦\|^⠧\|^⠇\|^⠏' | tail -n 30; continue; }
    (cd "$copy" && "$MUTMUT" results --all true >"$copy/results.txt" 2>&1) || true
    made=$(grep -c ": " "$copy/results.txt" || true)
    killed=$(grep -c ": killed" "$copy/results.txt" || true)
    survived=$(grep -c ": survived" "$copy/results.txt" || true)
    timeout=$(grep -c ": timeout" "$copy/results.txt" || true)
    other=$((made - killed - survived - timeout))
    echo "mutate $group: made $made, killed $killed, survived $survived, timed out $timeout, other $other"
    grep ": survived" "$copy/results.txt" | awk -F: '{print $1}' | while read -r name; do
        echo "-- survived: $name"
        (cd "$copy" && "$MUTMUT" show "$name" 2>/dev/null | grep '^[-+][^-+]' || true)
    done
done
