#!/bin/sh
# Build an initramfs from Alpine's 3.19.4 minirootfs (unmodified: musl,
# BusyBox, apk-tools), with a copy of the offline package mirror at
# /mirror as the apk repository and its signing key installed.
# Usage: mkinitramfs-alpine.sh OUT.cpio [EXTRA_DIR]
#   EXTRA_DIR: a tree copied over the result (tests add files this way).
# The Alpine folder is $ALPINE_DIR, else ../shared/alpine next to the
# repository, else /work/shared/alpine.  Needs root (file ownership).
set -eu
out=$1 extra=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
alpine=${ALPINE_DIR:-}
for cand in "$top/../shared/alpine" /work/shared/alpine; do
	[ -n "$alpine" ] && break
	[ -f "$cand/alpine-minirootfs-3.19.4-x86_64.tar.gz" ] && alpine=$cand
done
[ -n "$alpine" ] || { echo "mkinitramfs-alpine: no Alpine folder (set ALPINE_DIR)" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/alproot.XXXXXX")
trap 'rm -rf "$dir"' EXIT
tar -xzf "$alpine/alpine-minirootfs-3.19.4-x86_64.tar.gz" -C "$dir"
mkdir -p "$dir/mirror"
cp -a "$alpine/v3.19" "$dir/mirror/"
cp "$alpine/keys/"*.pub "$dir/etc/apk/keys/"
echo /mirror/v3.19/main > "$dir/etc/apk/repositories"
[ -n "$extra" ] && cp -a "$extra/." "$dir/"
(cd "$dir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$out"
