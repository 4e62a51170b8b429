#!/usr/bin/env bash
# The event-driven `run` at N Data Manager namespaces (default 300), on a local real API server of its own
# (free port, own directory): after the first pass and the watch cache being current it measures
#   - API requests during unchanged resyncs (dmr_api_requests_total of /metrics; the resync is RESYNC, default 10s),
#   - the reconciler's RSS and its live heap after a full GC,
#   - drift repair: a Deployment's replicas changed by another field manager (kubectl patch), and a deleted
#     ConfigMap, each from the moment kubectl returned until `kubectl get -w` shows it repaired,
#   - webhook latency: a commit, then a signed POST /hooks/git, until the changed ConfigMap carries the new hash
#     (WEBHOOKS times, default 5, each a new commit; the median is printed too), and the reconciler's own CPU
#     seconds over each of those passes (user + sys of the process, /proc/<pid>/stat).
# Each line names the load average at the time. Nothing here is asserted: it reports.
# BENCH_RECONCILER=/other/checkout/bin/reconciler measures another build; RECONCILER_JAVA_OPTS goes to its JVM.
# RUN_LOG=FILE keeps the reconciler's log. PROFILE=DIR records a JFR profile of the webhook passes into DIR/webhook.jfr; with -XX:NativeMemoryTracking=summary
# in RECONCILER_JAVA_OPTS (appended to run's options) the native memory summary is printed next to the RSS, and
# again at the end. It also prints the first pass's CPU, the RSS's anonymous and file-backed parts and the threads.
set -euo pipefail
n="${1:-300}"
resync="${RESYNC:-10s}"
home="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
work="$(mktemp -d)"
cluster_dir="$work/cluster"
pid=""
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  "$home/scripts/local-cluster.sh" stop --dir "$cluster_dir" >/dev/null 2>&1 || true
  if [[ -n "${RUN_LOG:-}" && -e "$work/run.log" ]]; then cp "$work/run.log" "$RUN_LOG"; fi # the reconciler's log, kept
  rm -rf "$work"
}
trap cleanup EXIT
bins="$("$home/scripts/kube-binaries.sh" | tail -n 1)/k8s/1.20.2-linux-amd64"
kubeconfig="$("$home/scripts/local-cluster.sh" start --dir "$cluster_dir" --port 0 2>/dev/null | tail -n 1)"
kubectl=("$bins/kubectl" --kubeconfig "$kubeconfig")
load() { cut -d' ' -f1-3 /proc/loadavg; }

repo="$work/repo"
mkdir -p "$repo/environments"
cp -r "$home/templates" "$home/crds" "$home/rbac" "$repo/"
write_env() { # cost of namespace 1
  local i
  {
    echo "cluster: bench"
    echo "applications:"
    echo "  jupyter-operator:"
    echo "    values: {jo_image_tag: 33.0.0, jo_namespace: dm-operator}"
    echo "    namespaces:"
    echo "      dm-1: {jo_cost_cost: '$1'}"
    for i in $(seq 2 "$n"); do echo "      dm-$i: {}"; done
  } > "$repo/environments/bench.yaml"
}
write_env 1.00
git -C "$repo" init -q -b main
git -C "$repo" -c user.name=bench -c user.email=bench@example.org add -A
git -C "$repo" -c user.name=bench -c user.email=bench@example.org commit -q -m "bench: $n namespaces"
for i in $(seq 1 "$n"); do
  printf 'apiVersion: v1\nkind: Namespace\nmetadata: {name: dm-%s}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: data-manager, namespace: dm-%s}\n---\n' "$i" "$i"
done > "$work/namespaces.yaml"
"${kubectl[@]}" apply -f "$work/namespaces.yaml" >/dev/null
printf 'bench-webhook-secret' > "$work/webhook-secret"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
reconciler="${BENCH_RECONCILER:-$home/bin/reconciler}"
"$reconciler" --version >/dev/null # builds once, outside the measurement

"$reconciler" run --repo "$repo" --branch main --cluster bench --interval 1h --resync "$resync" \
  --http-address 127.0.0.1 --http-port "$port" --webhook-secret-file "$work/webhook-secret" \
  --kubeconfig "$kubeconfig" --cache-dir "$work/git-cache" 2> "$work/run.log" &
pid=$!

status() { curl -sf "http://127.0.0.1:$port/status" 2>/dev/null || echo '{}'; }
field() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {"d": d}))' "$1"; }
metric() { curl -sf "http://127.0.0.1:$port/metrics" | python3 -c '
import sys
total = 0
for line in sys.stdin:
    if line.startswith(sys.argv[1]):
        total += float(line.rsplit(" ", 1)[1])
print(int(total))' "$1"; }
by_method() { curl -sf "http://127.0.0.1:$port/metrics" | grep "^dmr_api_requests_total" | sed "s/dmr_api_requests_total{method=\"\([A-Z]*\)\"} /\1=/" | tr "\n" " "; }
wait_for() { # python expression over d (the /status JSON), timeout in s
  local deadline=$(( $(date +%s) + $2 ))
  until [[ "$(status | field "$1" 2>/dev/null)" == "True" ]]; do
    (( $(date +%s) < deadline )) || { echo "timed out waiting for $1" >&2; tail -20 "$work/run.log" >&2; exit 1; }
    sleep 0.5
  done
}

echo "run at $n Data Manager namespaces ($((6 + 3 * n)) objects), resync $resync, 2 cores shared"
wait_for 'd.get("environments", {}).get("bench", {}).get("lastSuccess") is not None' 1800
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; } # user + sys, clock ticks
ticks="$(getconf CLK_TCK)"
echo "first pass: $(grep -o 'ms=[0-9]*\( cpuMs=[0-9]*\)\?' "$work/run.log" | head -1); process CPU so far $(awk -v b="$(cpu)" -v t="$ticks" 'BEGIN {printf "%.1f s", b / t}') (load $(load))"
wait_for 'd["watch"]["types"] > 0 and d["watch"]["types"] == d["watch"]["current"]' 300
echo "watch cache current: $(status | field 'd["watch"]')"
passes() { metric 'dmr_reconcile_duration_seconds_count{environment="bench"'; }
before_passes="$(passes)"
until (( $(passes) >= before_passes + 2 )); do sleep 0.5; done # two resyncs from the cache first
requests_before="$(metric dmr_api_requests_total)"; watches_before="$(metric 'dmr_api_requests_total{method="WATCH"')"
passes_before="$(passes)"; methods_before="$(by_method)"
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
# the peak RSS since the last reset (VmHWM after writing 5 to clear_refs): catches what a once-a-second sample misses
reset_peak() { echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true; }
peak() { awk '/VmHWM/ {printf "%d MiB", $2 / 1024}' "/proc/$pid/status"; }
spread() { sort -n | awk '{a[NR] = $1} END {printf "median %d MiB, %d–%d", a[int((NR + 1) / 2)] / 1024, a[1] / 1024, a[NR] / 1024}'; }
reset_peak
window=$(( 6 * ${resync%s} + 1 ))
jstat -gc "$pid" 1000 "$window" > "$work/jstat.txt" 2>/dev/null & # one JVM sampling the collector once a second
samples=()
for _ in $(seq 1 "$window"); do samples+=("$(rss_kb)"); sleep 1; done # the RSS moves by ±15 MiB
wait $! || true
requests=$(( $(metric dmr_api_requests_total) - requests_before )); watches=$(( $(metric 'dmr_api_requests_total{method="WATCH"') - watches_before ))
echo "unchanged resyncs: $(( $(passes) - passes_before )) passes, $(( requests - watches )) API requests (+ $watches watches re-opened) (load $(load))"
echo "  requests by method before: $methods_before; after: $(by_method); watch: $(status | field 'd["watch"]')"
echo "last passes (wall ms, CPU ms of the pass's thread): $(grep 'INFO reconciled' "$work/run.log" | tail -3 | grep -o ' ms=[0-9]*\( cpuMs=[0-9]*\)\?' | tr '\n' ' ')"

rss() { awk '/VmRSS/ {printf "%d MiB", $2 / 1024}' "/proc/$pid/status"; }
heap_used() { # every generation's (serial) or the whole heap's (G1) "used", summed
  jcmd "$pid" GC.heap_info 2>/dev/null | grep -oE '(heap|generation) +total [0-9]+K, used [0-9]+K' \
    | awk '{sub("K", "", $NF); s += $NF} END {printf "%d MB", s / 1024}'
}
echo "RSS during the unchanged resyncs (once a second): $(printf '%s\n' "${samples[@]}" | spread) MiB; peak (VmHWM) $(peak)"
collections() { # jstat -gc samples: collections between the first and the last, and the old generation's range
  awk 'NR == 1 {for (i = 1; i <= NF; i++) c[$i] = i; next} $1 ~ /^[0-9]/ {
      if (!n++) {y = $c["YGC"]; f = $c["FGC"]; lo = hi = $c["OC"]}
      lo = $c["OC"] < lo ? $c["OC"] : lo; hi = $c["OC"] > hi ? $c["OC"] : hi; y2 = $c["YGC"]; f2 = $c["FGC"]}
    END {if (n) printf "collections during them: %d young, %d full; old generation committed %d–%d MiB\n", y2 - y, f2 - f, lo / 1024, hi / 1024}' "$1"
}
collections "$work/jstat.txt"
echo "RSS $(rss); heap after full GC: $(jcmd "$pid" GC.run >/dev/null 2>&1; heap_used) (load $(load))"
if [[ "${RECONCILER_JAVA_OPTS:-}" == *NativeMemoryTracking* ]]; then
  jcmd "$pid" VM.native_memory summary 2>/dev/null | grep -E '^(Total|-  *[A-Z])' | sed 's/^/  /'
fi
echo "RSS anonymous $(awk '/^Anonymous:/ {printf "%d MiB", $2 / 1024}' "/proc/$pid/smaps_rollup"), file-backed (libjvm, class data) $(awk '/^RssFile:/ {printf "%d MiB", $2 / 1024}' "/proc/$pid/status")"
echo "threads: $(ls "/proc/$pid/task" | wc -l) ($(cat /proc/"$pid"/task/*/comm | sed 's/[0-9][0-9]*/N/g' | sort | uniq -c | sort -rn | awk '{c = $1; $1 = ""; printf "%s%s %d", (NR > 1 ? ", " : ""), substr($0, 2), c}'))"
[[ -n "${HISTOGRAM:-}" ]] && jcmd "$pid" GC.class_histogram 2>/dev/null | head -"$((HISTOGRAM + 3))"

measure() { # mode (back|new) label action -- watch command...
  local mode="$1" label="$2" action="$3"; shift 4
  python3 - "$mode" "$label" "$action" "$@" <<'EOF'
import subprocess, sys, time
mode, label, action, watch = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
p = subprocess.Popen(watch, stdout=subprocess.PIPE, text=True)
baseline = p.stdout.readline().strip()
subprocess.run(action, shell=True, check=True, stdout=subprocess.DEVNULL)
t0 = time.monotonic()
changed = False
deadline = t0 + 120
for line in p.stdout:
    line = line.strip()
    if line != baseline:
        changed = True
        if mode == "new":
            break
    elif changed and mode == "back":
        break
    if time.monotonic() > deadline:
        print(label + ": not within 120 s"); p.kill(); sys.exit(0)
print("%s: %d ms" % (label, (time.monotonic() - t0) * 1000))
p.kill()
EOF
}
k="${kubectl[*]}"
measure back "replicas changed by kubectl patch, repaired after" \
  "$k -n dm-operator patch deployment jupyter-operator --type merge -p '{\"spec\":{\"replicas\":3}}'" -- \
  "${kubectl[@]}" -n dm-operator get deployment jupyter-operator -w -o 'jsonpath={.spec.replicas}{"\n"}'
echo "  (load $(load))"
sleep 2
measure new "deleted ConfigMap dm-$n/jupyternotebooks.squonk.it, recreated after" \
  "$k -n dm-$n delete configmap jupyternotebooks.squonk.it" -- \
  "${kubectl[@]}" -n "dm-$n" get configmap jupyternotebooks.squonk.it -w -o 'jsonpath={.metadata.uid}{"\n"}'
echo "  (load $(load))"
sleep 2

hook="python3 -c '
import hashlib, hmac, urllib.request
body = b\"{\\\"ref\\\":\\\"refs/heads/main\\\"}\"
sig = \"sha256=\" + hmac.new(b\"bench-webhook-secret\", body, hashlib.sha256).hexdigest()
req = urllib.request.Request(\"http://127.0.0.1:$port/hooks/git\", data=body, headers={\"X-Hub-Signature-256\": sig, \"X-GitHub-Event\": \"push\"})
urllib.request.urlopen(req).read()'"
[[ -n "${PROFILE:-}" ]] && mkdir -p "$PROFILE" && jcmd "$pid" JFR.start name=webhook settings=profile >/dev/null
latencies=()
reset_peak
( while kill -0 "$pid" 2>/dev/null; do rss_kb; sleep 1; done > "$work/rss-webhooks.txt" ) & # once a second
sampler=$!
jstat -gc "$pid" 1000 > "$work/jstat-webhooks.txt" 2>/dev/null &
jstat_pid=$!
for i in $(seq 1 "${WEBHOOKS:-5}"); do
  write_env "$((i + 1)).00"
  git -C "$repo" -c user.name=bench -c user.email=bench@example.org commit -q -am "bench: cost of dm-1 ($i)"
  cpu_before="$(cpu)"
  line="$(measure new "webhook $i (commit changing dm-1), applied after" "$hook" -- \
    "${kubectl[@]}" -n dm-1 get configmap jupyternotebooks.squonk.it -w -o 'jsonpath={.metadata.annotations.dm-reconciler\.dev/hash}{"\n"}')"
  sleep 1 # the pass's tail (inventory, status, waiting for the watch to show its writes)
  echo "$line; process CPU $(awk -v a="$cpu_before" -v b="$(cpu)" -v t="$ticks" 'BEGIN {printf "%.2f s", (b - a) / t}') incl. 1 s after (load $(load)); the pass: $(grep "INFO reconciled" "$work/run.log" | grep -v " 0 update" | tail -1 | grep -o 'result=.*')"
  latencies+=("$(grep -o '[0-9]* ms' <<<"$line" | cut -d' ' -f1)")
  sleep 1
done
[[ -n "${PROFILE:-}" ]] && jcmd "$pid" JFR.stop name=webhook filename="$PROFILE/webhook.jfr" >/dev/null
echo "webhook → applied, median of ${#latencies[@]}: $(printf '%s\n' "${latencies[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}') ms (${latencies[*]})"
kill "$sampler" "$jstat_pid" 2>/dev/null || true; wait "$sampler" "$jstat_pid" 2>/dev/null || true
echo "RSS at the end $(rss); during the webhooks (once a second): $(grep -E '^[0-9]+$' "$work/rss-webhooks.txt" | spread) MiB; peak (VmHWM) $(peak)"
echo "  $(collections "$work/jstat-webhooks.txt")"
if [[ "${RECONCILER_JAVA_OPTS:-}" == *NativeMemoryTracking* ]]; then
  jcmd "$pid" VM.native_memory summary 2>/dev/null | grep -E '^(Total|-  *[A-Z])' | sed 's/^/  /'
fi
