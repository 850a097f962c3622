/*
 * In-kernel test runner.  Tests are collected by the linker between
 * __ktest_start and __ktest_end (boot/kernel.ld).  Each runs in the boot
 * thread; a test that hangs is caught by the harness's time limit, one
 * that faults ends the boot with a panic report (also caught).
 */
#include "lib/ktest.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "lib/string.h"

extern const struct ktest __ktest_start[], __ktest_end[];

void ktest_fail(struct ktest_context *ctx, const char *file, int line,
		const char *fmt, ...)
{
	va_list ap;

	ctx->failed = true;
	ctx->file = file;
	ctx->line = line;
	va_start(ap, fmt);
	format_vsnprintf(ctx->message, sizeof(ctx->message), fmt, ap);
	va_end(ap);
}

/* Is @name one of the comma-separated words of @spec? */
static bool spec_names(const char *spec, const char *name)
{
	size_t len = strlen(name);

	while (*spec) {
		const char *comma = strchr(spec, ',');
		size_t wlen = comma ? (size_t)(comma - spec) : strlen(spec);
		if (wlen == len && strncmp(spec, name, len) == 0)
			return true;
		if (!comma)
			break;
		spec = comma + 1;
	}
	return false;
}

int ktest_run(const char *spec)
{
	bool all = spec_names(spec, "all");
	int passed = 0, failed = 0;

	for (const struct ktest *t = __ktest_start; t < __ktest_end; t++) {
		struct ktest_context ctx = { 0 };

		if (!(all && !t->manual) && !spec_names(spec, t->name))
			continue;
		printk(KERN_INFO "KTEST %s: start\n", t->name);
		t->fn(&ctx);
		if (ctx.failed) {
			printk(KERN_ERR "KTEST %s: FAIL (%s:%d: %s)\n", t->name,
			       ctx.file, ctx.line, ctx.message);
			failed++;
		} else {
			printk(KERN_INFO "KTEST %s: PASS\n", t->name);
			passed++;
		}
	}
	printk(KERN_NOTICE "KTEST summary: %d passed, %d failed\n", passed, failed);
	return failed;
}
