/*
 * Minimal host unit-test helpers: each check prints "ok - name" or
 * "not ok - name (detail)" and the program exits non-zero if any failed.
 */
#ifndef TEST_HOST_HOST_TEST_H
#define TEST_HOST_HOST_TEST_H

#include <stdio.h>
#include <stdlib.h>

static int host_test_failures;
static int host_test_count;

#define CHECK(name, cond)                                                   \
	do {                                                                \
		host_test_count++;                                          \
		if (cond) {                                                 \
			printf("ok - %s\n", name);                          \
		} else {                                                    \
			host_test_failures++;                               \
			printf("not ok - %s (%s:%d: %s)\n", name, __FILE__, \
			       __LINE__, #cond);                            \
		}                                                           \
	} while (0)

/*
 * Case style: a test case is a void function; REQUIRE fails the running
 * case (reported by the caller from host_case_failed) and returns.
 */
static int host_case_failed __attribute__((unused));

#define REQUIRE(cond)                                                       \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "  %s:%d: check failed: %s\n",      \
				__FILE__, __LINE__, #cond);                 \
			host_case_failed = 1;                               \
			return;                                             \
		}                                                           \
	} while (0)

static inline int host_test_finish(void)
{
	printf("# %d checks, %d failed\n", host_test_count, host_test_failures);
	return host_test_failures ? 1 : 0;
}

#endif
