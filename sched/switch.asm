; Kernel thread context switch.
;
; sched_switch(uint64_t *save_rsp, uint64_t new_rsp): push the callee-saved
; registers (System V ABI) on the current stack, store the stack pointer in
; *save_rsp, load new_rsp and pop the new thread's registers.  A new
; thread's stack is prepared by thread_spawn so that the final `ret` lands
; in sched_thread_start.

bits 64
section .text

global sched_switch
sched_switch:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp
	mov rsp, rsi
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

section .note.GNU-stack noalloc noexec nowrite progbits
