/*
 * A handler starts with the default MXCSR (0x1f80) and x87 control word
 * (0x37f) whatever the interrupted code had; its changes are undone by sigreturn.
 */
#include "contract.h"

static volatile unsigned in_handler_mxcsr;
static volatile unsigned short in_handler_fcw;

static void handler(int sig)
{
	unsigned m = 0x1f80 | 0x4000;	/* round toward +inf */
	unsigned short cw;

	__asm__ volatile("stmxcsr %0" : "=m"(in_handler_mxcsr));
	__asm__ volatile("fnstcw %0" : "=m"(cw));
	in_handler_fcw = cw;
	__asm__ volatile("ldmxcsr %0" :: "m"(m));
	cw = 0x37f & ~0x300;	/* single precision */
	__asm__ volatile("fldcw %0" :: "m"(cw));
}

int main(void)
{
	unsigned set = 0x1f80 | 0x6000, got;	/* round toward zero */
	unsigned short cw = 0x37f | 0xc00, gcw;	/* x87 round toward zero */

	signal(SIGUSR1, handler);
	__asm__ volatile("ldmxcsr %0" :: "m"(set));
	__asm__ volatile("fldcw %0" :: "m"(cw));
	kill(getpid(), SIGUSR1);
	__asm__ volatile("stmxcsr %0" : "=m"(got));
	__asm__ volatile("fnstcw %0" : "=m"(gcw));
	CHECK_EQ(in_handler_mxcsr, 0x1f80);
	CHECK_EQ(in_handler_fcw, 0x37f);
	CHECK_EQ(got, set);
	CHECK_EQ(gcw, cw);
	return 0;
}
