#!/bin/sh
# Build an initramfs from a Debian root file system tarball (made by
# scripts/mkrootfs-debian.sh) with EXTRA_DIR copied over it.
# Usage: mkinitramfs-debian.sh OUT.cpio ROOTFS.tar [EXTRA_DIR]
# Needs root (file ownership).
set -eu
out=$1 rootfs=$2 extra=${3:-}
dir=$(mktemp -d "${TMPDIR:-/tmp}/debroot.XXXXXX")
trap 'rm -rf "$dir"' EXIT
tar -xf "$rootfs" -C "$dir"
echo debian > "$dir/etc/hostname"
[ -n "$extra" ] && cp -a "$extra/." "$dir/"
(cd "$dir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$out"
