#!/bin/sh
# Build a GRUB rescue ISO that boots under BIOS and UEFI.
# Usage: mkiso.sh OUT.iso KERNEL INITRAMFS "KERNEL COMMAND LINE"
# KERNEL is our multiboot2 ELF (multiboot2 + module2), or a Linux bzImage
# (linux + initrd; scripts/bench boots Debian's Linux the same way).
set -eu
out=$1 kernel=$2 initramfs=$3 cmdline=$4
if [ "$(head -c 4 "$kernel" | od -An -c | tr -d ' ')" = '177ELF' ]; then
	name=kernel.elf
	load="multiboot2 /boot/kernel.elf $cmdline
	module2 /boot/initramfs.cpio initramfs"
else
	name=vmlinuz
	load="linux /boot/vmlinuz $cmdline
	initrd /boot/initramfs.cpio"
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/iso.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/$name"
cp "$initramfs" "$dir/boot/initramfs.cpio"
cat > "$dir/boot/grub/grub.cfg" <<CFG
insmod all_video
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry "kernel" {
	$load
	boot
}
CFG
grub-mkrescue -o "$out" "$dir" >/dev/null 2>&1 || {
	echo "mkiso: grub-mkrescue failed" >&2
	grub-mkrescue -o "$out" "$dir"
	exit 1
}
