/*
 * In-kernel tests.  KTEST(name) defines a test function and registers it
 * in the .ktest section; the command line `ktest=all` (or a comma list of
 * names) runs them at boot, one result line each:
 *   KTEST <name>: PASS
 *   KTEST <name>: FAIL (<file>:<line>: <condition>)
 * followed by "KTEST summary: N passed, N failed".  Tests marked
 * KTEST_MANUAL (e.g. deliberate faults) run only when named explicitly.
 */
#ifndef LIB_KTEST_H
#define LIB_KTEST_H

#include "include/compiler.h"

struct ktest_context {
	bool failed;
	const char *file;
	int line;
	char message[160];
};

struct ktest {
	const char *name;
	void (*fn)(struct ktest_context *ctx);
	bool manual;
};

#define KTEST_DEFINE(tname, is_manual)                                        \
	static void ktest_fn_##tname(struct ktest_context *ctx);             \
	static const struct ktest ktest_desc_##tname                          \
		__section(".ktest") __used __aligned(8) = {                  \
			.name = #tname,                                       \
			.fn = ktest_fn_##tname,                               \
			.manual = is_manual,                                  \
		};                                                            \
	static void ktest_fn_##tname(struct ktest_context *ctx __unused)

#define KTEST(tname) KTEST_DEFINE(tname, false)
#define KTEST_MANUAL(tname) KTEST_DEFINE(tname, true)

void ktest_fail(struct ktest_context *ctx, const char *file, int line,
		const char *fmt, ...) __printf(4, 5);

/* Fail the test and return from it if @cond is false. */
#define KEXPECT(cond)                                                         \
	do {                                                                  \
		if (!(cond)) {                                                \
			ktest_fail(ctx, __FILE__, __LINE__, "%s", #cond);    \
			return;                                               \
		}                                                             \
	} while (0)

/* Compare two integers; on failure show both values. */
#define KEXPECT_EQ(a, b)                                                      \
	do {                                                                  \
		long long ka_ = (long long)(a), kb_ = (long long)(b);         \
		if (ka_ != kb_) {                                             \
			ktest_fail(ctx, __FILE__, __LINE__,                   \
				   "%s == %s (%lld != %lld)", #a, #b, ka_, kb_); \
			return;                                               \
		}                                                             \
	} while (0)

/*
 * Run the tests selected by @spec ("all" or "name1,name2").  Returns the
 * number of failures.
 */
int ktest_run(const char *spec);

#endif
