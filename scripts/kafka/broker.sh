#!/usr/bin/env bash
# Run a real, single-node Apache Kafka broker (KRaft, broker+controller in one
# JVM) on 127.0.0.1 for tests and development, from jars resolved from Maven
# Central. No Docker, no download site.
#
#   scripts/kafka/broker.sh install
#   scripts/kafka/broker.sh start  [--port N|auto] [--controller-port N] [--dir DIR]
#   scripts/kafka/broker.sh stop   [--dir DIR] [--keep]
#   scripts/kafka/broker.sh status [--dir DIR]
#
# `start` prints, on stdout and only on success, lines that can be eval'ed:
#   KAFKA_BROKERS=127.0.0.1:<port>
#   KAFKA_DIR=<dir>
#   KAFKA_PID=<pid>
# They are plain assignments, not exports: to hand them to child processes use
#   set -a; eval "$(scripts/kafka/broker.sh start --port 19092)"; set +a
# Everything else goes to stderr. The broker's own output goes to <dir>/broker.log.
#
# Layout of a broker dir: server.properties, broker.env (ports), broker.pid,
# broker.log, data/ (log.dirs and the KRaft metadata log, with meta.properties).
# A stopped broker can be started again on the same dir (`stop --keep`, then
# `start --dir DIR`): formatting is skipped when data/meta.properties exists,
# and the port defaults to the one the dir was started with before.
#
# Environment:
#   XDG_CACHE_HOME / HOME          jar cache: ${XDG_CACHE_HOME:-$HOME/.cache}/sightline/kafka-<version>
#   SIGHTLINE_KAFKA_CACHE          override the whole cache dir
#   SIGHTLINE_KAFKA_START_TIMEOUT  seconds to wait for readiness (default 120)
#   SIGHTLINE_KAFKA_AUTO_CREATE_TOPICS  true|false (default false), see below
#   SIGHTLINE_KAFKA_LOG_LEVEL      root log level of the broker (default WARN)
#   SIGHTLINE_KAFKA_JAVA_OPTS      extra JVM options for the broker
#   JAVA_HOME                      java to use (else `java` on PATH); Java 17+
#
# auto.create.topics.enable=false: the app and tests must create their topics
# (kafkajs admin.createTopics with numPartitions and replicationFactor). A
# typo'd topic name then fails loudly (UNKNOWN_TOPIC_OR_PARTITION, retried by
# kafkajs until it gives up) instead of silently creating a 1-partition topic.
#
# Notes on the recipe this was built from (../shared/docs/kafka-broker.md),
# as verified with Kafka 4.3.1 on OpenJDK 17:
# - The newest 4.x in Maven Central's metadata (4.4.0) does not resolve: its
#   kafka-tools-api:4.4.0 dependency is missing. 4.3.1 is pinned (see pom.xml).
# - log4j-api/log4j-core already come with kafka_2.13 4.x (via kafka-server);
#   only the SLF4J 1.x binding log4j-slf4j-impl was really missing.
# - "Kafka Server started" is logged at INFO by kafka.server.KafkaRaftServer,
#   so a WARN-only config must keep that logger at INFO to see it.
# - broker.log is appended to across restarts, so readiness must only look at
#   what was written after this start, or a restart is "ready" at once.
# - kafka.tools.StorageTool random-uuid / format -t ID -c FILE -g work as the
#   recipe says with a static controller.quorum.voters (no --standalone).
# - But "-g makes format safe to repeat" holds only with the SAME cluster id:
#   formatting an already formatted dir with a new random id fails even with
#   -g ("Invalid cluster.id in: .../meta.properties"). So a restart skips
#   formatting altogether when data/meta.properties exists.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
POM="$SCRIPT_DIR/pom.xml"
LOG4J_CONFIG="$SCRIPT_DIR/log4j2.properties"

# Single source of truth for the version: the pom.
KAFKA_VERSION=$(sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$POM" | head -n1)
[[ -n "$KAFKA_VERSION" ]] || { echo "broker.sh: cannot read kafka.version from $POM" >&2; exit 1; }

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/sightline"
CACHE_DIR="${SIGHTLINE_KAFKA_CACHE:-$CACHE_ROOT/kafka-$KAFKA_VERSION}"
LIBS="$CACHE_DIR/libs"
LAST_DIR_FILE="$CACHE_ROOT/kafka-last-dir"
START_TIMEOUT="${SIGHTLINE_KAFKA_START_TIMEOUT:-120}"
STOP_TIMEOUT=30
DEFAULT_PORT=9092
DIR_MARKER=".sightline-kafka-dir"

log() { printf 'broker.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
  grep '^#   scripts/kafka/broker.sh' "${BASH_SOURCE[0]}" | sed 's/^#   /usage: /' >&2
  exit 2
}

java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  else
    die "java not found (Kafka $KAFKA_VERSION needs Java 17+; set JAVA_HOME or put java on PATH)"
  fi
}

check_java() {
  local java major
  java=$(java_bin)
  major=$("$java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9.]*\).*/\1/p' | head -n1)
  major=${major#1.}; major=${major%%.*}
  [[ -n "$major" ]] || die "cannot tell the version of $java"
  (( major >= 17 )) || die "$java is Java $major; Kafka 4.x needs Java 17+"
}

# ---------------------------------------------------------------- install

pom_hash() { sha256sum "$POM" | cut -c1-64; }

installed() {
  [[ -f "$LIBS/.complete" ]] &&
    [[ "$(cat "$LIBS/.complete")" == "$(pom_hash)" ]] &&
    [[ -f "$LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]]
}

cmd_install() {
  if installed; then
    log "Kafka $KAFKA_VERSION jars already in $LIBS"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (needed once, to resolve the jars)"
  mkdir -p "$CACHE_DIR"
  # Serialize concurrent installs; the fd is closed again before returning so
  # a broker started afterwards does not inherit (and hold) the lock.
  exec 9>"$CACHE_DIR/.install.lock"
  flock 9 2>/dev/null || true
  if installed; then
    exec 9>&-
    log "Kafka $KAFKA_VERSION jars already in $LIBS"
    return 0
  fi
  log "resolving Kafka $KAFKA_VERSION jars from Maven Central into $LIBS ..."
  local tmp
  tmp=$(mktemp -d "$CACHE_DIR/libs.tmp.XXXXXX")
  if ! mvn -B -q -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >&2; then
    rm -rf "$tmp"
    exec 9>&-
    die "mvn dependency:copy-dependencies failed"
  fi
  if [[ ! -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]]; then
    rm -rf "$tmp"
    exec 9>&-
    die "kafka_2.13-$KAFKA_VERSION.jar missing after resolving"
  fi
  pom_hash >"$tmp/.complete"
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  exec 9>&-
  log "installed $(find "$LIBS" -name '*.jar' | wc -l) jars into $LIBS"
}

# ---------------------------------------------------------------- helpers

port_open() { # port -> 0 if something accepts connections on 127.0.0.1:port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

is_port() { [[ "$1" =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= 65534 )); }

pick_free_port() { # a port p with p and p+1 both free
  local i p
  for i in $(seq 1 100); do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! port_open "$p" && ! port_open $((p + 1)); then
      echo "$p"; return 0
    fi
  done
  die "no free port pair found"
}

abs_dir() { mkdir -p "$1" && (cd "$1" && pwd); }

# Is $1 the pid of the broker of dir $2 (guards against recycled pids)?
is_broker_pid() {
  local pid=$1 dir=$2 args
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r "/proc/$pid/cmdline" ]]; then
    args=$(tr '\0' ' ' <"/proc/$pid/cmdline")
  else
    args=$(ps -o args= -p "$pid" 2>/dev/null || true)
  fi
  [[ "$args" == *"kafka.Kafka $dir/server.properties"* ]]
}

running_pid() { # dir -> prints pid and returns 0 if its broker is running
  local dir=$1 pid
  [[ -f "$dir/broker.pid" ]] || return 1
  pid=$(cat "$dir/broker.pid")
  is_broker_pid "$pid" "$dir" || return 1
  echo "$pid"
}

default_dir() { # for stop/status without --dir: the last dir started
  [[ -f "$LAST_DIR_FILE" ]] || die "no --dir given and no broker started before (no $LAST_DIR_FILE)"
  cat "$LAST_DIR_FILE"
}

write_server_properties() { # dir port controller_port
  local dir=$1 port=$2 cport=$3 auto_create="${SIGHTLINE_KAFKA_AUTO_CREATE_TOPICS:-false}"
  cat >"$dir/server.properties" <<EOF
# Written by scripts/kafka/broker.sh on every start; edits are overwritten.
# Single-node KRaft: this process is both broker and controller.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data

# One broker: every internal topic must have replication factor 1, or the
# group/transaction coordinators never become available.
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Fast, small, test-friendly.
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
auto.create.topics.enable=$auto_create
EOF
}

print_env() { # dir port pid; values shell-quoted only if needed (%q)
  printf 'KAFKA_BROKERS=%q\n' "127.0.0.1:$2"
  printf 'KAFKA_DIR=%q\n' "$1"
  printf 'KAFKA_PID=%q\n' "$3"
}

kill_broker() { # pid dir -> SIGTERM, wait up to STOP_TIMEOUT, then SIGKILL
  local pid=$1 dir=$2 i
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < STOP_TIMEOUT * 5; i++ )); do
    is_broker_pid "$pid" "$dir" || return 0
    sleep 0.2
  done
  log "broker pid $pid did not exit within ${STOP_TIMEOUT}s of SIGTERM; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for (( i = 0; i < 50; i++ )); do
    is_broker_pid "$pid" "$dir" || return 0
    sleep 0.1
  done
  die "broker pid $pid survived SIGKILL"
}

# ---------------------------------------------------------------- start

cmd_start() {
  local port="" cport="" dir=""
  while (( $# )); do
    case "$1" in
      --port) port=${2:?--port needs a value}; shift 2 ;;
      --controller-port) cport=${2:?--controller-port needs a value}; shift 2 ;;
      --dir) dir=${2:?--dir needs a value}; shift 2 ;;
      -h|--help) usage ;;
      *) die "start: unknown argument '$1'" ;;
    esac
  done

  check_java
  cmd_install

  # Without --dir a fresh temp dir is made, but only once the ports are known
  # to be usable (so a failed start leaves no empty dir behind).
  if [[ -n "$dir" ]]; then
    dir=$(abs_dir "$dir")
    [[ "$dir" != "/" ]] || die "refusing to use / as the broker dir"
  fi

  # Ports: explicit > the ones this dir used before > defaults.
  local saved_port="" saved_cport=""
  if [[ -n "$dir" && -f "$dir/broker.env" ]]; then
    saved_port=$(sed -n 's/^PORT=//p' "$dir/broker.env")
    saved_cport=$(sed -n 's/^CONTROLLER_PORT=//p' "$dir/broker.env")
  fi

  local pid
  if [[ -n "$dir" ]] && pid=$(running_pid "$dir"); then
    local running_port=$saved_port
    if [[ -n "$port" && "$port" != auto && "$port" != "$running_port" ]]; then
      die "a broker is already running on $dir (pid $pid, port $running_port)"
    fi
    log "already running on $dir (pid $pid)"
    print_env "$dir" "$running_port" "$pid"
    return 0
  fi

  if [[ "$port" == auto ]]; then
    port=$(pick_free_port)
    [[ -n "$cport" ]] || cport=$((port + 1))
  fi
  [[ -n "$port" ]] || port=${saved_port:-$DEFAULT_PORT}
  if [[ -z "$cport" ]]; then
    if [[ -n "$saved_cport" && "$port" == "$saved_port" ]]; then cport=$saved_cport; else cport=$((port + 1)); fi
  fi
  is_port "$port" || die "bad --port '$port'"
  is_port "$cport" || die "bad --controller-port '$cport'"
  [[ "$port" != "$cport" ]] || die "port and controller port must differ"
  port_open "$port" && die "127.0.0.1:$port is already in use"
  port_open "$cport" && die "127.0.0.1:$cport (controller) is already in use"

  [[ -n "$dir" ]] || dir=$(mktemp -d "${TMPDIR:-/tmp}/sightline-kafka.XXXXXX")

  touch "$dir/$DIR_MARKER"
  mkdir -p "$dir/data"
  printf 'PORT=%s\nCONTROLLER_PORT=%s\n' "$port" "$cport" >"$dir/broker.env"
  write_server_properties "$dir" "$port" "$cport"

  local java logfile="$dir/broker.log"
  java=$(java_bin)
  local cp="$LIBS/*" # quoted everywhere: java expands the wildcard, not the shell
  local log_opts=(
    "-Dlog4j2.configurationFile=file:$LOG4J_CONFIG"
    "-Dsightline.kafka.log.level=${SIGHTLINE_KAFKA_LOG_LEVEL:-WARN}"
    "-Dkafka.logs.dir=$dir"
  )

  if [[ -f "$dir/data/meta.properties" ]]; then
    log "reusing formatted storage in $dir/data ($(sed -n 's/^cluster.id=//p' "$dir/data/meta.properties"))"
  else
    local cluster_id
    cluster_id=$("$java" -Xmx256m "${log_opts[@]}" -cp "$cp" kafka.tools.StorageTool random-uuid 2>>"$logfile" | tail -n1)
    [[ "$cluster_id" =~ ^[A-Za-z0-9_-]{22}$ ]] || die "StorageTool random-uuid gave '$cluster_id' (see $logfile)"
    if ! "$java" -Xmx256m "${log_opts[@]}" -cp "$cp" kafka.tools.StorageTool format \
        -t "$cluster_id" -c "$dir/server.properties" --ignore-formatted >>"$logfile" 2>&1; then
      tail -n 30 "$logfile" >&2 || true
      die "StorageTool format failed (log: $logfile)"
    fi
    log "formatted $dir/data with cluster id $cluster_id"
  fi

  # Only what this start writes counts for readiness: the log is appended to
  # across restarts and an old "Kafka Server started" line must not match.
  local offset=0 t0=${EPOCHREALTIME:-$SECONDS}
  [[ -f "$logfile" ]] && offset=$(stat -c %s "$logfile")
  printf '==== broker.sh start %s port=%s controller=%s\n' "$(date -u +%FT%TZ)" "$port" "$cport" >>"$logfile"
  offset=$(stat -c %s "$logfile")

  # shellcheck disable=SC2086 # SIGHTLINE_KAFKA_JAVA_OPTS is a list of options
  "$java" -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true "${log_opts[@]}" ${SIGHTLINE_KAFKA_JAVA_OPTS:-} \
    -cp "$cp" kafka.Kafka "$dir/server.properties" \
    </dev/null >>"$logfile" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/broker.pid"
  mkdir -p "$CACHE_ROOT"
  echo "$dir" >"$LAST_DIR_FILE"

  local deadline=$(( SECONDS + START_TIMEOUT ))
  while :; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "broker exited during startup; last lines of $logfile:"
      tail -n 40 "$logfile" >&2 || true
      rm -f "$dir/broker.pid"
      exit 1
    fi
    # (no grep -q: with pipefail, tail's SIGPIPE would make a match look like a miss)
    if tail -c "+$(( offset + 1 ))" "$logfile" | grep 'Kafka Server started' >/dev/null && port_open "$port"; then
      break
    fi
    if (( SECONDS >= deadline )); then
      log "broker not ready after ${START_TIMEOUT}s; last lines of $logfile:"
      tail -n 40 "$logfile" >&2 || true
      kill_broker "$pid" "$dir" || true
      rm -f "$dir/broker.pid"
      exit 1
    fi
    sleep 0.2
  done

  local took
  took=$(awk -v a="$t0" -v b="${EPOCHREALTIME:-$SECONDS}" 'BEGIN { printf "%.1f", b - a }')
  log "Kafka $KAFKA_VERSION ready on 127.0.0.1:$port (controller $cport) in ${took}s (JVM start to ready), pid $pid, dir $dir"
  print_env "$dir" "$port" "$pid"
}

# ---------------------------------------------------------------- stop

cmd_stop() {
  local dir="" keep=0
  while (( $# )); do
    case "$1" in
      --dir) dir=${2:?--dir needs a value}; shift 2 ;;
      --keep) keep=1; shift ;;
      -h|--help) usage ;;
      *) die "stop: unknown argument '$1'" ;;
    esac
  done
  [[ -n "$dir" ]] || dir=$(default_dir)
  if [[ ! -d "$dir" ]]; then
    log "$dir does not exist; nothing to stop"
    return 0
  fi
  dir=$(cd "$dir" && pwd)

  local pid
  if [[ -n "$dir" ]] && pid=$(running_pid "$dir"); then
    log "stopping broker pid $pid ($dir)"
    kill_broker "$pid" "$dir"
    log "stopped"
  else
    log "no broker running on $dir"
  fi
  rm -f "$dir/broker.pid"

  if (( keep )); then
    log "kept $dir"
  elif [[ -f "$dir/$DIR_MARKER" ]]; then
    rm -rf "$dir"
    log "removed $dir"
    if [[ -f "$LAST_DIR_FILE" && "$(cat "$LAST_DIR_FILE")" == "$dir" ]]; then
      rm -f "$LAST_DIR_FILE"
    fi
  else
    log "not removing $dir: it has no $DIR_MARKER (not made by broker.sh)"
  fi
}

# ---------------------------------------------------------------- status

cmd_status() {
  local dir=""
  while (( $# )); do
    case "$1" in
      --dir) dir=${2:?--dir needs a value}; shift 2 ;;
      -h|--help) usage ;;
      *) die "status: unknown argument '$1'" ;;
    esac
  done
  if installed; then
    log "Kafka $KAFKA_VERSION installed in $LIBS"
  else
    log "Kafka $KAFKA_VERSION not installed (run: $0 install)"
  fi
  if [[ -z "$dir" ]]; then
    if [[ -f "$LAST_DIR_FILE" ]]; then dir=$(cat "$LAST_DIR_FILE"); else
      echo "stopped"; return 3
    fi
  fi
  local pid port=""
  [[ -f "$dir/broker.env" ]] && port=$(sed -n 's/^PORT=//p' "$dir/broker.env")
  if [[ -d "$dir" ]] && dir=$(cd "$dir" && pwd) && pid=$(running_pid "$dir"); then
    if port_open "$port"; then
      echo "running pid=$pid KAFKA_BROKERS=127.0.0.1:$port dir=$dir"
    else
      echo "starting pid=$pid KAFKA_BROKERS=127.0.0.1:$port dir=$dir"
    fi
    return 0
  fi
  echo "stopped dir=$dir"
  return 3
}

# ---------------------------------------------------------------- main

cmd=${1:-}
[[ -n "$cmd" ]] || usage
shift
case "$cmd" in
  install) check_java; cmd_install ;;
  start) cmd_start "$@" ;;
  stop) cmd_stop "$@" ;;
  status) cmd_status "$@" ;;
  -h|--help|help) usage ;;
  *) log "unknown command '$cmd'"; usage ;;
esac
