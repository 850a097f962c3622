#!/bin/sh
# Copy the offline Alpine package mirror (or part of it) into a tree that
# is copied over a root file system: DEST/mirror/v3.19/main/x86_64 with
# the signed index and the named packages (all of them if none is named),
# the mirror's signing keys in DEST/etc/apk/keys, and
# DEST/etc/apk/repositories naming /mirror/v3.19/main, as
# scripts/mkinitramfs-alpine.sh sets up the initramfs.  apk reads the
# whole index but fetches only the packages it installs.
# Usage: alpine-mirror.sh DEST [PACKAGE.apk...]
# The Alpine folder is $ALPINE_DIR, else ../shared/alpine next to the
# repository, else /work/shared/alpine.
set -eu
dest=$1; shift
top=$(cd "$(dirname "$0")/.." && pwd)
alpine=${ALPINE_DIR:-}
for cand in "$top/../shared/alpine" /work/shared/alpine; do
	[ -n "$alpine" ] && break
	[ -f "$cand/alpine-minirootfs-3.19.4-x86_64.tar.gz" ] && alpine=$cand
done
[ -n "$alpine" ] || { echo "alpine-mirror: no Alpine folder (set ALPINE_DIR)" >&2; exit 1; }
src=$alpine/v3.19/main/x86_64
mkdir -p "$dest/mirror/v3.19/main/x86_64" "$dest/etc/apk/keys"
if [ $# = 0 ]; then
	cp "$src"/* "$dest/mirror/v3.19/main/x86_64/"
else
	cp "$src/APKINDEX.tar.gz" "$dest/mirror/v3.19/main/x86_64/"
	for p in "$@"; do
		cp "$src/$p" "$dest/mirror/v3.19/main/x86_64/"
	done
fi
chmod -R u+w "$dest/mirror" "$dest/etc"
cp "$alpine/keys/"*.pub "$dest/etc/apk/keys/"
echo /mirror/v3.19/main > "$dest/etc/apk/repositories"
