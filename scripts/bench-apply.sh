#!/usr/bin/env bash
# Apply benchmark on a local real API server (its own, on a free port): a generated environment of N
# Data Manager namespaces (default 300), measured for a cold apply, a no-op apply and a one-namespace
# change; then kubectl apply --server-side of the same rendered objects (into a parallel set of
# namespaces on the same server) for comparison. Prints time and requests (reads/writes) per step.
set -euo pipefail
n="${1:-300}"
home="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
work="$(mktemp -d)"
cluster_dir="$work/cluster"
cleanup() { "$home/scripts/local-cluster.sh" stop --dir "$cluster_dir" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
bins="$("$home/scripts/kube-binaries.sh" | tail -n 1)/k8s/1.20.2-linux-amd64"
kubeconfig="$("$home/scripts/local-cluster.sh" start --dir "$cluster_dir" --port 0 2>/dev/null | tail -n 1)"
kubectl=("$bins/kubectl" --kubeconfig "$kubeconfig")

cp -r "$home/templates" "$home/crds" "$home/rbac" "$work/"
mkdir -p "$work/environments"
write_env() { # name prefix cost-of-namespace-1
  {
    echo "applications:"
    echo "  jupyter-operator:"
    echo "    values: {jo_image_tag: 33.0.0, jo_namespace: $2-operator}"
    echo "    namespaces:"
    echo "      $2-1: {jo_cost_cost: '$3'}"
    for i in $(seq 2 "$n"); do echo "      $2-$i: {}"; done
  } > "$work/environments/$1.yaml"
}
write_env bench dm 1.00
write_env kubectl k 1.00
{
  for p in dm k; do for i in $(seq 1 "$n"); do
    printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: %s-%s}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: data-manager, namespace: %s-%s}\n---\n' "$p" "$i" "$p" "$i"
  done; done
} > "$work/namespaces.yaml"
"${kubectl[@]}" apply -f "$work/namespaces.yaml" >/dev/null
"$home/bin/reconciler" --version >/dev/null

reconcile() { # label
  "$home/bin/reconciler" apply --repo "$work" --env bench --kubeconfig "$kubeconfig" -o json ${APPLY_ARGS:-} | python3 -c '
import json, sys
r = json.load(sys.stdin); q = r["requests"]
writes = sum(v for k, v in q.items() if k in ("POST", "PUT", "PATCH", "DELETE"))
print("%-32s %6d ms  %5d reads  %5d writes  %s" % (sys.argv[1], r["durationMillis"], q.get("GET", 0), writes, r["total"]))' "$1"
}
kubectl_apply() { # label file
  local start end log
  log="$work/kubectl.log"
  start=$(date +%s%N)
  "${kubectl[@]}" apply --server-side --force-conflicts --field-manager=kubectl-bench -f "$2" -v=6 >/dev/null 2>"$log"
  end=$(date +%s%N)
  printf '%-32s %6d ms  %5d reads  %5d writes\n' "$1" $(( (end - start) / 1000000 )) \
    "$(grep -c '"GET https\| GET https' "$log" || true)" "$(grep -cE '(PATCH|POST|PUT|DELETE) https' "$log" || true)"
}

echo "environment: $n Data Manager namespaces, $((6 + 3 * n)) objects"
echo "--- dm-reconciler (time includes planning; JVM start-up excluded)"
reconcile "cold apply"
reconcile "no-op apply"
write_env bench dm 2.00
reconcile "one-namespace change"
echo "--- kubectl apply --server-side (whole process)"
"$home/bin/reconciler" render --repo "$work" --env kubectl > "$work/kubectl.yaml"
kubectl_apply "cold apply" "$work/kubectl.yaml"
kubectl_apply "no-op apply" "$work/kubectl.yaml"
write_env kubectl k 2.00
"$home/bin/reconciler" render --repo "$work" --env kubectl > "$work/kubectl.yaml"
kubectl_apply "one-namespace change" "$work/kubectl.yaml"
