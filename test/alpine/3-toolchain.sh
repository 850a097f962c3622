# Installed tools run: make, and as/ld building programs that run, in
# ${TC_DIR:-/tmp/tc} (the disk-root suite sources this with its own).
make --version | head -1
as --version | head -1
ld --version | head -1
mkdir -p "${TC_DIR:=/tmp/tc}" && cd "$TC_DIR"
cat > raw.s <<'ASM'
	.globl _start
_start:
	mov $1, %eax
	mov $1, %edi
	lea msg(%rip), %rsi
	mov $len, %edx
	syscall
	mov $60, %eax
	xor %edi, %edi
	syscall
	.data
msg:	.ascii "assembled, linked, ran\n"
	len = . - msg
ASM
as -o raw.o raw.s && ld -o raw raw.o && ./raw
cat > hello.s <<'ASM'
	.globl main
main:
	sub $8, %rsp
	lea fmt(%rip), %rdi
	mov $42, %esi
	xor %eax, %eax
	call printf@PLT
	xor %eax, %eax
	add $8, %rsp
	ret
	.section .rodata
fmt:	.asciz "printf from musl: %d\n"
	.section .note.GNU-stack,"",@progbits
ASM
as -o hello.o hello.s
ld -pie -dynamic-linker /lib/ld-musl-x86_64.so.1 -o hello \
	/usr/lib/Scrt1.o /usr/lib/crti.o hello.o -L/usr/lib -lc /usr/lib/crtn.o
./hello
echo "status $?"
cat > Makefile <<'MK'
all: raw2
raw2: raw.o
	ld -o $@ raw.o
MK
make -s && ./raw2
