#!/usr/bin/env bash
# Regenerates src/importers/proto/generated/ from the vendored OpenTelemetry .proto files
# (src/importers/proto/opentelemetry/**, see src/importers/proto/README.md) with buf and
# protoc-gen-es, both installed from npm as dev dependencies. The output is committed, so the
# build never needs this script; run it (`npm run gen:proto`) after updating the .proto files.
set -euo pipefail
cd "$(dirname "$0")/.."
PROTO_DIR=src/importers/proto
OUT_DIR="$PROTO_DIR/generated"
BIN="$PWD/node_modules/.bin"
rm -rf "$OUT_DIR"
# buf.gen.yaml in the proto folder names the plugin and its options; inputs are every .proto
# under the folder (common, resource, trace).
(cd "$PROTO_DIR" && PATH="$BIN:$PATH" "$BIN/buf" generate --template buf.gen.yaml .)
echo "generated: $(find "$OUT_DIR" -name '*.ts' | sort | tr '\n' ' ')"
