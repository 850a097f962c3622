#!/bin/sh
# Build an ext4 disk image holding a root file system: the whole disk is
# the file system (no partition table; boot with root=/dev/vda), made by
# mke2fs -t ext4 -d from ROOTFS (a tarball, plain or gzip'd) with
# EXTRA_DIR copied over it.  The image is sparse, sized to the tree plus
# a quarter and 64 MiB of room.
# Usage: mkdisk-rootfs.sh OUT.img ROOTFS.tar[.gz] [EXTRA_DIR [HOSTNAME]]
#   ROOTFS "alpine" means the Alpine 3.19.4 minirootfs of ../shared/alpine
#   (or $ALPINE_DIR).  Needs root (file ownership, device nodes).
set -eu
out=$1 rootfs=$2 extra=${3:-} host=${4:-}
top=$(cd "$(dirname "$0")/.." && pwd)
if [ "$rootfs" = alpine ]; then
	rootfs=
	for cand in ${ALPINE_DIR:-} "$top/../shared/alpine" /work/shared/alpine; do
		f=$cand/alpine-minirootfs-3.19.4-x86_64.tar.gz
		[ -f "$f" ] && { rootfs=$f; break; }
	done
	[ -n "$rootfs" ] || { echo "mkdisk-rootfs: no Alpine folder (set ALPINE_DIR)" >&2; exit 1; }
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/diskroot.XXXXXX")
trap 'rm -rf "$dir"' EXIT
tar -xf "$rootfs" -C "$dir"
[ -n "$host" ] && echo "$host" > "$dir/etc/hostname"
[ -n "$extra" ] && cp -a "$extra/." "$dir/"
mb=$(du -sm "$dir" | cut -f1)
rm -f "$out.part"
truncate -s $((mb + mb / 4 + 64))M "$out.part"
mke2fs -q -F -t ext4 -L root -d "$dir" "$out.part"
mv "$out.part" "$out"
