/*
 * Host tests for lib/format.c: every case is formatted both by the kernel's
 * format_snprintf and by the host C library's snprintf (the oracle), and
 * the results, including return values and truncation, must be identical.
 */
#include <stdint.h>
#include <string.h>
#include "test/host/host_test.h"
#include "lib/format.h"

#define SAME(fmt, ...)                                                       \
	do {                                                                 \
		char mine[128], libc[128];                                   \
		int a = format_snprintf(mine, sizeof(mine), fmt, __VA_ARGS__); \
		int b = snprintf(libc, sizeof(libc), fmt, __VA_ARGS__);      \
		char name[300];                                              \
		snprintf(name, sizeof(name), "format \"%s\" -> \"%s\"", fmt, libc); \
		CHECK(name, a == b && strcmp(mine, libc) == 0);              \
		if (a != b || strcmp(mine, libc) != 0)                       \
			printf("#   got \"%s\" (%d), want (%d)\n", mine, a, b); \
	} while (0)

static void test_truncation(void)
{
	char buf[8];
	int n;

	memset(buf, 'x', sizeof(buf));
	n = format_snprintf(buf, 5, "%s", "abcdefgh");
	CHECK("truncate returns full length", n == 8);
	CHECK("truncate keeps size-1 bytes and NUL", strcmp(buf, "abcd") == 0);
	CHECK("truncate leaves bytes past size alone", buf[5] == 'x');
	n = format_snprintf(buf, 0, "%d", 12345);
	CHECK("size 0 writes nothing", n == 5 && buf[0] == 'a');
	n = format_snprintf(buf, 1, "%d", 12345);
	CHECK("size 1 writes only NUL", n == 5 && buf[0] == '\0');
}

int main(void)
{
	SAME("%d", 0);
	SAME("%d", -1);
	SAME("%d", 2147483647);
	SAME("%d", (int)-2147483647 - 1);
	SAME("%i|%u", 42, 42u);
	SAME("%5d|%-5d|%05d", 42, 42, 42);
	SAME("%+d|% d|%+d", 7, 7, -7);
	SAME("%.3d|%.0d|%8.3d", 5, 0, -5);
	SAME("%x|%X|%#x|%#X", 0xbeefu, 0xbeefu, 0xbeefu, 0xbeefu);
	SAME("%#x|%#o|%o", 0u, 0u, 8u);
	SAME("%016llx", 0xffffffff80000000ULL);
	SAME("%#018llx", 0x1234ULL);
	SAME("%lld|%llu", (long long)INT64_MIN, (unsigned long long)UINT64_MAX);
	SAME("%ld|%lu|%lx", -123456789012L, 123456789012UL, 0xabcdef0123UL);
	SAME("%zu|%zd", (size_t)77, (ssize_t)-77);
	SAME("%hhd|%hhu|%hd|%hu", 300, 300, 70000, 70000);
	SAME("%s|%10s|%-10s|%.2s", "abc", "abc", "abc", "abc");
	SAME("%*d|%-*d|%.*s", 6, 1, 6, 2, 3, "abcdef");
	SAME("%c|%3c|%-3c|", 'a', 'b', 'c');
	SAME("100%%|%d%%", 5);
	SAME("%p", (void *)0x1000);
	SAME("%20p|%-20p|", (void *)0xffffffff80001000UL, (void *)0x10);
	SAME("[%5llu.%06llu]", 12ULL, 345ULL);
	SAME("%s", "");
	test_truncation();
	return host_test_finish();
}
