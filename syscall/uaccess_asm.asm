; User-memory access primitives.  Each may fault on a user address; the
; page-fault handler sees a RIP inside [uaccess_text_start,
; uaccess_text_end) and resumes at uaccess_fault, which returns -EFAULT
; (14) to the caller.  None of them push anything, so the stack is the
; caller's return address when a fault is fixed up.
;
; Copies and clears move 8 bytes per rep iteration (rep movsq/stosq) and
; the last n % 8 bytes one at a time: a rep iteration costs the same for
; any element size under QEMU's TCG, where we run, and fast-string
; microcode makes either form fast on hardware.

bits 64
section .text

EFAULT equ 14

global uaccess_text_start, uaccess_text_end, uaccess_fault
global uaccess_copy, uaccess_clear, uaccess_strncpy, uaccess_cmpxchg32
global uaccess_partial_start, uaccess_partial_end, uaccess_partial_fault
global uaccess_copy_partial
global uaccess_partial_qstart, uaccess_partial_qend, uaccess_partial_qfault

uaccess_text_start:

; long uaccess_copy(void *dst, const void *src, size_t n): 0 or -EFAULT
uaccess_copy:
	mov rcx, rdx
	shr rcx, 3
	rep movsq
	mov ecx, edx
	and ecx, 7
	rep movsb
	xor eax, eax
	ret

; long uaccess_clear(void *dst, size_t n): 0 or -EFAULT
uaccess_clear:
	mov rcx, rsi
	shr rcx, 3
	xor eax, eax
	rep stosq
	mov ecx, esi
	and ecx, 7
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
; bytes NOT copied (0 on success), exact to the byte.  A fault in the
; qword part resumes at uaccess_partial_qfault (RCX = qwords left, RDX =
; the tail; RSI/RDI at the qword that faulted, none of which was
; stored), which moves the rest byte by byte up to the bad byte; a fault
; in the byte part resumes at uaccess_partial_fault with RCX = bytes left.
uaccess_partial_qstart:
uaccess_copy_partial:
	mov rcx, rdx
	shr rcx, 3
	and edx, 7
	rep movsq
uaccess_partial_qend:
	mov ecx, edx
	jmp uaccess_partial_bytes
uaccess_partial_qfault:
	lea rcx, [rdx + rcx * 8]
uaccess_partial_start:
uaccess_partial_bytes:
	rep movsb
	xor eax, eax
	ret
uaccess_partial_fault:
	mov rax, rcx
	ret
uaccess_partial_end:

section .note.GNU-stack noalloc noexec nowrite progbits
