; Boot entry: the multiboot2 header and the 32-bit to 64-bit transition.
;
; GRUB enters boot_entry32 in 32-bit protected mode with paging off,
; EAX = multiboot2 magic and EBX = physical address of the boot information
; (multiboot2 spec, section 3.3).  We zero .bss, check for long mode, build
; boot page tables with 2 MiB pages that map the first 4 GiB three times
; (identity, the direct map at PHYS_MAP_BASE, and the kernel image window
; at KERNEL_VMA), enable long mode (SDM vol. 3, 10.8.5) and jump to the
; higher half.  mm/ replaces these tables with the real ones later.

KERNEL_VMA      equ 0xffffffff80000000
MB2_MAGIC       equ 0xE85250D6
MB2_BOOT_MAGIC  equ 0x36d76289
COM1            equ 0x3f8

%define PHYS(x) ((x) - KERNEL_VMA)

section .multiboot2 progbits alloc noexec align=8
mb2_header:
	dd MB2_MAGIC
	dd 0                                   ; architecture: i386 protected mode
	dd mb2_header_end - mb2_header
	dd 0x100000000 - (MB2_MAGIC + (mb2_header_end - mb2_header))
	align 8
	dw 3, 0                                ; entry address tag
	dd 12
	dd PHYS(boot_entry32)
	align 8
	dw 6, 0                                ; page-align modules
	dd 8
	align 8
	dw 5, 1                                ; framebuffer, optional
	dd 20
	dd 0, 0, 0
	align 8
	dw 0, 0                                ; end tag
	dd 8
mb2_header_end:

extern __bss_start, __bss_end

section .boot32 progbits alloc exec align=16
bits 32
global boot_entry32
boot_entry32:
	cli
	cld
	mov esi, eax                            ; keep the magic
	mov edx, ebx                            ; keep the boot information

	mov edi, PHYS(__bss_start)
	mov ecx, PHYS(__bss_end)
	sub ecx, edi
	shr ecx, 2
	xor eax, eax
	rep stosd

	mov esp, PHYS(boot_stack_top)
	mov [PHYS(boot_magic)], esi
	mov [PHYS(boot_info_phys)], edx

	cmp esi, MB2_BOOT_MAGIC
	jne .not_multiboot2

	; CPUID present (EFLAGS.ID toggles) and long mode supported?
	pushfd
	pop eax
	mov ecx, eax
	xor eax, 1 << 21
	push eax
	popfd
	pushfd
	pop eax
	push ecx
	popfd
	xor eax, ecx
	jz .no_long_mode
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz .no_long_mode
	mov ebp, edx                            ; bit 20: NX

	; Page directories: 2048 entries mapping 0..4 GiB with 2 MiB pages.
	mov edi, PHYS(boot_pd)
	xor ecx, ecx
.fill_pd:
	mov eax, ecx
	shl eax, 21
	or eax, 0x83                            ; present, writable, large
	mov [edi + ecx * 8], eax
	mov eax, ecx
	shr eax, 11                             ; bits 32+ of the address
	mov [edi + ecx * 8 + 4], eax
	inc ecx
	cmp ecx, 2048
	jne .fill_pd

	mov edi, PHYS(boot_pdpt_low)
	mov eax, PHYS(boot_pd) + 3
	mov [edi], eax
	add eax, 4096
	mov [edi + 8], eax
	add eax, 4096
	mov [edi + 16], eax
	add eax, 4096
	mov [edi + 24], eax

	mov edi, PHYS(boot_pdpt_high)
	mov eax, PHYS(boot_pd) + 3
	mov [edi + 510 * 8], eax                ; 0xffffffff80000000 -> 0..1 GiB
	add eax, 4096
	mov [edi + 511 * 8], eax                ; 0xffffffffc0000000 -> 1..2 GiB

	mov edi, PHYS(boot_pml4)
	mov eax, PHYS(boot_pdpt_low) + 3
	mov [edi], eax                          ; identity
	mov [edi + 256 * 8], eax                ; direct map
	mov eax, PHYS(boot_pdpt_high) + 3
	mov [edi + 511 * 8], eax                ; kernel image

	mov eax, cr4
	or eax, 1 << 5                          ; PAE
	mov cr4, eax
	mov eax, PHYS(boot_pml4)
	mov cr3, eax
	mov ecx, 0xC0000080                     ; EFER
	rdmsr
	or eax, 1 << 8                          ; LME
	test ebp, 1 << 20
	jz .no_nx
	or eax, 1 << 11                         ; NXE
.no_nx:
	wrmsr
	mov eax, cr0
	or eax, (1 << 31) | (1 << 16) | 1       ; PG, WP, PE
	mov cr0, eax

	lgdt [PHYS(boot_gdt_ptr)]
	jmp 0x08:PHYS(long_mode_low)

.not_multiboot2:
	mov esi, PHYS(msg_not_mb2)
	jmp .fail
.no_long_mode:
	mov esi, PHYS(msg_no_long)
.fail:
	mov dx, COM1 + 5
.wait:
	in al, dx
	test al, 0x20
	jz .wait
	mov dx, COM1
	lodsb
	test al, al
	jz .halt
	out dx, al
	jmp .fail
.halt:
	hlt
	jmp .halt

bits 64
long_mode_low:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor eax, eax
	mov fs, ax
	mov gs, ax
	mov rax, long_mode_high
	jmp rax

align 8
boot_gdt:
	dq 0
	dq 0x00af9a000000ffff                   ; 0x08: 64-bit code
	dq 0x00cf92000000ffff                   ; 0x10: data
boot_gdt_ptr:
	dw boot_gdt_ptr - boot_gdt - 1
	dd PHYS(boot_gdt)

msg_not_mb2:
	db "boot: not loaded by a multiboot2 loader", 13, 10, 0
msg_no_long:
	db "boot: this CPU does not support x86-64 long mode", 13, 10, 0

section .text
extern kmain
long_mode_high:
	mov rsp, boot_stack_top
	xor ebp, ebp
	mov edi, [rel boot_magic]
	mov esi, [rel boot_info_phys]
	call kmain
.hang:
	cli
	hlt
	jmp .hang

section .bss nobits alloc noexec write align=4096
global boot_pml4, boot_stack_top, boot_stack_bottom
boot_pml4:       resb 4096
boot_pdpt_low:   resb 4096
boot_pdpt_high:  resb 4096
boot_pd:         resb 4 * 4096
boot_stack_bottom:
	resb 16384
boot_stack_top:
boot_magic:      resd 1
boot_info_phys:  resd 1

section .note.GNU-stack noalloc noexec nowrite progbits
