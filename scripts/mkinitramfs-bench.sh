#!/bin/sh
# Build the benchmark initramfs (test/bench): /init (the bench init, musl
# build), the benchmark programs of both libcs under /bench/<libc>/, the
# list of programs to run in /bench/programs, Debian's static BusyBox as
# /bin/busybox (the pipeline workload) with /bin/sh, and empty mount points.
# The same archive boots this kernel and Linux (scripts/bench adds Linux's
# virtio disk modules through EXTRA_DIR; this kernel ignores them).
# Usage: mkinitramfs-bench.sh OUT.cpio [EXTRA_DIR]   (after ninja build/bench-programs)
#   $BENCH_PROGRAMS and $BENCH_LIBCS override the programs (default: those
#   of test/bench/programs) and libcs (default: musl glibc); scripts/bench
#   builds the gcc_compile image with BENCH_PROGRAMS=gcc BENCH_LIBCS=musl.
set -eu
out=$1 extra=${2:-}
src=build/bench
programs=${BENCH_PROGRAMS:-$(grep -v "^#" test/bench/programs)}
libcs=${BENCH_LIBCS:-musl glibc}
[ -n "$programs" ] || { echo "$0: no programs in test/bench/programs" >&2; exit 1; }
[ -x "$src/musl/init" ] || { echo "$0: $src/musl/init missing; run ninja build/bench-programs" >&2; exit 1; }
[ -x /bin/busybox ] || { echo "$0: /bin/busybox missing (apt-get install busybox-static)" >&2; exit 1; }
dir=$(mktemp -d "${TMPDIR:-/tmp}/bench-initramfs.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin" "$dir/proc" "$dir/dev" "$dir/tmp" "$dir/sys" "$dir/mnt/ext4" \
	"$dir/bench"
chmod 1777 "$dir/tmp"
strip --strip-all -o "$dir/init" "$src/musl/init"
for libc in $libcs; do
	mkdir -p "$dir/bench/$libc"
	for p in $programs exit-helper; do
		strip --strip-all -o "$dir/bench/$libc/$p" "$src/$libc/$p"
	done
done
for p in $programs; do echo "$p"; done > "$dir/bench/programs"
cp /bin/busybox "$dir/bin/busybox"
ln -s busybox "$dir/bin/sh"
[ -n "$extra" ] && cp -a "$extra/." "$dir/"
(cd "$dir" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) > "$out.tmp"
mv "$out.tmp" "$out"
