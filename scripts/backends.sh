#!/usr/bin/env bash
# Local tracing backends for Spanglass development and tests, on 127.0.0.1 only.
#
#   scripts/backends.sh start  [jaeger|zipkin|tempo ...]   build/download if needed, start, wait until ready
#   scripts/backends.sh stop   [jaeger|zipkin|tempo ...]   stop by PID and wait
#   scripts/backends.sh status [jaeger|zipkin|tempo ...]   what runs (exit 3 if any named one is not running)
#   scripts/backends.sh build  [jaeger|zipkin|tempo ...]   only build/download into the cache
#   scripts/backends.sh env    [jaeger|zipkin|tempo ...]   print the endpoint URLs as shell variables
#
# No names = all three. See scripts/backends/README.md for ports, versions and timings.
#
# Environment:
#   SPANGLASS_CACHE           build/download cache (default ~/.cache/spanglass/backends)
#   SPANGLASS_BACKENDS_RUN    run dir with PID files, logs, Tempo data (default $SPANGLASS_CACHE/run)
#   SPANGLASS_BACKENDS_TIMEOUT  seconds to wait for readiness (default 120)
#   JAEGER_QUERY_PORT JAEGER_QUERY_GRPC_PORT JAEGER_OTLP_HTTP_PORT JAEGER_OTLP_GRPC_PORT
#   ZIPKIN_PORT ZIPKIN_HEAP
#   TEMPO_HTTP_PORT TEMPO_GRPC_PORT TEMPO_OTLP_HTTP_PORT TEMPO_OTLP_GRPC_PORT TEMPO_MEMBERLIST_PORT
set -euo pipefail

# ---- pinned versions: the one place to change them ------------------------------------
# Jaeger v2 is published as a Go module under its v1.x tag (module path has no /v2):
# v1.76.0 is the v2.13.0 release (2025-12-03).
JAEGER_VERSION=2.13.0
JAEGER_MODULE=github.com/jaegertracing/jaeger
JAEGER_MODULE_VERSION=v1.76.0
# Zipkin server, the exec jar from Maven Central.
ZIPKIN_VERSION=3.6.1
# Tempo tags v2.x.y but its module path has no /v2, so the module proxy serves it only
# under pseudo-versions: main at 87c2dc380cec (2025-05-29) = v2.8.0-rc.0 + 2 commits.
TEMPO_VERSION=2.8.0-rc.0-87c2dc380cec
TEMPO_MODULE=github.com/grafana/tempo
TEMPO_MODULE_VERSION=v1.5.1-0.20250529124718-87c2dc380cec
# The go.mod files in scripts/backends/{jaeger,tempo}/ require exactly these module
# versions (checked below); their go.sum files pin every dependency.
# ------------------------------------------------------------------------------------------

ALL=(jaeger zipkin tempo)
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HERE=$ROOT/scripts/backends
CACHE=${SPANGLASS_CACHE:-$HOME/.cache/spanglass/backends}
RUN=${SPANGLASS_BACKENDS_RUN:-$CACHE/run}
TIMEOUT=${SPANGLASS_BACKENDS_TIMEOUT:-120}

export JAEGER_QUERY_PORT=${JAEGER_QUERY_PORT:-16686}
export JAEGER_QUERY_GRPC_PORT=${JAEGER_QUERY_GRPC_PORT:-16685}
export JAEGER_OTLP_HTTP_PORT=${JAEGER_OTLP_HTTP_PORT:-14318}
export JAEGER_OTLP_GRPC_PORT=${JAEGER_OTLP_GRPC_PORT:-14317}
ZIPKIN_PORT=${ZIPKIN_PORT:-9411}
ZIPKIN_HEAP=${ZIPKIN_HEAP:-512m}
export TEMPO_HTTP_PORT=${TEMPO_HTTP_PORT:-3200}
export TEMPO_GRPC_PORT=${TEMPO_GRPC_PORT:-9095}
export TEMPO_OTLP_HTTP_PORT=${TEMPO_OTLP_HTTP_PORT:-24318}
export TEMPO_OTLP_GRPC_PORT=${TEMPO_OTLP_GRPC_PORT:-24317}
export TEMPO_MEMBERLIST_PORT=${TEMPO_MEMBERLIST_PORT:-27946}

JAEGER_BIN=$CACHE/jaeger-$JAEGER_VERSION/jaeger
ZIPKIN_JAR=$CACHE/zipkin-$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-exec.jar
TEMPO_BIN=$CACHE/tempo-$TEMPO_VERSION/tempo

log() { printf '%s\n' "backends: $*" >&2; }
die() { printf '%s\n' "backends: error: $*" >&2; exit 1; }

need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is needed${2:+ ($2)} but not found on PATH"; }

# ---- build / download ------------------------------------------------------------------------

check_gomod() { # dir module version
  local want="$2 $3"
  grep -qE "^[[:space:]]*(require[[:space:]]+)?$2[[:space:]]+$3([[:space:]]|$)" "$1/go.mod" ||
    die "$1/go.mod does not require '$want' (the version at the top of scripts/backends.sh); keep them in step"
}

go_build() { # name module-dir package output ldflags
  local name=$1 dir=$2 pkg=$3 out=$4 ldflags=$5
  need go "Go 1.24 or newer"
  mkdir -p "$(dirname "$out")"
  local blog
  blog=$(dirname "$out")/build.log
  log "building $name ($pkg) into $(dirname "$out") — a first build takes 5-10 minutes on 2 cores; log: $blog"
  local t0=$SECONDS
  if ! (cd "$dir" && GOFLAGS="-trimpath -buildvcs=false -mod=readonly" \
    go build -ldflags "$ldflags" -o "$out.tmp" "$pkg") >"$blog" 2>&1; then
    tail -n 30 "$blog" >&2
    die "building $name failed; full log: $blog"
  fi
  mv -f "$out.tmp" "$out"
  log "built $name in $((SECONDS - t0)) s"
}

build_jaeger() {
  [[ -x $JAEGER_BIN ]] && return 0
  check_gomod "$HERE/jaeger" "$JAEGER_MODULE" "$JAEGER_MODULE_VERSION"
  local v=$JAEGER_MODULE/internal/version
  go_build jaeger "$HERE/jaeger" "$JAEGER_MODULE/cmd/jaeger" "$JAEGER_BIN" \
    "-s -w -X $v.latestVersion=v$JAEGER_VERSION -X $v.commitSHA=$JAEGER_MODULE_VERSION"
}

build_tempo() {
  [[ -x $TEMPO_BIN ]] && return 0
  check_gomod "$HERE/tempo" "$TEMPO_MODULE" "$TEMPO_MODULE_VERSION"
  go_build tempo "$HERE/tempo" "$TEMPO_MODULE/cmd/tempo" "$TEMPO_BIN" \
    "-s -w -X main.Version=$TEMPO_VERSION -X main.Revision=${TEMPO_MODULE_VERSION##*-} -X main.Branch=main"
}

build_zipkin() {
  [[ -s $ZIPKIN_JAR ]] && return 0
  local dir
  dir=$(dirname "$ZIPKIN_JAR")
  mkdir -p "$dir"
  local artifact=io.zipkin:zipkin-server:$ZIPKIN_VERSION:jar:exec
  log "downloading $artifact into $dir"
  if command -v mvn >/dev/null 2>&1; then
    if ! mvn -q -B dependency:copy -Dartifact="$artifact" -DoutputDirectory="$dir" >"$dir/download.log" 2>&1; then
      tail -n 20 "$dir/download.log" >&2
      die "maven could not fetch $artifact; log: $dir/download.log"
    fi
  else
    need curl
    local url=https://repo.maven.apache.org/maven2/io/zipkin/zipkin-server/$ZIPKIN_VERSION/zipkin-server-$ZIPKIN_VERSION-exec.jar
    curl -fsSL -o "$ZIPKIN_JAR.tmp" "$url" || die "download of $url failed"
    local want got
    want=$(curl -fsSL "$url.sha1" | cut -c1-40) || die "download of $url.sha1 failed"
    got=$(sha1sum "$ZIPKIN_JAR.tmp" | cut -c1-40)
    [[ $want == "$got" ]] || die "sha1 mismatch for $url: want $want, got $got"
    mv -f "$ZIPKIN_JAR.tmp" "$ZIPKIN_JAR"
  fi
  [[ -s $ZIPKIN_JAR ]] || die "expected $ZIPKIN_JAR after the download"
}

# ---- processes -----------------------------------------------------------------------------

pidfile() { echo "$RUN/$1.pid"; }
logfile() { echo "$RUN/$1.log"; }

# What the command line of a live server of ours contains (guards against reused PIDs).
signature() {
  case $1 in
    jaeger) echo "$JAEGER_BIN" ;;
    zipkin) echo "$ZIPKIN_JAR" ;;
    tempo) echo "$TEMPO_BIN" ;;
  esac
}

# True while the process exists and is not a zombie waiting to be reaped.
alive() {
  kill -0 "$1" 2>/dev/null || return 1
  local st
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $st && $st != Z && $st != X ]]
}

# Prints the PID if the server runs, else nothing (and removes a stale PID file).
running_pid() {
  local f pid
  f=$(pidfile "$1")
  [[ -s $f ]] || return 0
  pid=$(<"$f")
  if [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$(signature "$1")"; then
    echo "$pid"
  else
    rm -f "$f"
  fi
}

ports_of() {
  case $1 in
    jaeger) echo "$JAEGER_QUERY_PORT $JAEGER_QUERY_GRPC_PORT $JAEGER_OTLP_HTTP_PORT $JAEGER_OTLP_GRPC_PORT" ;;
    zipkin) echo "$ZIPKIN_PORT" ;;
    tempo) echo "$TEMPO_HTTP_PORT $TEMPO_GRPC_PORT $TEMPO_OTLP_HTTP_PORT $TEMPO_OTLP_GRPC_PORT $TEMPO_MEMBERLIST_PORT" ;;
  esac
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ready_url() {
  case $1 in
    jaeger) echo "http://127.0.0.1:$JAEGER_QUERY_PORT/api/services" ;;
    zipkin) echo "http://127.0.0.1:$ZIPKIN_PORT/health" ;;
    tempo) echo "http://127.0.0.1:$TEMPO_HTTP_PORT/ready" ;;
  esac
}

# Starts "$@" detached in its own session; its PID goes to the PID file. The server
# must not inherit fd 9 (the lock held by locked()), or it would hold the lock forever.
spawn() { # name cmd...
  local name=$1
  shift
  local f
  f=$(pidfile "$name")
  rm -f "$f"
  if command -v setsid >/dev/null 2>&1; then
    nohup setsid bash -c 'echo $$ >"$0"; exec "$@"' "$f" "$@" </dev/null >>"$(logfile "$name")" 2>&1 9>&- &
  else
    nohup bash -c 'echo $$ >"$0"; exec "$@"' "$f" "$@" </dev/null >>"$(logfile "$name")" 2>&1 9>&- &
  fi
  local i
  for i in $(seq 50); do
    [[ -s $f ]] && return 0
    sleep 0.1
  done
  die "could not start $name; log: $(logfile "$name")"
}

start_one() {
  local name=$1 pid
  pid=$(running_pid "$name")
  if [[ -n $pid ]]; then
    log "$name already running (pid $pid)"
    return 0
  fi
  "build_$name"
  local p
  for p in $(ports_of "$name"); do
    port_busy "$p" && die "port 127.0.0.1:$p (for $name) is already in use by another process; stop it or set the port variables (see scripts/backends.sh --help)"
  done
  mkdir -p "$RUN"
  local lf
  lf=$(logfile "$name")
  : >"$lf"
  case $name in
    jaeger)
      spawn jaeger "$JAEGER_BIN" --config "$HERE/jaeger/config.yaml"
      ;;
    zipkin)
      need java "Java 17 or newer"
      STORAGE_TYPE=mem QUERY_PORT=$ZIPKIN_PORT SELF_TRACING_ENABLED=false \
        spawn zipkin java -Xms32m "-Xmx$ZIPKIN_HEAP" -XX:+UseSerialGC -jar "$ZIPKIN_JAR" \
        "--armeria.ports[0].ip=127.0.0.1" "--armeria.ports[0].port=$ZIPKIN_PORT" \
        "--armeria.ports[0].protocols[0]=http"
      ;;
    tempo)
      export TEMPO_DATA_DIR=$RUN/tempo-data
      rm -rf "$TEMPO_DATA_DIR"
      mkdir -p "$TEMPO_DATA_DIR"
      spawn tempo "$TEMPO_BIN" -config.file="$HERE/tempo/tempo.yaml" -config.expand-env=true
      ;;
  esac
  pid=$(<"$(pidfile "$name")")
  local url t0=$SECONDS
  url=$(ready_url "$name")
  while :; do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
      log "$name ready in $((SECONDS - t0)) s (pid $pid, $url)"
      return 0
    fi
    if ! alive "$pid"; then
      tail -n 15 "$lf" | cut -c1-400 >&2 || true
      rm -f "$(pidfile "$name")"
      die "$name exited during startup; log: $lf"
    fi
    if ((SECONDS - t0 >= TIMEOUT)); then
      tail -n 15 "$lf" | cut -c1-400 >&2 || true
      die "$name not ready after ${TIMEOUT}s ($url); it is still running as pid $pid (stop it with: scripts/backends.sh stop $name); log: $lf"
    fi
    sleep 0.5
  done
}

stop_one() {
  local name=$1 pid
  pid=$(running_pid "$name")
  if [[ -z $pid ]]; then
    log "$name not running"
    return 0
  fi
  # Grace period before KILL. Tempo needs ~5 s, but its query-frontend queue can
  # hang shutdown for good when search jobs are still queued after the queriers
  # stopped (seen after any /api/search with a limit); its data is thrown away anyway.
  local grace=20
  [[ $name == tempo ]] && grace=8
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq $((grace * 5))); do
    alive "$pid" || break
    sleep 0.2
  done
  if alive "$pid"; then
    log "$name (pid $pid) did not stop after $grace s; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 50); do
      alive "$pid" || break
      sleep 0.1
    done
  fi
  rm -f "$(pidfile "$name")"
  [[ $name == tempo ]] && rm -rf "$RUN/tempo-data"
  log "$name stopped (was pid $pid)"
}

status_one() {
  local name=$1 pid rss
  pid=$(running_pid "$name")
  if [[ -z $pid ]]; then
    printf '%-7s stopped\n' "$name"
    return 1
  fi
  rss=$(awk '/^VmRSS:/ {printf "%d MiB", $2/1024}' "/proc/$pid/status" 2>/dev/null || echo '?')
  local state=ready
  curl -fsS -o /dev/null --max-time 2 "$(ready_url "$name")" 2>/dev/null || state='NOT READY'
  case $name in
    jaeger) printf '%-7s running pid %-7s rss %-9s %s  query http://127.0.0.1:%s  otlp-http http://127.0.0.1:%s  otlp-grpc 127.0.0.1:%s  v%s\n' \
      "$name" "$pid" "$rss" "$state" "$JAEGER_QUERY_PORT" "$JAEGER_OTLP_HTTP_PORT" "$JAEGER_OTLP_GRPC_PORT" "$JAEGER_VERSION" ;;
    zipkin) printf '%-7s running pid %-7s rss %-9s %s  api+collector http://127.0.0.1:%s  v%s\n' \
      "$name" "$pid" "$rss" "$state" "$ZIPKIN_PORT" "$ZIPKIN_VERSION" ;;
    tempo) printf '%-7s running pid %-7s rss %-9s %s  api http://127.0.0.1:%s  otlp-http http://127.0.0.1:%s  otlp-grpc 127.0.0.1:%s  v%s\n' \
      "$name" "$pid" "$rss" "$state" "$TEMPO_HTTP_PORT" "$TEMPO_OTLP_HTTP_PORT" "$TEMPO_OTLP_GRPC_PORT" "$TEMPO_VERSION" ;;
  esac
  [[ $state == ready ]]
}

env_one() {
  case $1 in
    jaeger) echo "SPANGLASS_JAEGER_URL=http://127.0.0.1:$JAEGER_QUERY_PORT"
      echo "SPANGLASS_JAEGER_OTLP_URL=http://127.0.0.1:$JAEGER_OTLP_HTTP_PORT" ;;
    zipkin) echo "SPANGLASS_ZIPKIN_URL=http://127.0.0.1:$ZIPKIN_PORT" ;;
    tempo) echo "SPANGLASS_TEMPO_URL=http://127.0.0.1:$TEMPO_HTTP_PORT"
      echo "SPANGLASS_TEMPO_OTLP_URL=http://127.0.0.1:$TEMPO_OTLP_HTTP_PORT" ;;
  esac
}

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit "${1:-2}"
}

# ---- main ----------------------------------------------------------------------------------

cmd=${1:-}
[[ -n $cmd ]] || usage 2
shift
case $cmd in -h | --help | help) usage 0 ;; esac
names=("$@")
((${#names[@]})) || names=("${ALL[@]}")
for n in "${names[@]}"; do
  case $n in jaeger | zipkin | tempo) ;; *) die "unknown backend '$n' (jaeger, zipkin or tempo)" ;; esac
done

mkdir -p "$RUN"

# One build/start/stop of the same backend at a time (parallel test runners share
# the ports); a long build of one backend does not hold up the others.
locked() { # name cmd...
  local name=$1
  shift
  if command -v flock >/dev/null 2>&1; then
    { flock 9; "$@"; } 9>"$RUN/.$name.lock"
  else
    "$@"
  fi
}

case $cmd in
  start)
    need curl
    for n in "${names[@]}"; do locked "$n" start_one "$n"; done
    ;;
  stop)
    # reverse order of start
    for ((i = ${#names[@]} - 1; i >= 0; i--)); do locked "${names[i]}" stop_one "${names[i]}"; done
    ;;
  status)
    rc=0
    for n in "${names[@]}"; do status_one "$n" || rc=3; done
    exit $rc
    ;;
  build)
    for n in "${names[@]}"; do locked "$n" "build_$n"; done
    ;;
  env)
    for n in "${names[@]}"; do env_one "$n"; done
    ;;
  *) usage 2 ;;
esac
