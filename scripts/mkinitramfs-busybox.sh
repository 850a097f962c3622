#!/bin/sh
# Build a BusyBox initramfs from Debian's busybox-static: /bin/busybox,
# a symlink for every applet, /init (BusyBox init) and user/rootfs/
# (inittab and the start script).
# Usage: mkinitramfs-busybox.sh OUT.cpio [EXTRA_DIR]
#   EXTRA_DIR: a tree copied over the result (tests add files this way).
set -eu
out=$1 extra=${2:-}
bb=/bin/busybox
[ -x "$bb" ] || { echo "mkinitramfs-busybox: $bb missing (apt-get install busybox-static)" >&2; exit 1; }
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/bbroot.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin" "$dir/sbin" "$dir/usr/bin" "$dir/usr/sbin" "$dir/etc" \
	"$dir/dev" "$dir/proc" "$dir/sys" "$dir/tmp" "$dir/run" "$dir/root"
cp "$bb" "$dir/bin/busybox"
for applet in $("$bb" --list-full); do
	[ "$applet" = bin/busybox ] && continue
	ln -sf /bin/busybox "$dir/$applet"
done
cp -a "$top/user/rootfs/." "$dir/"
ln -sf /bin/busybox "$dir/init"         # the kernel runs /init: busybox init
echo "root:x:0:0:root:/root:/bin/sh" > "$dir/etc/passwd"
echo "root:x:0:" > "$dir/etc/group"
echo "kernel" > "$dir/etc/hostname"
[ -n "$extra" ] && cp -a "$extra/." "$dir/"
(cd "$dir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$out"
