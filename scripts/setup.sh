#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine to build and run the project.
# libtorch (TorchSharp) needs libstdc++ with GLIBCXX_3.4.32 (GCC 13+). Debian 12 stops at 3.4.30,
# so there we install libstdc++6 from Debian 13 (trixie) with apt pinning (priority 100: nothing
# else is upgraded from trixie unless asked for).
set -euo pipefail

# The linker cache is read whole before it is searched: piping it into a reader that stops at the
# first match (awk '... exit', head) kills ldconfig with SIGPIPE, which pipefail turns into a failure.
ldcache=$(/sbin/ldconfig -p 2>/dev/null || true)
libstdcxx=""
while read -r line; do
  case "$line" in
    *"libstdc++.so.6 "*x86-64*) libstdcxx=${line##* }; break ;;
  esac
done <<<"$ldcache"
libstdcxx=${libstdcxx:-/usr/lib/x86_64-linux-gnu/libstdc++.so.6}

has_glibcxx() { [ -f "$libstdcxx" ] && grep -qa 'GLIBCXX_3\.4\.32' "$libstdcxx"; }

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

if has_glibcxx; then
  echo "setup: $libstdcxx has GLIBCXX_3.4.32"
else
  echo "setup: $libstdcxx lacks GLIBCXX_3.4.32; installing libstdc++6 from Debian 13 (trixie) with apt pinning"
  if [ -f /etc/debian_version ] && grep -q '^12' /etc/debian_version; then
    $SUDO tee /etc/apt/sources.list.d/trixie.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    $SUDO tee /etc/apt/preferences.d/trixie-pin >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t trixie libstdc++6 >/dev/null
  else
    echo "setup: unsupported system; install libstdc++6 from GCC 13 or newer" >&2
    exit 1
  fi
  has_glibcxx || { echo "setup: libstdc++ still lacks GLIBCXX_3.4.32" >&2; exit 1; }
  echo "setup: libstdc++ now has GLIBCXX_3.4.32"
fi

# redis-server: the cluster's membership and state store (the end-to-end test starts its own).
if ! command -v redis-server >/dev/null; then
  echo "setup: installing redis-server"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq redis-server >/dev/null
fi

# prometheus and promtool: the metrics tests scrape a silo with a real Prometheus (its service is not used).
if ! command -v prometheus >/dev/null || ! command -v promtool >/dev/null; then
  echo "setup: installing prometheus"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

# A font for the report's plots (ScottPlot draws its text with the system's fonts).
if [ ! -d /usr/share/fonts/truetype/dejavu ]; then
  echo "setup: installing fonts-dejavu-core"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-dejavu-core >/dev/null
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not on PATH)" >&2; exit 1; }
