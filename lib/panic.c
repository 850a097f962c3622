/*
 * panic() and symbolized backtraces.  The symbol table is linked into the
 * .ksyms section by the second link pass (scripts/gen-ksyms.py): an array
 * of {address, name offset} sorted by address, and a string blob.  Stack
 * walking follows the frame-pointer chain (the kernel is built with
 * -fno-omit-frame-pointer).
 */
#include "lib/panic.h"
#include "lib/printk.h"
#include "lib/format.h"
#include "cpu/x86.h"
#include "drivers/power.h"
#include "time/clock.h"

struct ksym {
	uint64_t addr;
	uint32_t name_offset;
	uint32_t reserved;
};

extern const uint64_t ksyms_count;
extern const struct ksym ksyms_table[];
extern const char ksyms_strings[];
extern char __text_start[], __text_end[];

static long panic_timeout;
static volatile int panic_depth;

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksyms_count;

	if (addr < (uint64_t)__text_start || addr >= (uint64_t)__text_end || !hi)
		return NULL;
	/* Find the last symbol with ksyms_table[i].addr <= addr. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksyms_table[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (ksyms_table[lo].addr > addr)
		return NULL;
	*offset = addr - ksyms_table[lo].addr;
	return ksyms_strings + ksyms_table[lo].name_offset;
}

static void print_frame(uint64_t addr)
{
	uint64_t off;
	const char *name = ksym_lookup(addr, &off);

	if (name)
		printk(KERN_EMERG "  [<%016llx>] %s+0x%llx\n",
		       (unsigned long long)addr, name, (unsigned long long)off);
	else
		printk(KERN_EMERG "  [<%016llx>] ?\n", (unsigned long long)addr);
}

static bool frame_pointer_plausible(uint64_t rbp)
{
	/* Kernel half, 8-byte aligned; the stack grows down from the top. */
	return rbp >= 0xffff800000000000ULL && (rbp & 7) == 0 &&
	       rbp < 0xfffffffffffff000ULL;
}

void backtrace_print(uint64_t rip, uint64_t rbp)
{
	printk(KERN_EMERG "Call Trace:\n");
	print_frame(rip);
	for (int depth = 0; depth < 32 && frame_pointer_plausible(rbp); depth++) {
		uint64_t *frame = (uint64_t *)rbp;
		uint64_t ret = frame[1];

		if (!ret)
			break;
		print_frame(ret);
		if (frame[0] <= rbp)   /* frames must move up the stack */
			break;
		rbp = frame[0];
	}
}

void panic_set_timeout(long seconds)
{
	panic_timeout = seconds;
}

static void __noreturn panic_finish(const char *fmt, va_list ap,
				    bool with_backtrace, uint64_t rip, uint64_t rbp)
{
	char msg[256];

	irq_disable();
	if (__atomic_fetch_add(&panic_depth, 1, __ATOMIC_SEQ_CST) > 0) {
		for (;;)
			cpu_halt();   /* nested panic: nothing sane to print */
	}
	printk_enter_panic_mode();
	format_vsnprintf(msg, sizeof(msg), fmt, ap);
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
	if (with_backtrace)
		backtrace_print(rip, rbp);
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", msg);

	if (panic_timeout != 0) {
		if (panic_timeout > 0) {
			printk(KERN_EMERG "Rebooting in %ld seconds..\n", panic_timeout);
			clock_busy_wait_ns((uint64_t)panic_timeout * 1000000000ULL);
		}
		power_reboot();
	}
	for (;;)
		cpu_halt();
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_finish(fmt, ap, true, (uint64_t)__builtin_return_address(0),
		     *(uint64_t *)__builtin_frame_address(0));
}

void panic_after_report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	panic_finish(fmt, ap, false, 0, 0);
}
