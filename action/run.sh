#!/usr/bin/env bash
# The step behind action.yml: install genai-hooks, refuse shallow clones, check the pull request's
# changes (or the whole repository), and from that one run annotate, summarise, write SARIF, and set
# `errors`/`warnings`.
#
# Inputs arrive as environment variables (never interpolated into this script):
#   GENAI_HOOKS_PATHS          paths to check, one per line (empty: the diff, or everything)
#   GENAI_HOOKS_SARIF_FILE     also write SARIF here; relative paths are relative to $GITHUB_WORKSPACE
#   GENAI_HOOKS_SKIP_INSTALL   "true": use the genai-hooks already on PATH instead of installing
#                              the action's own checkout (self-hosted runners, containers, tests)
# and the runner's own: GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
# GITHUB_WORKSPACE, GITHUB_ACTION_PATH, RUNNER_TEMP.
set -euo pipefail

# workflow-command data escaping, as the runner unescapes it
escape_data() {
  local value="$1"
  value="${value//'%'/%25}"
  value="${value//$'\r'/%0D}"
  value="${value//$'\n'/%0A}"
  printf '%s' "$value"
}

annotate_error() {
  printf '::error title=genai-hooks::%s\n' "$(escape_data "$1")"
}

fail() {
  annotate_error "$1"
  printf 'genai-hooks: %s\n' "$1" >&2
  exit 2
}

scratch="$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/genai-hooks.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

# --- install -----------------------------------------------------------------------------------
if [ "${GENAI_HOOKS_SKIP_INSTALL:-}" = "true" ]; then
  genai_hooks="$(command -v genai-hooks)" ||
    fail "GENAI_HOOKS_SKIP_INSTALL=true but no genai-hooks on PATH; install it first or unset the variable"
  python="$(command -v python3 || command -v python)" || fail "no python3 on PATH"
else
  [ -n "${GITHUB_ACTION_PATH:-}" ] || fail "GITHUB_ACTION_PATH is not set; run this script from action.yml"
  base_python="$(command -v python3 || command -v python)" ||
    fail "no python3 on PATH; set the action's python-version input"
  venv="${RUNNER_TEMP:-$scratch}/genai-hooks-venv"
  echo "::group::Install genai-hooks from $GITHUB_ACTION_PATH"
  "$base_python" -m venv "$venv" ||
    fail "$base_python -m venv failed; set the action's python-version input (actions/setup-python)"
  bin="$venv/bin"
  [ -d "$bin" ] || bin="$venv/Scripts" # Windows runners
  "$bin/python" -m pip install --quiet --disable-pip-version-check "$GITHUB_ACTION_PATH" ||
    fail "could not install genai-hooks from $GITHUB_ACTION_PATH (see the pip output above)"
  echo "::endgroup::"
  genai_hooks="$bin/genai-hooks"
  python="$bin/python"
fi

# --- the clone must show what is judged ----------------------------------------------------------
shallow="$(git rev-parse --is-shallow-repository 2>/dev/null)" ||
  fail "$(pwd) is not inside a Git repository; check out the repository with actions/checkout first"
if [ "$shallow" = "true" ]; then
  fail "this is a shallow clone: genai-hooks needs the history to find what a pull request changed. \
Check out with fetch-depth: 0 (uses: actions/checkout@v4, with: fetch-depth: 0, lfs: true)."
fi

lfs_objects="$(git rev-parse --git-common-dir)/lfs/objects"
if git grep -q -e 'filter=lfs' HEAD -- ':(glob)**/.gitattributes' 2>/dev/null && [ ! -d "$lfs_objects" ]; then
  echo "::warning title=genai-hooks::This repository uses Git LFS but no LFS objects were fetched, so media content \
cannot be inspected (GAI303). Check out with lfs: true."
fi

# --- what to check --------------------------------------------------------------------------------
args=(run --rev HEAD)
case "${GITHUB_EVENT_NAME:-}" in
  pull_request | merge_group)
    [ -f "${GITHUB_EVENT_PATH:-}" ] || fail "GITHUB_EVENT_PATH does not name the event payload file"
    base="$("$python" - "$GITHUB_EVENT_PATH" <<'PY'
import json
import sys

with open(sys.argv[1], encoding="utf-8") as payload_file:
    payload = json.load(payload_file)
if "merge_group" in payload:
    print(payload["merge_group"].get("base_sha") or "")
else:
    print(((payload.get("pull_request") or {}).get("base") or {}).get("sha") or "")
PY
)" || fail "cannot read the event payload $GITHUB_EVENT_PATH"
    [ -n "$base" ] || fail "the $GITHUB_EVENT_NAME event payload names no base commit"
    args+=(--diff "$base")
    ;;
esac

paths=()
while IFS= read -r path || [ -n "$path" ]; do
  path="${path%$'\r'}"
  [ -n "$path" ] && paths+=("$path")
done <<<"${GENAI_HOOKS_PATHS:-}"

# "${paths[@]}" with set -u needs bash 4.4; this form works on macOS's bash 3.2 too
run() {
  "$genai_hooks" "${args[@]}" "$@" ${paths[@]+"${paths[@]}"}
}

# --- one run: annotations and the step summary, the counts, and SARIF for code scanning -----------
outputs=(--output-format "json=$scratch/result.json")
sarif=""
if [ -n "${GENAI_HOOKS_SARIF_FILE:-}" ]; then
  sarif="$GENAI_HOOKS_SARIF_FILE"
  case "$sarif" in
    /* | [A-Za-z]:[\\/]*) ;;
    *) sarif="${GITHUB_WORKSPACE:-$(pwd)}/$sarif" ;;
  esac
  mkdir -p "$(dirname "$sarif")" || fail "cannot create the directory of the SARIF file $sarif"
  outputs+=(--output-format "sarif=$sarif")
fi

echo "genai-hooks ${args[*]}${paths[*]+ ${paths[*]}}"
status=0
run --format github "${outputs[@]}" 2>"$scratch/stderr" || status=$?
cat "$scratch/stderr" >&2
if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
  # genai-hooks already said why on stderr; repeat its last line where the pull request shows it
  message="$(tail -n 1 "$scratch/stderr")"
  message="${message#genai-hooks: }"
  annotate_error "${message#error: }"
  exit "$status"
fi

"$python" - "$scratch/result.json" "${GITHUB_OUTPUT:-/dev/null}" <<'PY'
import json
import sys

with open(sys.argv[1], encoding="utf-8") as result_file:
    summary = json.load(result_file)["summary"]
with open(sys.argv[2], "a", encoding="utf-8") as outputs:
    outputs.write(f"errors={summary['errors']}\nwarnings={summary['warnings']}\n")
PY

if [ -n "$sarif" ]; then
  echo "sarif-file=$sarif" >>"${GITHUB_OUTPUT:-/dev/null}"
  echo "SARIF written to $sarif"
fi

exit "$status"
