#!/bin/sh
# Runs the scanner benchmark (layer throughput vs gzip|tar, a >= 500 MB layer streamed from a
# real registry with peak RSS, a whole ScanJob, matching 1,000 packages against 50,000 records)
# and writes its JSON report. Needs docker-registry and skopeo; about 2 GB of free disk.
#
#   tests/scanner/bench/run-scan-bench.sh BUILD_DIR [REPORT.json] [SIZE_MB]
set -eu
build=${1:?usage: run-scan-bench.sh BUILD_DIR [REPORT.json] [SIZE_MB]}
report=${2:-scan-bench.json}
size=${3:-500}
ninja -C "$build" -j2 wharf-scan-bench-registry wharf-scan-bench-layer wharf-scan-bench-match
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$build/tests/scanner/wharf-scan-bench-registry" --layer "$work/layer.tar.gz" --size-mb "$size" \
  > "$report"
cat "$report"
