#!/usr/bin/env bash
# Local single-node Kubernetes control plane (no kubelet/nodes) for development
# and integration tests: etcd + kube-apiserver + kube-controller-manager
# (all controllers, so namespace deletion and garbage collection work).
#
# Usage:
#   scripts/local-cluster.sh start  [--dir D] [--port P] [--clean]
#       Starts the cluster (idempotent: if already running and healthy, does nothing),
#       waits for /readyz, prints the kubeconfig path as the last stdout line:
#         export KUBECONFIG="$(scripts/local-cluster.sh start)"
#       --port 0 picks a free port. --clean wipes etcd data/certs first.
#   scripts/local-cluster.sh stop   [--dir D] [--purge]
#       Stops all processes (TERM, then KILL after 10s). --purge deletes the dir.
#   scripts/local-cluster.sh status [--dir D]
#       Exit 0 if all components run and the API server is ready.
#   scripts/local-cluster.sh kubeconfig [--dir D]
#       Prints the kubeconfig path.
#
# Defaults: --dir ${TMPDIR:-/tmp}/dm-reconciler-cluster, --port 6443
# (env LOCAL_CLUSTER_DIR / LOCAL_CLUSTER_PORT override the defaults).
# Binaries come from scripts/kube-binaries.sh (built once, then cached).
# Auth: static token (user "admin", group system:masters), authorization RBAC.
# Logs: <dir>/logs/{etcd,kube-apiserver,kube-controller-manager}.log
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
K8S_VERSION=1.20.2
COMPONENTS=(etcd kube-apiserver kube-controller-manager)

log() { echo "[local-cluster] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

# ---------------------------------------------------------------- args
CMD="${1:-}"
[[ -n "$CMD" ]] || usage
shift
DIR="${LOCAL_CLUSTER_DIR:-${TMPDIR:-/tmp}/dm-reconciler-cluster}"
PORT="${LOCAL_CLUSTER_PORT:-6443}"
CLEAN=0
PURGE=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir)    DIR="${2:?--dir needs a value}"; shift 2 ;;
    --dir=*)  DIR="${1#*=}"; shift ;;
    --port)   PORT="${2:?--port needs a value}"; shift 2 ;;
    --port=*) PORT="${1#*=}"; shift ;;
    --clean)  CLEAN=1; shift ;;
    --purge)  PURGE=1; shift ;;
    -h|--help) usage 0 ;;
    *) die "unknown argument: $1" ;;
  esac
done
[[ "$PORT" =~ ^[0-9]+$ ]] || die "--port must be a number"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
PKI="$DIR/pki"
LOGS="$DIR/logs"
RUN="$DIR/run"
KUBECONFIG_FILE="$DIR/kubeconfig"

# ---------------------------------------------------------------- helpers
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

port_in_use() {
  python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
finally:
    s.close()
sys.exit(1)
EOF
}

http_ok() { # url -> exit 0 if HTTP 200 (plain http, used for etcd)
  python3 - "$1" <<'EOF'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
EOF
}

pid_of() { # component -> pid if its process is alive and is that binary
  local c="$1" pid
  [[ -f "$RUN/$c.pid" ]] || return 1
  pid="$(cat "$RUN/$c.pid" 2>/dev/null)" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "/$c " || return 1
  # zombies count as dead
  [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]] || return 1
  echo "$pid"
}

kubectl_() { "$BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" --request-timeout=5s "$@"; }

api_ready() { kubectl_ get --raw /readyz >/dev/null 2>&1; }

ensure_binaries() {
  local cache
  cache="$("$SCRIPT_DIR/kube-binaries.sh" | tail -n1)"
  BIN="$cache/k8s/${K8S_VERSION}-linux-amd64"
  [[ -x "$BIN/kube-apiserver" ]] || die "kube-binaries.sh did not provide $BIN/kube-apiserver"
}

stop_component() {
  local c="$1" pid i
  if pid="$(pid_of "$c")"; then
    log "stopping $c (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
      pid_of "$c" >/dev/null || break
      sleep 0.1
    done
    if pid_of "$c" >/dev/null; then
      log "$c did not stop after 10s, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do
        pid_of "$c" >/dev/null || break
        sleep 0.1
      done
    fi
  fi
  rm -f "$RUN/$c.pid"
}

stop_all() {
  local c
  for c in kube-controller-manager kube-apiserver etcd; do stop_component "$c"; done
}

start_daemon() { # component logfile args...
  local c="$1"; shift
  local logfile="$LOGS/$c.log"
  # stdin/stdout/stderr detached so callers using $(...) do not hang; own session
  # so a Ctrl-C in the calling terminal does not take the cluster down.
  setsid "$BIN/$c" "$@" </dev/null >>"$logfile" 2>&1 &
  echo $! >"$RUN/$c.pid"
}

fail_start() {
  local c
  log "ERROR: $*"
  for c in "${COMPONENTS[@]}"; do
    if [[ -f "$LOGS/$c.log" ]]; then
      log "---- last lines of $LOGS/$c.log"
      tail -n 15 "$LOGS/$c.log" | sed 's/^/    /' >&2
    fi
  done
  stop_all
  exit 1
}

gen_pki() {
  mkdir -p "$PKI"
  if [[ -f "$PKI/.complete" ]]; then return; fi
  log "generating CA, serving cert, service-account key and admin token in $PKI"
  command -v openssl >/dev/null || die "openssl is required"
  local tmp
  tmp="$(mktemp -d "$DIR/.pki.XXXXXX")"
  (
    cd "$tmp"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 3650 \
      -subj "/CN=dm-reconciler-local-ca" >/dev/null 2>&1
    openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr \
      -subj "/CN=kube-apiserver" >/dev/null 2>&1
    cat >apiserver.ext <<'EOF'
basicConstraints=CA:FALSE
keyUsage=digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
EOF
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
      -out apiserver.crt -days 3650 -extfile apiserver.ext >/dev/null 2>&1
    openssl genrsa -out sa.key 2048 >/dev/null 2>&1
    openssl rsa -in sa.key -pubout -out sa.pub >/dev/null 2>&1
    echo "$(openssl rand -hex 24),admin,admin,\"system:masters\"" >tokens.csv
    rm -f apiserver.csr apiserver.ext ca.srl
    chmod 600 ./*.key tokens.csv
  ) || { rm -rf "$tmp"; die "certificate generation failed"; }
  rm -rf "$PKI"
  mv "$tmp" "$PKI"
  touch "$PKI/.complete"
}

write_kubeconfig() { # port
  local port="$1" token ca
  token="$(cut -d, -f1 "$PKI/tokens.csv")"
  ca="$(base64 -w0 <"$PKI/ca.crt")"
  umask 077
  cat >"$KUBECONFIG_FILE.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: dm-reconciler-local
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority-data: $ca
users:
- name: admin
  user:
    token: $token
contexts:
- name: dm-reconciler-local
  context:
    cluster: dm-reconciler-local
    user: admin
    namespace: default
current-context: dm-reconciler-local
EOF
  mv "$KUBECONFIG_FILE.tmp" "$KUBECONFIG_FILE"
}

all_running() {
  local c
  for c in "${COMPONENTS[@]}"; do pid_of "$c" >/dev/null || return 1; done
}

# ---------------------------------------------------------------- commands
cmd_start() {
  ensure_binaries
  mkdir -p "$LOGS" "$RUN"

  if [[ $CLEAN == 0 ]] && all_running && [[ -f "$KUBECONFIG_FILE" ]] && api_ready; then
    log "already running ($(grep -o 'https://[^ ]*' "$KUBECONFIG_FILE"))"
    echo "$KUBECONFIG_FILE"
    return 0
  fi
  # partial/stale state from an earlier run
  stop_all
  if [[ $CLEAN == 1 ]]; then
    log "--clean: removing etcd data, certs and logs in $DIR"
    rm -rf "$DIR/etcd" "$PKI" "$LOGS" "$KUBECONFIG_FILE"
    mkdir -p "$LOGS"
  fi

  gen_pki

  if [[ "$PORT" == 0 ]]; then PORT="$(free_port)"; fi
  port_in_use "$PORT" && die "port $PORT on 127.0.0.1 is already in use (use --port N, or --port 0 for a free one)"
  local etcd_port etcd_peer_port
  etcd_port="$(free_port)"
  etcd_peer_port="$(free_port)"
  while [[ "$etcd_peer_port" == "$etcd_port" ]]; do etcd_peer_port="$(free_port)"; done
  echo "apiserver=$PORT etcd=$etcd_port etcd-peer=$etcd_peer_port" >"$RUN/ports"

  local started_at=$SECONDS
  log "starting etcd on 127.0.0.1:$etcd_port (data $DIR/etcd)"
  start_daemon etcd \
    --name default \
    --data-dir "$DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" \
    --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster "default=http://127.0.0.1:$etcd_peer_port" \
    --force-new-cluster=false
  local i
  for ((i = 0; i < 300; i++)); do
    http_ok "http://127.0.0.1:$etcd_port/health" && break
    pid_of etcd >/dev/null || fail_start "etcd exited"
    sleep 0.1
  done
  http_ok "http://127.0.0.1:$etcd_port/health" || fail_start "etcd not healthy after 30s"

  log "starting kube-apiserver on https://127.0.0.1:$PORT"
  start_daemon kube-apiserver \
    --etcd-servers "http://127.0.0.1:$etcd_port" \
    --bind-address 127.0.0.1 \
    --advertise-address 127.0.0.1 \
    --secure-port "$PORT" \
    --insecure-port 0 \
    --endpoint-reconciler-type none \
    --cert-dir "$PKI" \
    --tls-cert-file "$PKI/apiserver.crt" \
    --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" \
    --token-auth-file "$PKI/tokens.csv" \
    --authorization-mode RBAC \
    --service-account-issuer "https://kubernetes.default.svc" \
    --service-account-key-file "$PKI/sa.pub" \
    --service-account-signing-key-file "$PKI/sa.key" \
    --service-cluster-ip-range 10.0.0.0/24 \
    --allow-privileged=true \
    --enable-priority-and-fairness=false

  write_kubeconfig "$PORT"

  for ((i = 0; i < 600; i++)); do
    api_ready && break
    pid_of kube-apiserver >/dev/null || fail_start "kube-apiserver exited"
    sleep 0.1
  done
  api_ready || fail_start "kube-apiserver not ready after 60s"
  log "kube-apiserver ready after $((SECONDS - started_at))s"

  log "starting kube-controller-manager (--controllers=*)"
  start_daemon kube-controller-manager \
    --kubeconfig "$KUBECONFIG_FILE" \
    --controllers '*' \
    --leader-elect=false \
    --use-service-account-credentials=false \
    --service-account-private-key-file "$PKI/sa.key" \
    --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" \
    --cluster-signing-key-file "$PKI/ca.key" \
    --bind-address 127.0.0.1 \
    --port 0 \
    --secure-port 0

  # The "default" service account is created by the controller manager: proves it works.
  for ((i = 0; i < 600; i++)); do
    kubectl_ -n default get serviceaccount default >/dev/null 2>&1 && break
    pid_of kube-controller-manager >/dev/null || fail_start "kube-controller-manager exited"
    sleep 0.1
  done
  kubectl_ -n default get serviceaccount default >/dev/null 2>&1 \
    || fail_start "kube-controller-manager did not create the default service account within 60s"
  all_running || fail_start "a component exited during startup"

  log "cluster ready in $((SECONDS - started_at))s: https://127.0.0.1:$PORT (logs: $LOGS)"
  log "  export KUBECONFIG=$KUBECONFIG_FILE"
  echo "$KUBECONFIG_FILE"
}

cmd_stop() {
  mkdir -p "$RUN"
  stop_all
  if [[ $PURGE == 1 ]]; then
    log "--purge: removing $DIR"
    rm -rf "$DIR"
  fi
  log "stopped"
}

cmd_status() {
  local c pid rc=0
  for c in "${COMPONENTS[@]}"; do
    if pid="$(pid_of "$c")"; then
      echo "$c: running (pid $pid)"
    else
      echo "$c: stopped"
      rc=1
    fi
  done
  if [[ -f "$KUBECONFIG_FILE" ]] && pid_of kube-apiserver >/dev/null; then
    BIN="$(dirname "$(tr '\0' '\n' <"/proc/$(pid_of kube-apiserver)/cmdline" | head -n1)")"
    if api_ready; then
      echo "apiserver: ready ($(grep -o 'https://[^ ]*' "$KUBECONFIG_FILE"))"
    else
      echo "apiserver: NOT ready"
      rc=1
    fi
    echo "kubeconfig: $KUBECONFIG_FILE"
  fi
  return $rc
}

case "$CMD" in
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  kubeconfig)
    [[ -f "$KUBECONFIG_FILE" ]] || die "no kubeconfig in $DIR (cluster never started?)"
    echo "$KUBECONFIG_FILE" ;;
  -h|--help|help) usage 0 ;;
  *) die "unknown command: $CMD (start|stop|status|kubeconfig)" ;;
esac
