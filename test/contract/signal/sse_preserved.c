/* xmm0-15 of the interrupted code survive a handler that clobbers all of them. */
#include "contract.h"

static volatile int handled;

static void handler(int sig)
{
	__asm__ volatile(
		"pcmpeqd %%xmm0, %%xmm0\n" "pcmpeqd %%xmm1, %%xmm1\n"
		"pcmpeqd %%xmm2, %%xmm2\n" "pcmpeqd %%xmm3, %%xmm3\n"
		"pcmpeqd %%xmm4, %%xmm4\n" "pcmpeqd %%xmm5, %%xmm5\n"
		"pcmpeqd %%xmm6, %%xmm6\n" "pcmpeqd %%xmm7, %%xmm7\n"
		"pxor %%xmm8, %%xmm8\n" "pxor %%xmm9, %%xmm9\n"
		"pxor %%xmm10, %%xmm10\n" "pxor %%xmm11, %%xmm11\n"
		"pxor %%xmm12, %%xmm12\n" "pxor %%xmm13, %%xmm13\n"
		"pxor %%xmm14, %%xmm14\n" "pxor %%xmm15, %%xmm15\n"
		::: "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7",
		"xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15");
	handled = 1;
}

int main(void)
{
	unsigned char in[16][16] __attribute__((aligned(16)));
	unsigned char out[16][16] __attribute__((aligned(16)));

	for (int i = 0; i < 16; i++)
		for (int j = 0; j < 16; j++)
			in[i][j] = (unsigned char)(i * 16 + j + 1);
	memset(out, 0, sizeof(out));
	signal(SIGUSR1, handler);
	/* Load all registers, kill(getpid(), SIGUSR1) by raw syscall, store them. */
	__asm__ volatile(
		"movdqa 0(%[in]), %%xmm0\n" "movdqa 16(%[in]), %%xmm1\n"
		"movdqa 32(%[in]), %%xmm2\n" "movdqa 48(%[in]), %%xmm3\n"
		"movdqa 64(%[in]), %%xmm4\n" "movdqa 80(%[in]), %%xmm5\n"
		"movdqa 96(%[in]), %%xmm6\n" "movdqa 112(%[in]), %%xmm7\n"
		"movdqa 128(%[in]), %%xmm8\n" "movdqa 144(%[in]), %%xmm9\n"
		"movdqa 160(%[in]), %%xmm10\n" "movdqa 176(%[in]), %%xmm11\n"
		"movdqa 192(%[in]), %%xmm12\n" "movdqa 208(%[in]), %%xmm13\n"
		"movdqa 224(%[in]), %%xmm14\n" "movdqa 240(%[in]), %%xmm15\n"
		"syscall\n"
		"movdqa %%xmm0, 0(%[out])\n" "movdqa %%xmm1, 16(%[out])\n"
		"movdqa %%xmm2, 32(%[out])\n" "movdqa %%xmm3, 48(%[out])\n"
		"movdqa %%xmm4, 64(%[out])\n" "movdqa %%xmm5, 80(%[out])\n"
		"movdqa %%xmm6, 96(%[out])\n" "movdqa %%xmm7, 112(%[out])\n"
		"movdqa %%xmm8, 128(%[out])\n" "movdqa %%xmm9, 144(%[out])\n"
		"movdqa %%xmm10, 160(%[out])\n" "movdqa %%xmm11, 176(%[out])\n"
		"movdqa %%xmm12, 192(%[out])\n" "movdqa %%xmm13, 208(%[out])\n"
		"movdqa %%xmm14, 224(%[out])\n" "movdqa %%xmm15, 240(%[out])\n"
		:
		: [in] "r"(in), [out] "r"(out), "a"((long)SYS_kill), "D"((long)getpid()),
		  "S"((long)SIGUSR1)
		: "rcx", "r11", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
		  "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
		  "xmm14", "xmm15");
	CHECK(handled);
	for (int i = 0; i < 16; i++)
		if (memcmp(in[i], out[i], 16))
			CONTRACT_FAIL("xmm%d changed across the signal handler", i);
	return 0;
}
