#!/usr/bin/env bash
# Bad settings of the silo and the environment (issue 21). Usage: bash bad-settings.sh REPO (after `dotnet build -c Release src/Client src/Silo`); needs redis-server.
cd "$1"
S="dotnet src/Silo/bin/Release/net10.0/unlearn-silo.dll"
U="dotnet src/Client/bin/Release/net10.0/unlearn.dll"
T=$(mktemp -d)
runs() { # env... -- description
  local desc="$1"; shift
  local start=$(date +%s.%N)
  env "$@" timeout 120 $S > $T/out.txt 2> $T/err.txt; local rc=$?
  local end=$(date +%s.%N)
  printf '| silo `%s` | %s | %.1f | %s | %s |\n' "$desc" "$rc" "$(echo "$end - $start" | bc)" "$(grep -m1 '^error' $T/err.txt | cut -c1-200)" "$(grep -c '   at ' $T/err.txt)"
}
runu() {
  local desc="$1"; shift
  local start=$(date +%s.%N)
  "$@" > $T/out.txt 2> $T/err.txt; local rc=$?
  local end=$(date +%s.%N)
  printf '| `%s` | %s | %.1f | %s | %s |\n' "$desc" "$rc" "$(echo "$end - $start" | bc)" "$(grep -m1 . $T/err.txt | cut -c1-200)" "$(grep -c '   at ' $T/err.txt)"
}
runs "Cluster__SiloPort=0 Cluster__PrimarySiloPort=11999 (no silo there)" Cluster__SiloPort=0 Cluster__GatewayPort=0 Metrics__Port=0 Cluster__PrimarySiloPort=11999
runs "Metrics__Port=99999" Cluster__SiloPort=0 Cluster__GatewayPort=0 Metrics__Port=99999
runs "Metrics__Address=my-host" Cluster__SiloPort=0 Cluster__GatewayPort=0 Metrics__Port=0 Metrics__Address=my-host
runs "Cells__Slots=-1" Cluster__SiloPort=0 Cluster__GatewayPort=0 Metrics__Port=0 Cells__Slots=-1
runs "Cells__Device=cuda (no CUDA)" Cluster__SiloPort=0 Cluster__GatewayPort=0 Metrics__Port=0 Cells__Device=cuda
runs "Cluster__Redis=redis://127.0.0.1:1" Cluster__Redis=redis://127.0.0.1:1 Cluster__SiloPort=0 Cluster__GatewayPort=0 Metrics__Port=0
runs "Cluster__RedisPasswordFile=/nonexistent" Cluster__Redis=redis://127.0.0.1:1 Cluster__RedisPasswordFile=/nonexistent Metrics__Port=0
redis-server --port 6398 --save '' --daemonize yes > /dev/null; sleep 1
runu "UNLEARN_SILO_WAIT=5 grid synthetic-small --cluster redis://127.0.0.1:6398 (Redis up, no silo)" env UNLEARN_SILO_WAIT=5 $U grid synthetic-small --cluster redis://127.0.0.1:6398 --out $T/o
runu "UNLEARN_SILO_WAIT=soon grid synthetic-small --cluster redis://127.0.0.1:6398" env UNLEARN_SILO_WAIT=soon $U grid synthetic-small --cluster redis://127.0.0.1:6398 --out $T/o
runu "UNLEARN_LOG_LEVEL=loud grid synthetic-small" env UNLEARN_LOG_LEVEL=loud $U grid synthetic-small --out $T/o
runu "Metrics__Address=nowhere grid synthetic-small --metrics-port 0" env Metrics__Address=nowhere $U grid synthetic-small --metrics-port 0 --out $T/o
redis-cli -p 6398 shutdown nosave >/dev/null 2>&1
