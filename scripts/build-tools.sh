#!/usr/bin/env bash
# Makes sure the compiled build (`make native`) can compile: a C compiler and the headers of the
# Python it builds for. As root it installs what is missing with apt-get; otherwise it says exactly
# what to install.
set -euo pipefail
python="${1:?usage: build-tools.sh PYTHON}"
packages=()
command -v gcc >/dev/null 2>&1 || packages+=(gcc)
include="$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
if [ ! -f "$include/Python.h" ]; then
  version="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
  packages+=("python${version}-dev")
fi
if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing what the compiled build needs: ${packages[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
else
  echo "The compiled build needs a C compiler and Python's headers. Please install: ${packages[*]}"
  echo "  sudo apt-get install -y ${packages[*]}"
  exit 1
fi
