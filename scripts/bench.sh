#!/usr/bin/env bash
# The benchmark: dm-reconciler vs kubectl apply --server-side (serial and split 8-way) on a local real API
# server, cold apply / no-op / one namespace changed, whole processes, with the API server's own CPU seconds
# and the reconciler's peak RSS. Usage: scripts/bench.sh [NAMESPACES ...]   (default 300; e.g. 300 3000)
# Progress on stderr, a Markdown table on stdout (paste it into BENCHMARKS.md). See scripts/bench.py.
set -euo pipefail
home="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
command -v python3 >/dev/null || { echo "bench: python3 is needed" >&2; exit 2; }
exec python3 "$home/scripts/bench.py" "$@"
