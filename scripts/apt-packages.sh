# Sourced by the scripts that make sure Debian packages are there (test-services.sh, build-tools.sh).
# apt_install WHAT WHY PACKAGE...: as root, install the packages with apt-get and return 0; otherwise
# say exactly what to install and exit 1. WHAT names them in the progress line, WHY in the request.
apt_install() {
  local what="$1" why="$2"
  shift 2
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $what: $*"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    echo "$why Please install: $*"
    echo "  sudo apt-get install -y $*"
    exit 1
  fi
}
