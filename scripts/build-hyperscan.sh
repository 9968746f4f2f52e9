#!/usr/bin/env bash
# Build the `hyperscan` Python binding 0.9.1 (PyPI sdist) against an engine that does not lose
# matches like the Vectorscan 5.4.12 bundled in the PyPI wheels 0.7.23-0.9.1 (docs/waf.md, "The
# Hyperscan engine"). `make hyperscan-intel` runs this and installs the wheel into .venv.
#
#   MODE=intel542 (default): Intel Hyperscan 5.4.2 built from source (Debian's orig tarball of
#       hyperscan 5.4.2, from trixie's source index) as static fat-runtime libraries with Chimera
#       (PCRE 8.39 from Debian's pcre3 source), linked into a self-contained wheel.
#       About 35-45 minutes on 2 cores under `nice -n 19` while other work runs.
#   MODE=system: Debian's own libhyperscan5 (Intel 5.4.0, bookworm) as a shared library; Chimera
#       replaced by a stub that fails every call (Debian ships no Chimera). Seconds to build; the
#       wheel needs the libhyperscan5 package installed wherever it runs.
#
# Everything happens under $WORK (default ./.hyperscan-build); the wheel lands in $WORK/dist.
# Needs root for apt-get. Network: Debian's archive and PyPI only.
set -euo pipefail

MODE=${MODE:-intel542}
WORK=${WORK:-$PWD/.hyperscan-build}
JOBS=${JOBS:-2}
NICE="nice -n 19"
PY=${PYTHON:-python3}
BINDING_VERSION=0.9.1
mkdir -p "$WORK" && cd "$WORK"
start=$(date +%s)
log() { echo "[build.sh $(( $(date +%s) - start ))s] $*"; }

# --- tools ---------------------------------------------------------------------------------
export DEBIAN_FRONTEND=noninteractive
# deb-src: trixie (hyperscan 5.4.2), bookworm (pcre3 8.39 for Chimera; hyperscan 5.4.0's headers)
cat > /etc/apt/sources.list.d/bastion-hyperscan-src.sources <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
apt-get update -qq
apt-get install -y -qq g++ make cmake ragel libboost-dev python3-venv python3-dev dpkg-dev >/dev/null
if [ "$MODE" = system ]; then apt-get install -y -qq libhyperscan-dev >/dev/null; fi

[ -x venv/bin/python ] || $PY -m venv venv
venv/bin/pip install -q -U pip
venv/bin/pip install -q scikit-build-core "cmake>=3.31" ninja

# --- binding source (PyPI sdist; preparing its metadata needs the build tools above) ---------
if [ ! -f sdist/hyperscan-$BINDING_VERSION.tar.gz ]; then
  venv/bin/pip download -q --no-deps --no-build-isolation --no-binary hyperscan \
    hyperscan==$BINDING_VERSION -d sdist
fi
echo "435aac3317b502ed73b183a35a58073853920b767d2e150722877f00c89ed824  sdist/hyperscan-$BINDING_VERSION.tar.gz" | sha256sum -c -

# Chimera stand-in (MODE=system) and an empty archive for the libraries the binding's CMake
# insists on finding (libhs_runtime.a, libpcre.a) but that add nothing there.
stub_chimera() {  # $1 = dir holding chimera/ch*.h and src/hs*.h, $2 = lib dir
  cat > "$1/chimera_stub.c" <<'EOF'
/* Debian ships no Chimera: every ch_* call fails with CH_INVALID (Database(chimera=True) raises). */
#include <stddef.h>
#include "ch.h"
ch_error_t ch_compile_ext_multi(const char *const *e, const unsigned *f, const unsigned *i, unsigned n,
    unsigned m, unsigned long ml, unsigned long mr, const hs_platform_info_t *p, ch_database_t **db,
    ch_compile_error_t **err) { if (db) *db = NULL; if (err) *err = NULL; return CH_INVALID; }
ch_error_t ch_free_database(ch_database_t *db) { return db ? CH_INVALID : CH_SUCCESS; }
ch_error_t ch_database_info(const ch_database_t *db, char **info) { return CH_INVALID; }
ch_error_t ch_database_size(const ch_database_t *db, size_t *size) { return CH_INVALID; }
ch_error_t ch_alloc_scratch(const ch_database_t *db, ch_scratch_t **s) { return CH_INVALID; }
ch_error_t ch_clone_scratch(const ch_scratch_t *src, ch_scratch_t **dest) { return CH_INVALID; }
ch_error_t ch_free_scratch(ch_scratch_t *s) { return s ? CH_INVALID : CH_SUCCESS; }
ch_error_t ch_scan(const ch_database_t *db, const char *data, unsigned length, unsigned flags,
    ch_scratch_t *scratch, ch_match_event_handler on_event, ch_error_event_handler on_error,
    void *context) { return CH_INVALID; }
EOF
  $NICE gcc -O2 -fPIC -I"$1/src" -I"$1/chimera" -c "$1/chimera_stub.c" -o "$1/chimera_stub.o"
  ar rcs "$2/libchimera.a" "$1/chimera_stub.o"
}
empty_archive() {  # $1 = path
  echo 'void bastion_empty_archive_marker(void) {}' > "$1.c"
  gcc -fPIC -c "$1.c" -o "$1.o" && ar rcs "$1" "$1.o" && rm -f "$1.c" "$1.o"
}

if [ "$MODE" = intel542 ]; then
  # --- Intel Hyperscan 5.4.2 + PCRE 8.39 sources from Debian ---------------------------------
  mkdir -p debsrc && cd debsrc
  # trixie's hyperscan_5.4.2-3.dsc may be gone from the mirror (a newer Debian revision
  # replaced it); the orig tarball is all that is needed.
  [ -f hyperscan_5.4.2.orig.tar.gz ] || apt-get source --download-only hyperscan/trixie || true
  [ -f pcre3_8.39.orig.tar.bz2 ] || apt-get source --download-only pcre3/bookworm || true
  sha256sum -c - <<'EOF'
bfca640f42d2d9325584fe2936347fb07c6f1a102915ed5378d3b149a786f11c  hyperscan_5.4.2.orig.tar.gz
b858099f82483031ee02092711689e7245586ada49e534a06e678b8ea9549e8b  pcre3_8.39.orig.tar.bz2
EOF
  rm -rf intel-hyperscan-* pcre-8.39
  tar xzf hyperscan_5.4.2.orig.tar.gz && tar xjf pcre3_8.39.orig.tar.bz2
  HS_SRC=$(cd intel-hyperscan-* && pwd)
  PCRE_SRC=$(cd pcre-8.39 && pwd)
  cd "$WORK"

  # --- static, position-independent, fat runtime (core2/corei7/avx2 dispatch at run time) ----
  # CORRECT_PCRE_VERSION=YES: Hyperscan asks PCRE >= 8.41 for Chimera; Debian has 8.39 (the
  # binding's own CMake passes the same override).
  rm -rf hs-build && mkdir hs-build
  log "configuring Intel Hyperscan 5.4.2"
  $NICE cmake -S "$HS_SRC" -B hs-build -G "Unix Makefiles" -Wno-dev \
    -DCMAKE_BUILD_TYPE=Release -DBUILD_STATIC_LIBS=ON -DBUILD_SHARED_LIBS=OFF -DFAT_RUNTIME=ON \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DCMAKE_C_FLAGS="-fPIC" \
    -DCMAKE_CXX_FLAGS="-fPIC -D_GLIBCXX_USE_CXX11_ABI=1" \
    -DPCRE_SOURCE="$PCRE_SRC" -DCORRECT_PCRE_VERSION=YES -DBUILD_EXAMPLES=OFF > hs-configure.log
  log "building libhs, libhs_runtime, libchimera, libpcre (log: $WORK/hs-build.log)"
  $NICE make -C hs-build -j"$JOBS" hs hs_runtime chimera pcre > hs-build.log 2>&1
  LIB_ROOT=$WORK/hs-build/lib
  SRC_ROOT=$HS_SRC
  ls -la "$LIB_ROOT"/libhs.a "$LIB_ROOT"/libhs_runtime.a "$LIB_ROOT"/libchimera.a "$LIB_ROOT"/libpcre.a
else
  # --- Debian's libhyperscan5 (Intel 5.4.0): its libhs.a is not PIC, so link the shared one ----
  rm -rf sys && mkdir -p sys/src sys/chimera sys/lib
  cp /usr/include/hs/*.h sys/src/
  # Chimera's public headers: from Debian's hyperscan source (bookworm, 5.4.0)
  (cd sys && apt-get source --download-only hyperscan/bookworm >/dev/null 2>&1 || true
   tar xzf hyperscan_5.4.0.orig.tar.gz --wildcards '*/chimera/ch*.h' && cp */chimera/ch*.h chimera/)
  stub_chimera "$WORK/sys" "$WORK/sys/lib"
  # The binding's CMake imports "libhs.a": a file holding a shared object links as one (the
  # extension then needs libhs.so.5 at run time). libhs.so contains the runtime too, and linking
  # libhs_runtime.so beside it upsets IFUNC resolution, so the runtime archive stays empty.
  ln -sf /usr/lib/x86_64-linux-gnu/libhs.so.5 sys/lib/libhs.a
  empty_archive "$WORK/sys/lib/libhs_runtime.a"
  empty_archive "$WORK/sys/lib/libpcre.a"
  LIB_ROOT=$WORK/sys/lib
  SRC_ROOT=$WORK/sys
fi

# --- the binding, against those libraries ----------------------------------------------------
log "building the hyperscan $BINDING_VERSION wheel against $LIB_ROOT"
rm -rf binding-build dist && mkdir dist
$NICE venv/bin/pip wheel --no-deps --no-build-isolation "sdist/hyperscan-$BINDING_VERSION.tar.gz" -w dist \
  -C cmake.define.HS_BUILD_LIB_ROOT="$LIB_ROOT" -C cmake.define.HS_SRC_ROOT="$SRC_ROOT" \
  -C build-dir="$WORK/binding-build" > binding.log 2>&1
wheel=$(ls "$WORK"/dist/hyperscan-*.whl)

# --- smoke check: which engine is inside -------------------------------------------------------
rm -rf check && venv/bin/pip install -q --no-deps --target check "$wheel"
PYTHONPATH=check venv/bin/python - <<'EOF'
import hyperscan
db = hyperscan.Database()
db.compile(expressions=[b"a"], ids=[0], elements=1, flags=[0])
print("engine:", db.info().decode())
EOF
log "done: $wheel ($(du -h "$wheel" | cut -f1))"
