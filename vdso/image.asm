; The vDSO image (build/vdso/vdso.so, linked from vdso/vdso.c) embedded
; in the kernel as read-only data; vdso/setup.c copies it into frames of
; its own at boot.
section .rodata
align 4096
global vdso_image_start
global vdso_image_end
vdso_image_start:
	incbin "build/vdso/vdso.so"
vdso_image_end:

; Not an executable stack (for linkers that would assume one).
section .note.GNU-stack noalloc noexec nowrite progbits
