/*
 * Host tests for lib/cmdline.c: splitting as Linux does it.
 */
#include <string.h>
#include "test/host/host_test.h"
#include "lib/cmdline.h"

static struct cmdline cl;

int main(void)
{
	cmdline_parse(&cl, "console=ttyS0 loglevel=7 quiet");
	CHECK("three words", cl.count == 3);
	CHECK("value", strcmp(cmdline_get(&cl, "console"), "ttyS0") == 0);
	CHECK("bare word is empty string", strcmp(cmdline_get(&cl, "quiet"), "") == 0);
	CHECK("missing is NULL", cmdline_get(&cl, "root") == NULL);
	CHECK("number", cmdline_get_long(&cl, "loglevel", -1) == 7);
	CHECK("number fallback", cmdline_get_long(&cl, "console", -1) == -1);

	cmdline_parse(&cl, "  a=1   a=2\tb=0x1f c=-3 ");
	CHECK("last value wins", cmdline_get_long(&cl, "a", 0) == 2);
	CHECK("hex", cmdline_get_long(&cl, "b", 0) == 31);
	CHECK("negative", cmdline_get_long(&cl, "c", 0) == -3);

	cmdline_parse(&cl, "init=/bin/sh -- -c \"echo hi\" x");
	CHECK("words before --", cl.count == 1);
	CHECK("init args after --", cl.init_arg_count == 3);
	CHECK("quoted arg keeps space", strcmp(cl.init_args[1], "echo hi") == 0);
	CHECK("init value", strcmp(cmdline_get(&cl, "init"), "/bin/sh") == 0);

	cmdline_parse(&cl, "msg=\"hello world\" k=a=b");
	CHECK("quoted value", strcmp(cmdline_get(&cl, "msg"), "hello world") == 0);
	CHECK("value keeps later =", strcmp(cmdline_get(&cl, "k"), "a=b") == 0);

	cmdline_parse(&cl, "");
	CHECK("empty line", cl.count == 0 && cl.init_arg_count == 0);

	{
		char big[4096];
		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = 0;
		cmdline_parse(&cl, big);
		CHECK("overlong word is dropped, no overflow", cl.count == 0);
	}
	return host_test_finish();
}
