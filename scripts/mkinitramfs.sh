#!/bin/sh
# Build the default initramfs: a cpio newc archive of a tiny root tree.
# Usage: mkinitramfs.sh OUT.cpio
set -eu
out=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/initramfs.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/etc" "$dir/dev" "$dir/proc" "$dir/tmp"
echo "kernel" > "$dir/etc/hostname"
(cd "$dir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$out"
