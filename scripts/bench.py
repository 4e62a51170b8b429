#!/usr/bin/env python3
"""One benchmark anyone can rerun: dm-reconciler vs kubectl apply --server-side on a local real API server.

Usage: scripts/bench.sh [NAMESPACES ...]      (default 300; e.g. scripts/bench.sh 300 3000)

For each size N it starts its own API server (etcd + kube-apiserver + kube-controller-manager, a free port, a
temporary directory), creates 3 x N Data Manager namespaces with their `data-manager` ServiceAccount (one set per
tool, so every tool's cold apply is cold), and measures, as whole processes:

  render                     bin/reconciler render (no API server)
  cold apply                 the example bundle with N namespaces (6 + 3N objects), nothing there yet
  no-op                      the same again
  one namespace changed      one value of one namespace changed (kubectl: the whole set applied again)

A cold apply happens once per tool; the render, the no-op and the one-namespace change are repeated BENCH_REPEAT times (default 5;
each change a new value) and reported as the median of each column, with the wall times' range: one run of a
one-second process on a shared 2-core machine varies by a few tenths of a second.

for bin/reconciler apply, `kubectl apply --server-side` of the rendered objects in one process (serial), and
split 8-way by namespace (the operator-scope objects first, then 8 kubectl processes at once).

Per step: wall time, client CPU (user+sys of the process tree), the API server's and etcd's own CPU seconds
(utime+stime from /proc/<pid>/stat before and after), the client's peak RSS (wait4's ru_maxrss), and requests
(the reconciler's own count; kubectl's from -v=6). Before each step it waits until the API server is idle (the
controller-manager's work after namespace creation would otherwise be billed to the step).

Needs: Java 17, Maven, python3 (no packages), and the kube binaries (scripts/kube-binaries.sh builds them once).
Output: progress on stderr; on stdout a Markdown table ready to paste into BENCHMARKS.md.
BENCH_RECONCILER=path/to/bin/reconciler compares another build; BENCH_KEEP=1 leaves the API server running.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOME = Path(__file__).resolve().parent.parent
RECONCILER = os.environ.get("BENCH_RECONCILER", str(HOME / "bin" / "reconciler"))
TICK = os.sysconf("SC_CLK_TCK")
SPLIT = 8
REPEAT = max(1, int(os.environ.get("BENCH_REPEAT", "5")))
STEPS = ("cold apply", "no-op", "one namespace changed")


def log(*args):
    print("[bench]", *args, file=sys.stderr, flush=True)


def cpu_seconds(pid):
    """utime + stime of a live process, in seconds (fields 14 and 15 of /proc/<pid>/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class Cluster:
    def __init__(self, work):
        self.dir = work / "cluster"
        out = subprocess.run([str(HOME / "scripts" / "local-cluster.sh"), "start", "--dir", str(self.dir), "--port", "0"],
                             check=True, stdout=subprocess.PIPE, text=True).stdout
        self.kubeconfig = out.strip().splitlines()[-1]
        bins = subprocess.run([str(HOME / "scripts" / "kube-binaries.sh")], check=True, stdout=subprocess.PIPE,
                              text=True).stdout.strip().splitlines()[-1]
        self.kubectl = [str(Path(bins) / "k8s" / "1.20.2-linux-amd64" / "kubectl"), "--kubeconfig", self.kubeconfig]
        self.apiserver = int((self.dir / "run" / "kube-apiserver.pid").read_text().strip())
        self.etcd = int((self.dir / "run" / "etcd.pid").read_text().strip())
        self.idle = 0.0

    def stop(self):
        subprocess.run([str(HOME / "scripts" / "local-cluster.sh"), "stop", "--dir", str(self.dir)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def settle(self, limit=90):
        """Waits until the API server is back at its idle rate (two 1-second samples in a row that agree within
        0.03 s and stay under 0.3 s/s; bounded) and returns that rate: the controller-manager keeps a local API
        server busy at a few per cent, which the step's own CPU is reported net of."""
        samples, deadline = [], time.time() + limit
        while time.time() < deadline:
            before = cpu_seconds(self.apiserver)
            time.sleep(1)
            samples.append(cpu_seconds(self.apiserver) - before)
            if len(samples) >= 2 and abs(samples[-1] - samples[-2]) < 0.03 and max(samples[-2:]) < 0.3:
                break
        self.idle = sum(samples[-2:]) / len(samples[-2:])
        return self.idle


def run_measured(cluster, commands, stdout_file=None, env=None):
    """Runs commands (each a list; several run at once), returns wall, client cpu, server cpu, etcd cpu, rss."""
    api0, etcd0 = cpu_seconds(cluster.apiserver), cpu_seconds(cluster.etcd)
    start = time.monotonic()
    procs = []
    for i, command in enumerate(commands):
        out = open(stdout_file if stdout_file and len(commands) == 1 else os.devnull, "w")
        err = open(f"{stdout_file or os.devnull}.err{i}" if stdout_file else os.devnull, "w")
        procs.append((subprocess.Popen(command, stdout=out, stderr=err, env=env), out, err))
    cpu, rss, failed = 0.0, 0, []
    for proc, out, err in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.close()
        err.close()
        cpu += usage.ru_utime + usage.ru_stime
        rss = max(rss, usage.ru_maxrss)
        if proc.returncode not in (0,):
            failed.append((proc.args, proc.returncode))
    wall = time.monotonic() - start
    api = cpu_seconds(cluster.apiserver) - api0
    return {"wall": wall, "cpu": cpu, "api": api, "api_net": max(0.0, api - cluster.idle * wall),
            "etcd": cpu_seconds(cluster.etcd) - etcd0, "rss": rss / 1024, "failed": failed}


def median(values):
    values = sorted(values)
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def summary(results):
    """One row from the runs of one step: the median of each number, the wall times' range, every failure."""
    row = {k: median([r[k] for r in results]) for k in ("wall", "cpu", "api", "api_net", "etcd", "rss")}
    row["runs"] = [r["wall"] for r in results]
    row["failed"] = [f for r in results for f in r.get("failed", [])]
    requests = sorted({r.get("requests", "-") for r in results})
    row["requests"] = " or ".join(requests)
    row["total"] = results[-1].get("total")
    return row


def runs(step, measure):
    """Measures a step once (cold apply) or REPEAT times (render too), each time with a new cost value (a one-namespace change
    must change something every time; a no-op keeps 1.00); returns the summary row."""
    count = 1 if step == "cold apply" else REPEAT
    results = []
    for i in range(count):
        cost = "1.00" if step != "one namespace changed" else f"{2 + i}.00"
        results.append(measure(cost))
    return summary(results)


def write_env(work, name, prefix, n, cost):
    # each environment its own cluster name: apply renders every environment of its cluster (to protect what
    # they want from prunes), and the kubectl stand-ins are not the reconciler's to render
    lines = [f"cluster: {name}", "applications:", "  jupyter-operator:", f"    values: {{jo_image_tag: 33.0.0, jo_namespace: {prefix}-operator}}",
             "    namespaces:", f"      {prefix}-1: {{jo_cost_cost: '{cost}'}}"]
    lines += [f"      {prefix}-{i}: {{}}" for i in range(2, n + 1)]
    (work / "environments" / f"{name}.yaml").write_text("\n".join(lines) + "\n")


def render_json(work, env):
    out = subprocess.run([RECONCILER, "render", "--repo", str(work), "--env", env, "-o", "json"], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    data = json.loads(out)
    return data["items"] if isinstance(data, dict) else data


def kubectl_files(work, env, prefix, parts):
    """The rendered objects as v1 List files: all in one, or [operator scope] + `parts` files split by namespace."""
    items = render_json(work, env)
    per_ns = re.compile(rf"^{prefix}-(\d+)$")
    operator, split = [], [[] for _ in range(parts)]
    for item in items:
        m = per_ns.match(item.get("metadata", {}).get("namespace") or "")
        (split[int(m.group(1)) % parts] if m else operator).append(item)
    files = []
    for i, chunk in enumerate([items] if parts == 1 else [operator] + split):
        path = work / f"{env}-{parts}-{i}.json"
        path.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": chunk}))
        files.append(path)
    return files


def kubectl_step(cluster, work, files, label):
    """Applies one file in one process; or files[0] (operator scope), then the rest in parallel."""
    base = cluster.kubectl + ["apply", "--server-side", "--force-conflicts", "--field-manager=kubectl-bench", "-v=6", "-f"]
    log_file = work / f"kubectl-{label}.log"
    result = run_measured(cluster, [base + [str(files[0])]], stdout_file=str(log_file))
    if len(files) > 1:
        rest = run_measured(cluster, [base + [str(f)] for f in files[1:]], stdout_file=str(log_file) + ".p")
        result = {k: result[k] + rest[k] for k in ("wall", "cpu", "api", "api_net", "etcd")} | {
            "rss": max(result["rss"], rest["rss"]), "failed": result["failed"] + rest["failed"]}
    text = ""
    for p in work.glob(f"kubectl-{label}.log*"):
        text += p.read_text(errors="replace")
    reads = len(re.findall(r"\bGET https?://", text))
    writes = len(re.findall(r"\b(?:PATCH|POST|PUT|DELETE) https?://", text))
    for p in work.glob(f"kubectl-{label}.log*"):
        p.unlink()
    result["requests"] = f"{reads} / {writes}"
    return result


def reconciler_step(cluster, work, env):
    out = work / "reconciler.json"
    result = run_measured(cluster, [[RECONCILER, "apply", "--repo", str(work), "--env", env, "--kubeconfig",
                                     cluster.kubeconfig, "-o", "json"]], stdout_file=str(out))
    try:
        report = json.loads(out.read_text())
        q = report["requests"]
        result["requests"] = f"{q.get('GET', 0)} / {sum(v for k, v in q.items() if k in ('POST', 'PUT', 'PATCH', 'DELETE'))}"
        result["total"] = report.get("total")
    except (ValueError, KeyError):
        result["requests"] = "?"
        result["failed"].append(("reconciler output", (work / "reconciler.json.err0").read_text()[-2000:]))
    return result


def bench(n):
    work = Path(tempfile.mkdtemp(prefix="dm-bench-"))
    # the bundles of the checkout whose reconciler is measured (another build may not read this one's)
    bundles = Path(RECONCILER).resolve().parent.parent
    bundles = bundles if (bundles / "templates").is_dir() else HOME
    for d in ("templates", "crds", "rbac"):
        subprocess.run(["cp", "-r", str(bundles / d), str(work / d)], check=True)
    (work / "environments").mkdir()
    write_env(work, "warm", "w", 1, "1.00")
    write_env(work, "bench", "dm", n, "1.00")
    write_env(work, "kserial", "k", n, "1.00")
    write_env(work, "ksplit", "p", n, "1.00")
    log(f"N={n}: starting a local API server in {work}")
    cluster = Cluster(work)
    rows = []
    try:
        objects = []
        for prefix in ("w", "dm", "k", "p"):
            for i in range(1, (1 if prefix == "w" else n) + 1):
                objects.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": f"{prefix}-{i}"}})
                objects.append({"apiVersion": "v1", "kind": "ServiceAccount",
                                "metadata": {"name": "data-manager", "namespace": f"{prefix}-{i}"}})
        setup = work / "namespaces.json"
        setup.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}))
        log(f"creating {len(objects)} namespaces and ServiceAccounts")
        subprocess.run(cluster.kubectl + ["apply", "--server-side", "-f", str(setup)], check=True, stdout=subprocess.DEVNULL)
        # the launcher builds on first use and may write its class-data archive: both outside the timing
        subprocess.run([RECONCILER, "apply", "--repo", str(work), "--env", "warm", "--kubeconfig", cluster.kubeconfig],
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run([RECONCILER, "render", "--repo", str(work), "--env", "warm"], check=True, stdout=subprocess.DEVNULL)

        def record(step, tool, result):
            if result.get("failed"):
                log(f"FAILED {step} / {tool}: {result['failed']}")
            rows.append((n, step, tool, result))
            spread = f" (runs {min(result['runs']):.2f}-{max(result['runs']):.2f})" if len(result["runs"]) > 1 else ""
            log(f"{step:<22} {tool:<22} {result['wall']:6.2f} s wall{spread}, {result['cpu']:6.2f} s client CPU, "
                f"{result['api']:6.2f} s API server CPU ({result['api_net']:.2f} above idle {cluster.idle:.2f}/s), {result['rss']:5.0f} MiB, requests {result.get('requests', '-')}"
                f"{'  ' + result['total'] if result.get('total') else ''}")

        def reconciler_run(cost):
            write_env(work, "bench", "dm", n, cost)
            cluster.settle()
            return reconciler_step(cluster, work, "bench")

        def kubectl_run(env, prefix, parts, step):
            def measure(cost):
                write_env(work, env, prefix, n, cost)
                files = kubectl_files(work, env, prefix, parts)
                cluster.settle()
                return kubectl_step(cluster, work, files, step.replace(" ", "-"))
            return measure

        def render_run(cost):
            cluster.settle()
            return run_measured(cluster, [[RECONCILER, "render", "--repo", str(work), "--env", "bench"]])
        record("render", "reconciler", runs("render", render_run))
        for step in STEPS:
            record(step, "reconciler", runs(step, reconciler_run))
        for tool, env, prefix, parts in (("kubectl serial", "kserial", "k", 1), (f"kubectl {SPLIT}-way", "ksplit", "p", SPLIT)):
            for step in STEPS:
                record(step, tool, runs(step, kubectl_run(env, prefix, parts, step)))
    finally:
        if os.environ.get("BENCH_KEEP") == "1":  # for a look afterwards: stop it with local-cluster.sh stop --dir
            log(f"kept the API server: KUBECONFIG={cluster.kubeconfig}; scripts/local-cluster.sh stop --dir {cluster.dir}")
        else:
            cluster.stop()
            subprocess.run(["rm", "-rf", str(work)])
    return rows


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [300]
    rows = []
    for n in sizes:
        rows += bench(n)
    load = open("/proc/loadavg").read().split()[:3]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"\n{os.cpu_count()} CPUs ({cpu}), load average before the last step {' '.join(load)}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print(f"Render, no-op and one-namespace change: median of {REPEAT} runs each (wall range in brackets); cold apply: one run.\n")
    print("| namespaces | step | tool | wall s | client CPU s | API server CPU s (above idle) | etcd CPU s | client peak RSS MiB | requests (reads / writes) |")
    print("|---:|---|---|---:|---:|---:|---:|---:|---|")
    for n, step, tool, r in rows:
        flag = " (failed)" if r.get("failed") else ""
        spread = f" ({min(r['runs']):.2f}-{max(r['runs']):.2f})" if len(r["runs"]) > 1 else ""
        print(f"| {n} | {step} | {tool}{flag} | {r['wall']:.2f}{spread} | {r['cpu']:.2f} | {r['api']:.2f} ({r['api_net']:.2f}) | "
              f"{r['etcd']:.2f} | {r['rss']:.0f} | {r.get('requests', '-')} |")
    print("\nAPI server CPU: utime+stime of the kube-apiserver process during the step; in brackets net of its idle rate "
          "(measured right before the step: the controller-manager keeps it busy at a few per cent).")
    if any(r.get("failed") for *_, r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
