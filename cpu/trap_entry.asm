; Interrupt and exception entry stubs (SDM vol. 3, 6.14 "64-bit mode
; exception and interrupt handling").  One stub per vector pushes a dummy
; error code where the CPU does not push one, then the vector number, and
; jumps to trap_common, which saves the general registers in the layout of
; struct trap_frame (cpu/cpu.h) and calls trap_dispatch(frame).  Entries
; from user mode (CPL 3 in the saved CS) swap GS so %gs:0 is the per-CPU
; area in the kernel.

bits 64
%include "cpu/frame.inc"
section .text

extern trap_dispatch

; Vectors for which the CPU pushes an error code.
%define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

%macro TRAP_STUB 1
align 16
trap_stub_%1:
%if HAS_ERROR(%1) == 0
	push 0
%endif
	push %1
	jmp trap_common
%endmacro

%assign v 0
%rep 256
	TRAP_STUB v
%assign v v + 1
%endrep

trap_common:
	test qword [rsp + 24], 3        ; saved CS: from user mode?
	jz .from_kernel_in
	swapgs
.from_kernel_in:
	PUSH_GPRS
	cld
	mov rdi, rsp
	call trap_dispatch
global trap_return
trap_return:
	POP_GPRS
	add rsp, 16                     ; vector and error code
	test qword [rsp + 8], 3
	jz .to_kernel
	swapgs
.to_kernel:
	iretq

section .rodata
global trap_stub_table
align 8
trap_stub_table:
%assign v 0
%rep 256
	dq trap_stub_ %+ v
%assign v v + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
