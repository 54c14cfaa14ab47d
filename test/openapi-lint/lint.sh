#!/bin/sh
# Lints the OpenAPI description given as $1 with the @redocly/cli pinned in
# package-lock.json (node_modules from `npm ci`, which scripts/test runs),
# under the rules of redocly.yaml and the accepted problems of
# .redocly.lint-ignore.yaml.  Any problem fails, and so does a missing node
# or node_modules: the lint must never be skipped without a trace.
set -eu

here=$(cd "$(dirname "$0")" && pwd -P)
document=$1
cli=$here/node_modules/@redocly/cli/bin/cli.js

if ! command -v node >/dev/null 2>&1; then
	echo "openapi lint: node is missing; install nodejs (scripts/test does)" >&2
	exit 1
fi
if [ ! -f "$cli" ]; then
	echo "openapi lint: @redocly/cli is missing; run npm ci in $here (scripts/test does)" >&2
	exit 1
fi

# No telemetry and no update check: the lint reads only local files.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
cd "$here"
exec node "$cli" lint --config redocly.yaml --format=stylish "$document"
