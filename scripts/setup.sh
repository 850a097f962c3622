#!/bin/sh
# Install the Debian packages the build, the boot command and the tests
# need, if any is missing.  Safe to run repeatedly; needs root (or sudo)
# only when something has to be installed.
set -eu
packages="gcc binutils nasm ninja-build python3 cpio xorriso mtools
grub-common grub-pc-bin grub-efi-amd64-bin qemu-system-x86 ovmf
musl-tools busybox-static e2fsprogs mmdebstrap fdisk gdisk"
missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "setup: installing$missing" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing >&2
