/* brk: query, grow (new memory is zero and writable), shrink; invalid requests leave it unchanged. */
#include "contract.h"

int main(void)
{
	char *cur = (char *)syscall(SYS_brk, 0);
	char *want = cur + 64 * 1024;

	CHECK(cur != NULL);
	CHECK((char *)syscall(SYS_brk, want) == want);
	for (char *p = cur; p < want; p += 4096)
		CHECK(*p == 0);
	memset(cur, 0x5a, want - cur);
	CHECK(want[-1] == 0x5a);
	CHECK((char *)syscall(SYS_brk, 0) == want);
	/* Shrink, then grow again: the pages come back zeroed. */
	CHECK((char *)syscall(SYS_brk, cur + 4096) == cur + 4096);
	CHECK((char *)syscall(SYS_brk, want) == want);
	CHECK(cur[8192] == 0);
	/* A break below the data segment is refused: the old break is returned. */
	CHECK((char *)syscall(SYS_brk, 4096) == want);
	return 0;
}
