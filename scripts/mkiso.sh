#!/bin/sh
# Build a GRUB rescue ISO that boots under BIOS and UEFI.
# Usage: mkiso.sh OUT.iso KERNEL.elf INITRAMFS "KERNEL COMMAND LINE"
set -eu
out=$1 kernel=$2 initramfs=$3 cmdline=$4
dir=$(mktemp -d "${TMPDIR:-/tmp}/iso.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/kernel.elf"
cp "$initramfs" "$dir/boot/initramfs.cpio"
cat > "$dir/boot/grub/grub.cfg" <<CFG
insmod all_video
set timeout=0
set default=0
serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
menuentry "kernel" {
	multiboot2 /boot/kernel.elf $cmdline
	module2 /boot/initramfs.cpio initramfs
	boot
}
CFG
grub-mkrescue -o "$out" "$dir" >/dev/null 2>&1 || {
	echo "mkiso: grub-mkrescue failed" >&2
	grub-mkrescue -o "$out" "$dir"
	exit 1
}
