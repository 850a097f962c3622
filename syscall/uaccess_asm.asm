; User-memory access primitives.  Each may fault on a user address; the
; page-fault handler sees a RIP inside [uaccess_text_start,
; uaccess_text_end) and resumes at uaccess_fault, which returns -EFAULT
; (14) to the caller.  None of them push anything, so the stack is the
; caller's return address when a fault is fixed up.

bits 64
section .text

EFAULT equ 14

global uaccess_text_start, uaccess_text_end, uaccess_fault
global uaccess_copy, uaccess_clear, uaccess_strncpy, uaccess_cmpxchg32
global uaccess_partial_start, uaccess_partial_end, uaccess_partial_fault
global uaccess_copy_partial

uaccess_text_start:

; long uaccess_copy(void *dst, const void *src, size_t n): 0 or -EFAULT
uaccess_copy:
	mov rcx, rdx
	rep movsb
	xor eax, eax
	ret

; long uaccess_clear(void *dst, size_t n): 0 or -EFAULT
uaccess_clear:
	mov rcx, rsi
	xor eax, eax
	rep stosb
	ret

; long uaccess_strncpy(char *dst, const char *src, size_t max):
; length without the NUL, -1 if no NUL in max bytes, or -EFAULT
uaccess_strncpy:
	xor eax, eax
.next:
	cmp rax, rdx
	jae .too_long
	mov cl, [rsi + rax]
	mov [rdi + rax], cl
	test cl, cl
	jz .done
	inc rax
	jmp .next
.too_long:
	mov rax, -1
.done:
	ret

; long uaccess_cmpxchg32(uint32_t *uaddr, uint32_t old, uint32_t new,
;                        uint32_t *seen): 0 or -EFAULT; *seen = the
; value found (equal to old iff the exchange happened)
uaccess_cmpxchg32:
	mov eax, esi
	lock cmpxchg [rdi], edx
	mov [rcx], eax
	xor eax, eax
	ret

uaccess_fault:
	mov rax, -EFAULT
	ret

uaccess_text_end:

; size_t uaccess_copy_partial(void *dst, const void *src, size_t n):
; bytes NOT copied (0 on success).  A fault resumes at
; uaccess_partial_fault with RCX = bytes rep movsb had left to move.
uaccess_partial_start:
uaccess_copy_partial:
	mov rcx, rdx
	rep movsb
	xor eax, eax
	ret
uaccess_partial_fault:
	mov rax, rcx
	ret
uaccess_partial_end:

section .note.GNU-stack noalloc noexec nowrite progbits
