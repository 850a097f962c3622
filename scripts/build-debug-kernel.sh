#!/bin/sh
# Build a debug kernel (-DKERNEL_DEBUG: heap poisoning and redzones,
# DEBUG_ASSERT on) into build-debug/kernel.elf, from the same build.ninja
# with its outputs moved to build-debug/.
set -eu
cd "$(dirname "$0")/.."
mkdir -p build-debug
sed -e 's|build/|build-debug/|g' \
    -e 's|^builddir = build$|builddir = build-debug|' \
    -e 's|-O2 -g -Wall|-O2 -g -DKERNEL_DEBUG -Wall|' \
    build.ninja > build-debug/build.ninja
ninja -f build-debug/build.ninja build-debug/kernel.elf build-debug/kernel.ksyms-ok \
	build-debug/initramfs.cpio >/dev/null
