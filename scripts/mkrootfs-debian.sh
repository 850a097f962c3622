#!/bin/sh
# Build a Debian 12 (bookworm) root file system from Debian's packages with
# mmdebstrap: the minbase variant (bash, coreutils, findutils, grep, sed,
# perl-base, dpkg, apt) plus gawk, perl and python3; documentation, man
# pages and translations are left out to keep the image small.
# Usage: mkrootfs-debian.sh OUT.tar [PACKAGES]
#   PACKAGES: more packages, comma-separated (the GCC variant passes
#   gcc,libc6-dev,make).
#   $DEBIAN_MIRROR overrides the mirror (default: mmdebstrap's, i.e. the
#   host's apt configuration or deb.debian.org).  Needs root.
set -eu
out=$1 more=${2:+,$2}
command -v mmdebstrap >/dev/null || apt-get install -y -q mmdebstrap >/dev/null
tmp=$out.part.tar
rm -f "$tmp"
mmdebstrap --quiet --variant=minbase --mode=root \
	--include=gawk,perl,python3$more \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--dpkgopt='path-exclude=/usr/share/info/*' \
	--customize-hook='rm -rf "$1"/var/cache/apt/* "$1"/var/lib/apt/lists/*' \
	bookworm "$tmp" ${DEBIAN_MIRROR:-}
mv "$tmp" "$out"
