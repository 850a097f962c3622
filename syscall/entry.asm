; System-call entry (SYSCALL instruction, SDM vol. 2B "SYSCALL" and
; vol. 3 5.8.8).  The CPU leaves RCX = user RIP, R11 = user RFLAGS, masks
; RFLAGS with IA32_FMASK (IF, TF, DF, AC off) and does not switch stacks.
; We swap GS, move to the thread's kernel stack (percpu.kernel_rsp) and
; build a struct trap_frame exactly as an interrupt from user mode would,
; so that signal delivery, fork and ptrace-like code see one format.
; The return goes through trap_return (iretq).

bits 64
%include "cpu/frame.inc"
section .text

extern syscall_dispatch
extern trap_return

PERCPU_KERNEL_RSP       equ 32
PERCPU_USER_RSP_SCRATCH equ 40
USER_DS                 equ 0x1b
USER_CS                 equ 0x23
SYSCALL_VECTOR          equ 0x100       ; not a real vector: marks syscalls

global syscall_entry
syscall_entry:
	swapgs
	mov [gs:PERCPU_USER_RSP_SCRATCH], rsp
	mov rsp, [gs:PERCPU_KERNEL_RSP]
	push USER_DS                    ; ss
	push qword [gs:PERCPU_USER_RSP_SCRATCH] ; rsp
	push r11                        ; rflags
	push USER_CS                    ; cs
	push rcx                        ; rip
	push 0                          ; error code
	push SYSCALL_VECTOR             ; vector
	PUSH_GPRS
	xor ebp, ebp                    ; end of the kernel frame chain
	mov rdi, rsp
	call syscall_dispatch
	cli
	jmp trap_return

section .note.GNU-stack noalloc noexec nowrite progbits
