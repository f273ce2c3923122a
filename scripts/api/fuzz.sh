#!/usr/bin/env bash
# Fuzzes the live JSON API with Schemathesis (pinned) from the served /openapi.json: serves Epsom
# on a temporary SQLite file and a free loopback port, signs up with curl for bearer tokens, seeds
# a trial, a dose, a diary day and a clinician's registered study (offered to the fuzzer beside
# random ids, dates and codes), then runs positive and negative data through every phase with the
# checks not_a_server_error, status_code_conformance, content_type_conformance,
# response_schema_conformance and negative_data_rejection. DELETE /api/v1/sessions and DELETE
# /api/v1/account end their token, so each gets a pass of its own with its own account; the
# study routes get one with the clinician's token (the main pass, a patient's, reaches the
# invitee's routes and is refused the investigator's). Exits non-zero on any failure or any 5xx
# in the server log; output, JUnit reports and the server log are kept in test-output/fuzz/.
# Usage: scripts/api/fuzz.sh .build/debug/epsom
#   FUZZ_MAX_EXAMPLES (default 25); FUZZ_SEED (default 1, so CI repeats itself; pass another seed
#   to explore, and the same seed to replay what it found).
set -euo pipefail
shopt -s inherit_errexit
binary=${1:?path to the epsom binary}
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
cd "$(dirname "$0")/../.."
version=4.32.5
venv=test-output/venv-schemathesis
if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -qF "version $version"; then
    mkdir -p test-output
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis==$version"
fi
schemathesis=$PWD/$venv/bin/schemathesis
out=$PWD/test-output/fuzz
rm -rf "$out"
mkdir -p "$out"

dir=$(mktemp -d /tmp/epsom-fuzz.XXXXXX)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
"$binary" serve --host 127.0.0.1 --port "$port" --database "sqlite:$dir/epsom.sqlite" >"$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; cp "$dir/server.log" "$out/server.log" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 1 100); do
    curl -sf "$base/readyz" >/dev/null && break
    sleep 0.1
done
curl -sf "$base/readyz" >/dev/null || { echo "fuzz: the server did not become ready" >&2; cat "$dir/server.log" >&2; exit 1; }

# POST JSON; prints the response's FIELD. Fails on any non-2xx.
post() { # PATH JSON FIELD [TOKEN]
    curl -sf -X POST "$base$1" -H 'Content-Type: application/json' ${4:+-H "Authorization: Bearer $4"} -d "$2" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$3"
}
# A new account; prints "ACCOUNT_ID TOKEN".
account() { # NAME [ROLE]
    local email="$1-$RANDOM$RANDOM@example.com" password=fuzz-password-1 id token
    id=$(post /api/v1/accounts \
        "{\"email\":\"$email\",\"password\":\"$password\",\"name\":\"$1\",\"time_zone\":\"UTC\",\"role\":\"${2:-patient}\"}" id)
    token=$(post /api/v1/sessions "{\"email\":\"$email\",\"password\":\"$password\"}" token)
    echo "$id $token"
}
# Every token is made before fuzzing starts: fuzzed sign-ins soon reach the per-address limit.
creds=$(account fuzz)
read -r account_id token <<<"$creds"
creds=$(account fuzz-sessions)
read -r _ token_sessions <<<"$creds"
creds=$(account fuzz-account)
read -r _ token_account <<<"$creds"
creds=$(account fuzz-investigator clinician)
read -r _ token_investigator <<<"$creds"

today=$(date -u +%F)
yesterday=$(date -u -d yesterday +%F)
trial_id=$(post /api/v1/trials '{"template":"cream-vs-none","title":"Fuzz"}' id "$token")
dose_id=$(post /api/v1/doses "{\"taken_at\":\"${today}T08:00:00Z\",\"product\":\"Fuzz\",\"route\":\"oral\",\"amount\":1,\"unit\":\"g\",\"elemental_mg\":100}" id "$token")
curl -sf -X PUT "$base/api/v1/diary/$yesterday" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"pain":3}' >/dev/null
curl -sf -X PUT "$base/api/v1/trials/$trial_id/days/$today" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"adherence":"yes"}' >/dev/null
study_id=$(post /api/v1/studies "{\"title\":\"Fuzz\",\"question\":\"Does it?\",\"condition\":\"pain\",\"eligibility\":\"Adults\",
    \"screening\":[{\"text\":\"Kidney disease?\",\"excluding_answer\":true}],\"information_sheet\":\"Two creams.\",
    \"consent_text\":\"I agree.\",\"template\":\"cream-vs-placebo\",\"enrolment_opens\":\"$today\",
    \"enrolment_closes\":\"$(date -u -d '+90 days' +%F)\"}" id "$token_investigator")
study_code=$(post "/api/v1/studies/$study_id/register" '{}' enrolment_code "$token_investigator")

# Real ids and dates are drawn half of the time; the rest stay random (and negative).
cat >"$out/schemathesis.toml" <<EOF
[dictionaries.trial]
values = ["$trial_id"]
[dictionaries.dose]
values = ["$dose_id"]
[dictionaries.date]
values = ["$today", "$yesterday"]
[dictionaries.me]
values = ["$account_id"]
[dictionaries.study]
values = ["$study_id"]
[dictionaries.code]
values = ["$study_code"]

[parameters]
"path.date" = { dictionary = "date", probability = 0.5 }
"query.patient" = { dictionary = "me", probability = 0.5 }

[[operations]]
include-path-regex = "^/api/v1/trials/"
parameters = { "path.id" = { dictionary = "trial", probability = 0.5 }, "path.date" = { dictionary = "date", probability = 0.5 } }

[[operations]]
include-path-regex = "^/api/v1/doses/"
parameters = { "path.id" = { dictionary = "dose", probability = 0.5 } }

[[operations]]
include-path-regex = "^/api/v1/studies/"
parameters = { "path.id" = { dictionary = "study", probability = 0.5 } }

[[operations]]
include-path-regex = "^/api/v1/join/"
parameters = { "path.code" = { dictionary = "code", probability = 0.5 } }
EOF

seed=${FUZZ_SEED:-1}
# One pass: NAME TOKEN [filters...]. Run in $out so Schemathesis's caches (.hypothesis,
# .schemathesis) stay there; a hard time limit backs --request-timeout up.
status=0
pass() {
    local name=$1 bearer=$2 rc=0
    shift 2
    echo "== schemathesis: $name"
    (cd "$out" && timeout 300 "$schemathesis" --config-file "$out/schemathesis.toml" run "$base/openapi.json" \
        -H "Authorization: Bearer $bearer" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,negative_data_rejection \
        --mode all --max-examples "${FUZZ_MAX_EXAMPLES:-25}" --seed "$seed" --continue-on-failure \
        --workers 1 --request-timeout 10 --generation-database none --no-color \
        --report junit --report-junit-path "$out/junit-$name.xml" "$@") 2>&1 | tee "$out/$name.txt" || rc=$?
    [ "$rc" = 0 ] || { echo "== schemathesis: $name failed (exit $rc)"; status=1; }
}
pass main "$token" --exclude-name 'DELETE /api/v1/sessions' --exclude-name 'DELETE /api/v1/account'
pass delete-session "$token_sessions" --include-name 'DELETE /api/v1/sessions'
pass delete-account "$token_account" --include-name 'DELETE /api/v1/account'
pass studies "$token_investigator" --include-path-regex '^/api/v1/studies'
echo "== schemathesis summary (seed $seed; main, delete-session, delete-account, studies)"
grep -h '^=\+ .* in [0-9.]*s =\+$' "$out"/main.txt "$out"/delete-session.txt "$out"/delete-account.txt "$out"/studies.txt || true
curl -sf "$base/readyz" >/dev/null || { echo "fuzz: the server stopped answering during the run" >&2; status=1; }
if grep -q ' status=5[0-9][0-9] ' "$dir/server.log"; then
    echo "fuzz: the server answered 5xx:" >&2
    grep ' status=5[0-9][0-9] ' "$dir/server.log" | head -20 >&2
    status=1
fi
exit $status
