#!/usr/bin/env bash
# Render benchmark: a generated native environment with N Data Manager namespaces (default 1000),
# rendered by the real CLI. Prints objects, wall time and objects/second, JVM start-up (~0.9 s)
# included: use a large N to see steady throughput.
set -euo pipefail
n="${1:-1000}"
home="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$home/templates" "$home/crds" "$home/rbac" "$work/"
mkdir -p "$work/environments"
{
  echo "applications:"
  echo "  jupyter-operator:"
  echo "    values: {jo_image_tag: 33.0.0}"
  echo "    namespaces:"
  for i in $(seq 1 "$n"); do echo "      dm-$i: {jo_cost_cost: '$i.00'}"; done
} > "$work/environments/big.yaml"
"$home/bin/reconciler" --version >/dev/null   # build outside the timing
for run in 1 2 3; do
  start=$(date +%s%N)
  objects=$("$home/bin/reconciler" render --repo "$work" --env big | grep -c '^kind: ')
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  echo "run $run: $n namespaces, $objects objects in ${ms} ms = $(( objects * 1000 / (ms > 0 ? ms : 1) )) objects/s (JVM start included)"
done
