#!/usr/bin/env bash
# Makes sure the compiled build (`make native`) can compile: a C compiler and the headers of the
# Python it builds for. As root it installs what is missing with apt-get; otherwise it says exactly
# what to install.
set -euo pipefail
. "$(dirname "$0")/apt-packages.sh"
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
apt_install "what the compiled build needs" "The compiled build needs a C compiler and Python's headers." "${packages[@]}"
