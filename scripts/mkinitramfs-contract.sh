#!/bin/sh
# Build the contract-test initramfs: a cpio newc archive with the runner
# (musl build) as /init, every test binary under /tests/<libc>/<area>/<name>
# (libc: musl, glibc, musl-dyn, glibc-dyn) with the shared libraries the
# dynamic tests load next to them (*.so, not executable), the dynamic
# builds' program interpreters and libraries from the build host at the
# paths they name (symbolic links kept as links),
# BusyBox as /bin/busybox with /bin/sh pointing at it (if busybox-static is
# installed) and empty /proc /dev /tmp /sys mount points.  The kernel boots
# it with rdinit=/init; the runner mounts proc, devtmpfs and tmpfs itself.
# Test binaries are copied stripped, the runner without debug info only
# (build/contract keeps the full binaries for symbolizing faults).
# Usage: mkinitramfs-contract.sh OUT.cpio   (run from the top of the tree,
# after "ninja build/contract-tests")
set -eu
out=$1
src=build/contract
[ -x "$src/runner-musl" ] || { echo "$0: $src/runner-musl missing; run ninja build/contract-tests" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/contract-initramfs.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin" "$dir/proc" "$dir/dev" "$dir/tmp" "$dir/sys" "$dir/tests"
chmod 1777 "$dir/tmp"
strip --strip-debug -o "$dir/init" "$src/runner-musl"
# Copy file $1 of the host to the same path in the tree; a symbolic link
# is copied as a link, followed by what it points to.
copy_lib() {
	mkdir -p "$dir$(dirname "$1")"
	if [ -L "$1" ]; then
		target=$(readlink "$1")
		ln -sfn "$target" "$dir$1"
		case $target in
		/*) copy_lib "$target" ;;
		*) copy_lib "$(dirname "$1")/$target" ;;
		esac
	else
		cp "$1" "$dir$1"
	fi
}
for libc in musl glibc musl-dyn glibc-dyn; do
	[ -d "$src/$libc" ] || continue
	(cd "$src" && find "$libc" -type f \( -perm -u+x -o -name '*.so' \) \
		! -name '*.d') | while read -r f; do
		mkdir -p "$dir/tests/$(dirname "$f")"
		strip --strip-all -o "$dir/tests/$f" "$src/$f"
		case $f in *.so) chmod a-x "$dir/tests/$f" ;; esac
	done
done
# musl's ld.so is its libc; glibc's ld.so loads libc.so.6 (from its
# default directory; there is no ld.so.cache), and glibc dlopens
# libgcc_s.so.1 for the unwinder pthread_cancel and pthread_exit use.
copy_lib /lib/ld-musl-x86_64.so.1
copy_lib /lib64/ld-linux-x86-64.so.2
copy_lib /lib/x86_64-linux-gnu/libc.so.6
copy_lib /lib/x86_64-linux-gnu/libgcc_s.so.1
if [ -x /bin/busybox ]; then
	cp /bin/busybox "$dir/bin/busybox"
	ln -s busybox "$dir/bin/sh"
else
	echo "$0: warning: /bin/busybox missing (install busybox-static); no /bin/sh" >&2
fi
(cd "$dir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$out.tmp"
mv "$out.tmp" "$out"
