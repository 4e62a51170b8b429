#!/usr/bin/env bash
# Provide real Kubernetes control-plane binaries (etcd, kube-apiserver, kubectl,
# kube-controller-manager) without internet access.
#
# Source: Debian bookworm's source package `kubernetes` (1.20.5+really1.20.2),
# which ships the full Kubernetes tree including vendor/, built with Debian's
# golang-go. etcd comes from Debian's etcd-server package (3.4.23).
#
# Patch applied: vendor/github.com/modern-go/reflect2 is replaced by v1.0.2 (Debian
# package golang-github-modern-go-reflect2-dev). The vendored v1.0.1 is broken with
# Go >= 1.18 (bookworm has Go 1.19): kube-apiserver segfaults in mapiterinit
# ("unexpected fault address 0x0 / fatal error: fault") as soon as it serializes a
# custom resource (json-iterator map encoding).
#
# Layout (compatible with fabric8 kube-api-test's KUBE_API_TEST_DIR):
#   $CACHE/k8s/1.20.2-linux-amd64/{etcd,kube-apiserver,kubectl,kube-controller-manager}
#
# Usage:
#   export KUBE_API_TEST_DIR="$(scripts/kube-binaries.sh)"
#
# The last (and only) line on stdout is the cache dir; progress goes to stderr.
# Idempotent: if the binaries already exist and run, exits immediately.
# Cold run needs root (or sudo) for apt-get, ~5-10 min on 2 cores.
#
# Environment:
#   KUBE_BIN_CACHE      cache dir (default $HOME/.cache/dm-reconciler/kube)
#   KUBE_BIN_KEEP_WORK  1 = keep the extracted source tree / go build cache after
#                       a successful build (default: delete, only the ~35MB
#                       source tarball is kept)
#   KUBE_BIN_FORCE      1 = rebuild even if binaries exist
set -euo pipefail

K8S_VERSION=1.20.2
DEB_SRC_PACKAGE=kubernetes
DEB_SUITE=bookworm
CACHE="${KUBE_BIN_CACHE:-$HOME/.cache/dm-reconciler/kube}"
PLATFORM_DIR="$CACHE/k8s/${K8S_VERSION}-linux-amd64"
BINS=(etcd kube-apiserver kubectl kube-controller-manager)
# Bump when the build recipe changes: caches built with an older recipe get rebuilt.
RECIPE="k8s-${K8S_VERSION}+reflect2-1.0.2"
REFLECT2_SRC=/usr/share/gocode/src/github.com/modern-go/reflect2

log() { echo "[kube-binaries] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

binaries_ok() {
  local b
  for b in "${BINS[@]}"; do
    [[ -x "$PLATFORM_DIR/$b" ]] || return 1
  done
  [[ "$(cat "$PLATFORM_DIR/.recipe" 2>/dev/null)" == "$RECIPE" ]] || return 1
  "$PLATFORM_DIR/etcd" --version >/dev/null 2>&1 || return 1
  "$PLATFORM_DIR/kube-apiserver" --version 2>/dev/null | grep -q "v${K8S_VERSION}" || return 1
  "$PLATFORM_DIR/kube-controller-manager" --version 2>/dev/null | grep -q "v${K8S_VERSION}" || return 1
  "$PLATFORM_DIR/kubectl" version --client 2>/dev/null | grep -q "v${K8S_VERSION}" || return 1
}

# ---------------------------------------------------------------- fast path
if [[ "${KUBE_BIN_FORCE:-0}" != 1 ]] && binaries_ok; then
  echo "$CACHE"
  exit 0
fi

[[ "$(uname -m)" == x86_64 ]] || die "only linux-amd64 is supported (got $(uname -m))"
mkdir -p "$CACHE/k8s" "$CACHE/src"

# Serialize concurrent callers (e.g. parallel test JVMs / CI jobs).
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  log "another kube-binaries.sh run holds $CACHE/.lock, waiting ..."
  flock 9
fi
if [[ "${KUBE_BIN_FORCE:-0}" != 1 ]] && binaries_ok; then
  log "binaries were built by a concurrent run"
  echo "$CACHE"
  exit 0
fi

START_TS=$(date +%s)
elapsed() { echo "$(( $(date +%s) - START_TS ))s"; }

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); fi
fi
as_root() {
  if [[ $(id -u) -ne 0 && ${#SUDO[@]} -eq 0 ]]; then
    die "need root (or passwordless sudo) to run: $*"
  fi
  "${SUDO[@]}" "$@"
}

# ---------------------------------------------------------------- apt: deb-src
# Mirror URL of the existing Debian main archive (deb822 .sources or legacy .list).
detect_mirror() {
  local uri
  uri=$(
    {
      # deb822: URIs: line of a stanza whose Suites contain "<suite>" (not -security)
      for f in /etc/apt/sources.list.d/*.sources; do
        [[ -f "$f" ]] || continue
        awk -v suite="$DEB_SUITE" '
          BEGIN { RS=""; FS="\n" }
          {
            uris=""; ok=0
            for (i = 1; i <= NF; i++) {
              if ($i ~ /^URIs:/)   { sub(/^URIs:[ \t]*/, "", $i); uris=$i }
              if ($i ~ /^Suites:/) { n=split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == suite) ok=1 }
            }
            if (ok && uris != "") { split(uris, u, /[ \t]+/); print u[1] }
          }' "$f"
      done
      # one-line format: deb [opts] URI suite components
      for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [[ -f "$f" ]] || continue
        sed -E -n "s/^[[:space:]]*deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+)[[:space:]]+${DEB_SUITE}[[:space:]].*/\2/p" "$f"
      done
    } | grep -v -- '-security' | head -n1
  ) || true
  echo "${uri:-http://deb.debian.org/debian}"
}

have_deb_src() {
  # Any deb-src for the suite, in either format.
  grep -Eqs "^[[:space:]]*deb-src[[:space:]].*[[:space:]]${DEB_SUITE}[[:space:]]" \
      /etc/apt/sources.list /etc/apt/sources.list.d/*.list && return 0
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    awk -v suite="$DEB_SUITE" '
      BEGIN { RS=""; FS="\n"; found=0 }
      {
        src=0; ok=0
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^Types:/ && $i ~ /deb-src/) src=1
          if ($i ~ /^Suites:/) { n=split($i, s, /[ \t]+/); for (j = 2; j <= n; j++) if (s[j] == suite) ok=1 }
          if ($i ~ /^Enabled:[ \t]*no/) { src=0 }
        }
        if (src && ok) found=1
      }
      END { exit(found ? 0 : 1) }' "$f" && return 0
  done
  return 1
}

APT_UPDATED=0
apt_update() {
  if [[ $APT_UPDATED == 0 ]]; then
    log "apt-get update ..."
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    APT_UPDATED=1
  fi
}

# ---------------------------------------------------------------- apt: packages
need_pkgs=()
command -v go    >/dev/null 2>&1 || [[ -x /usr/lib/go/bin/go ]] || need_pkgs+=(golang-go)
[[ -x /usr/bin/etcd ]]            || need_pkgs+=(etcd-server)
command -v rsync >/dev/null 2>&1  || need_pkgs+=(rsync)
command -v jq    >/dev/null 2>&1  || need_pkgs+=(jq)
command -v make  >/dev/null 2>&1  || need_pkgs+=(make)
[[ -f "$REFLECT2_SRC/go_above_118.go" ]] || need_pkgs+=(golang-github-modern-go-reflect2-dev)
if [[ ${#need_pkgs[@]} -gt 0 ]]; then
  apt_update
  log "apt-get install ${need_pkgs[*]} ... ($(elapsed))"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need_pkgs[@]}" >&2
fi
export PATH="/usr/lib/go/bin:$PATH"
log "using $(go version)"
log "using etcd $(/usr/bin/etcd --version 2>/dev/null | head -n1)"

# ---------------------------------------------------------------- source tarball
find_orig() { compgen -G "$CACHE/src/${DEB_SRC_PACKAGE}_*really${K8S_VERSION}.orig.tar.gz" | head -n1 || true; }
ORIG="$(find_orig)"
if [[ -z "$ORIG" ]] || ! gzip -t "$ORIG" 2>/dev/null; then
  [[ -n "$ORIG" ]] && { log "removing corrupt $ORIG"; rm -f "$ORIG"; }
  if ! have_deb_src; then
    MIRROR="$(detect_mirror)"
    SRC_FILE=/etc/apt/sources.list.d/dm-reconciler-${DEB_SUITE}-src.sources
    log "adding deb-src entry for ${DEB_SUITE} main ($MIRROR) to $SRC_FILE"
    as_root tee "$SRC_FILE" >/dev/null <<EOF
Types: deb-src
URIs: $MIRROR
Suites: $DEB_SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    APT_UPDATED=0
  fi
  apt_update
  DL_DIR="$(mktemp -d "$CACHE/src/.download.XXXXXX")"
  log "apt-get source --download-only $DEB_SRC_PACKAGE ... ($(elapsed))"
  # _apt cannot write into a root-private dir; make it accessible for the sandbox.
  chmod 0777 "$DL_DIR"
  ( cd "$DL_DIR" && apt-get source -q --download-only "$DEB_SRC_PACKAGE" >&2 )
  DL_ORIG="$(compgen -G "$DL_DIR/${DEB_SRC_PACKAGE}_*really${K8S_VERSION}.orig.tar.gz" | head -n1 || true)"
  [[ -n "$DL_ORIG" ]] || die "apt-get source did not produce a *really${K8S_VERSION}.orig.tar.gz (got: $(ls "$DL_DIR"))"
  mv -f "$DL_ORIG" "$CACHE/src/"
  rm -rf "$DL_DIR"
  ORIG="$(find_orig)"
fi
log "source: $ORIG"

# ---------------------------------------------------------------- build
# Leftovers of interrupted runs (we hold the lock, so nothing else uses them).
rm -rf "$CACHE"/work.* "$CACHE"/k8s/.staging.* "$CACHE"/src/.download.*

WORK="$CACHE/work"   # stable path -> kept tree can be reused by the next build
TREE="$WORK/kubernetes-${K8S_VERSION}"
STAGING=""
cleanup() {
  local rc=$?
  [[ -n "$STAGING" ]] && rm -rf "$STAGING"
  if [[ $rc -ne 0 ]]; then
    log "FAILED after $(elapsed) (work dir left in $WORK for inspection; it is reused/removed by the next run)"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

if [[ "$(cat "$TREE/.extract-complete" 2>/dev/null)" != "$RECIPE" ]]; then
  rm -rf "$WORK"
  mkdir -p "$WORK"
  log "extracting $(basename "$ORIG") ... ($(elapsed))"
  tar -xzf "$ORIG" -C "$WORK"
  [[ -d "$TREE/vendor" ]] || die "unexpected tarball layout: $TREE/vendor missing"
  log "patching vendor/github.com/modern-go/reflect2 -> 1.0.2 (Go >= 1.18 fix)"
  rm -rf "$TREE/vendor/github.com/modern-go/reflect2"
  cp -r "$REFLECT2_SRC" "$TREE/vendor/github.com/modern-go/reflect2"
  echo "$RECIPE" >"$TREE/.extract-complete"
fi

mkdir -p "$TREE/.go/src/k8s.io"
[[ -L "$TREE/.go/src/k8s.io/kubernetes" ]] || ln -s ../../.. "$TREE/.go/src/k8s.io/kubernetes"

export GOPATH="$TREE/.go"
export GOCACHE="$WORK/gocache"
export GOFLAGS=""
export CGO_ENABLED=0
export HOME_FOR_BUILD="$WORK/home"
mkdir -p "$HOME_FOR_BUILD"

log "building kube-apiserver, kubectl, kube-controller-manager v${K8S_VERSION} (takes ~5-10 min on 2 cores) ... ($(elapsed))"
(
  # 1s sleeps: an orphaned sleep must not outlive us for long; fd 9 (lock) closed.
  exec 9>&-
  n=0
  while kill -0 $$ 2>/dev/null; do
    sleep 1
    n=$((n + 1))
    if (( n % 30 == 0 )); then log "... still building ($(elapsed))"; fi
  done
) >/dev/null &
HEARTBEAT=$!
set +e
(
  cd "$TREE"
  exec 9>&-
  HOME="$HOME_FOR_BUILD" make WHAT="cmd/kube-apiserver cmd/kubectl cmd/kube-controller-manager" 2>&1 \
    | sed -u 's/^/[kube-binaries] make: /' >&2
)
MAKE_RC=$?
set -e
kill "$HEARTBEAT" 2>/dev/null || true
wait "$HEARTBEAT" 2>/dev/null || true
[[ $MAKE_RC -eq 0 ]] || die "make failed with exit code $MAKE_RC"

OUT="$TREE/_output/bin"
[[ -x "$OUT/kube-apiserver" && -x "$OUT/kubectl" && -x "$OUT/kube-controller-manager" ]] \
  || die "build finished but binaries missing in $OUT"

# ---------------------------------------------------------------- install atomically
STAGING="$(mktemp -d "$CACHE/k8s/.staging.XXXXXX")"
cp "$OUT/kube-apiserver" "$OUT/kubectl" "$OUT/kube-controller-manager" "$STAGING/"
cp /usr/bin/etcd "$STAGING/etcd"
chmod 0755 "$STAGING"/*
echo "$RECIPE" >"$STAGING/.recipe"
chmod 0755 "$STAGING"
rm -rf "$PLATFORM_DIR"
mv -T "$STAGING" "$PLATFORM_DIR"
STAGING=""

binaries_ok || die "installed binaries in $PLATFORM_DIR do not run"

if [[ "${KUBE_BIN_KEEP_WORK:-0}" == 1 ]]; then
  log "keeping build tree $WORK ($(du -sh "$WORK" 2>/dev/null | cut -f1)); removing go build cache"
  rm -rf "$GOCACHE"
else
  log "removing build tree $WORK ($(du -sh "$WORK" 2>/dev/null | cut -f1))"
  rm -rf "$WORK"
fi

log "done in $(elapsed):"
for b in "${BINS[@]}"; do
  case "$b" in
    kubectl) v="$("$PLATFORM_DIR/$b" version --client --short 2>/dev/null || true)" ;;
    etcd)    v="$("$PLATFORM_DIR/$b" --version 2>/dev/null | head -n1)" ;;
    *)       v="$("$PLATFORM_DIR/$b" --version 2>/dev/null)" ;;
  esac
  log "  $PLATFORM_DIR/$b: $v"
done
echo "$CACHE"
