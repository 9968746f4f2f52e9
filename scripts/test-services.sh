#!/usr/bin/env bash
# Makes sure the programs the test suite starts on loopback are installed.
# As root it installs what is missing with apt-get; otherwise it says exactly what to install.
set -euo pipefail
. "$(dirname "$0")/apt-packages.sh"
# chromium and chromedriver: the console's browser test (selenium drives Debian's headless Chromium).
declare -A PACKAGE=( [redis-server]=redis-server [nginx]=nginx [wrk]=wrk [chromium]=chromium [chromedriver]=chromium-driver )

missing_cmds=()
for cmd in "${!PACKAGE[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing_cmds+=("$cmd")
done
pg_ok=0
for dir in /usr/lib/postgresql/*/bin; do
  [ -x "$dir/initdb" ] && pg_ok=1
done
command -v initdb >/dev/null 2>&1 && pg_ok=1
packages=()
for cmd in "${missing_cmds[@]}"; do packages+=("${PACKAGE[$cmd]}"); done
[ "$pg_ok" = 1 ] || packages+=(postgresql)
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
apt_install "test services" "The test suite starts real servers on loopback." "${packages[@]}"
# The tests start their own servers on free loopback ports; the packaged ones are not needed running.
for svc in redis-server nginx postgresql; do
  (command -v systemctl >/dev/null && systemctl disable --now "$svc" >/dev/null 2>&1) || true
done
