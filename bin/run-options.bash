# shellcheck shell=bash
# The JVM options of `reconciler run` (sourced by bin/reconciler; RunLauncherTest runs these functions against
# fake /proc and /sys trees). README "Running continuously" explains each choice and how they were measured.

# The heap's ceiling, e.g. "512m": RECONCILER_RUN_MAX_HEAP (e.g. 2g) when set, else a quarter of the memory (the
# cgroup's limit when lower than the machine's: cgroup v2 memory.max, or v1 memory.limit_in_bytes, of this
# process's cgroup or the root of the mounted hierarchy), at least 384 MiB. A ceiling only: the serial collector grows
# the heap to what the passes keep alive and gives back what is free after a full collection, so a larger ceiling
# costs no memory; it keeps a bigger site from failing every pass.
# Arguments: the proc and cgroup roots (default /proc and /sys/fs/cgroup).
run_max_heap() {
  local proc="${1:-/proc}" cgroup="${2:-/sys/fs/cgroup}"
  if [[ -n "${RECONCILER_RUN_MAX_HEAP:-}" ]]; then
    echo "$RECONCILER_RUN_MAX_HEAP"
    return
  fi
  local mem_kb v2 v1 limit value heap_mb
  mem_kb="$(awk '/^MemTotal:/ {print $2}' "$proc/meminfo" 2>/dev/null || true)"
  # the path is the rest of the line after the second ':' (a path may hold ':' itself)
  v2="$(awk -F: '$1 == "0" {sub(/^[^:]*:[^:]*:/, ""); print}' "$proc/self/cgroup" 2>/dev/null || true)"
  v1="$(awk -F: '$2 ~ /(^|,)memory(,|$)/ {sub(/^[^:]*:[^:]*:/, ""); print}' "$proc/self/cgroup" 2>/dev/null || true)"
  for limit in "$cgroup${v2%/}/memory.max" "$cgroup/memory.max" \
      "$cgroup/memory${v1%/}/memory.limit_in_bytes" "$cgroup/memory/memory.limit_in_bytes"; do
    value="$(cat "$limit" 2>/dev/null || true)" # v2 "max" (no limit) and v1's huge "unlimited" number lose below
    if [[ "$value" =~ ^[0-9]+$ && ${#value} -lt 19 && ( -z "$mem_kb" || $((value / 1024)) -lt "$mem_kb" ) ]]; then
      mem_kb=$((value / 1024))
    fi
  done
  heap_mb=$(( ${mem_kb:-0} / 4096 ))
  echo "$(( heap_mb > 384 ? heap_mb : 384 ))m"
}

# run's JVM options (one line). The serial collector (no collector threads or remembered sets; the heap shrinks to
# what is live at the full collections the controller makes between passes), a small young generation (a pass's
# garbage dies young; by default it is a third of the heap, all of it touched), at most 20 % of the old generation
# free after a full collection and shrunk to that at once (by default the collector shrinks in steps: 0 %, 10 %,
# 40 % of the excess at three collections in a row, so one collection between passes gave nothing back), small
# thread stacks, glibc's free memory given back every second (the JIT compiles during passes for the whole life of
# the process, its arenas peak at 10-25 MiB and glibc keeps what they free; every 10 s left the RSS 10-25 MiB higher
# between trims), one pooled direct-buffer arena for the API client instead of one 4 MiB arena per
# event loop thread, and out of memory ends the process (its supervisor starts it again) instead of living on with
# a dead informer or HTTP thread. The JIT stays tiered: C2 alone (-XX:-TieredCompilation) saved ≈ 19 MiB of code
# at 3,000 namespaces but doubled the webhook's latency (most likely: what runs once per commit, the git fetch and
# the one write, never gets hot enough for C2 and stays interpreted; not profiled). Arguments: as run_max_heap,
# then the java command (default java).
run_java_opts() {
  local opts
  opts="-XX:+UseSerialGC -Xms32m -Xmx$(run_max_heap "${1:-}" "${2:-}") -Xmn16m -XX:MinHeapFreeRatio=10"
  opts+=" -XX:MaxHeapFreeRatio=20 -XX:-ShrinkHeapInSteps -Xss512k -XX:+ExitOnOutOfMemoryError"
  # one 1 MiB chunk per pool arena instead of 4 MiB (page 8 KiB << maxOrder 7; a larger buffer is allocated unpooled)
  opts+=" -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.maxOrder=7"
  # TrimNativeHeapInterval: recent JDK 17 updates have it (17.0.15 here); an older JVM would refuse to start with it
  if "${3:-java}" -XX:TrimNativeHeapInterval=1000 -version >/dev/null 2>&1; then
    opts+=" -XX:TrimNativeHeapInterval=1000"
  fi
  echo "$opts"
}
