/* Small getrandom requests (the sizes exec and ASLR use: 8, 16 bytes, and
 * odd ones around 32) are filled completely and never repeat. */
#include "contract.h"

#define ROUNDS 64

int main(void)
{
	static uint64_t seen[ROUNDS];
	static const size_t sizes[] = { 1, 5, 16, 31, 32, 33, 48 };
	unsigned char buf[48];

	for (int i = 0; i < ROUNDS; i++) {
		CHECK_EQ(syscall(SYS_getrandom, &seen[i], 8, 0), 8);
		for (int j = 0; j < i; j++)
			CHECK(seen[i] != seen[j]);
	}
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t n = sizes[k];

		/* Each byte position gets a nonzero value within a few tries
		 * (a short fill would leave it zero every time). */
		for (size_t pos = 0; pos < n; pos++) {
			int nonzero = 0, tries;

			for (tries = 0; tries < 8 && !nonzero; tries++) {
				memset(buf, 0, sizeof(buf));
				CHECK_EQ(syscall(SYS_getrandom, buf, n, 0), (long)n);
				nonzero = buf[pos] != 0;
			}
			CHECK(nonzero);
		}
		/* Nothing past the request is written. */
		memset(buf, 0xa5, sizeof(buf));
		CHECK_EQ(syscall(SYS_getrandom, buf, n - 1, 0), (long)(n - 1));
		for (size_t pos = n - 1; pos < sizeof(buf); pos++)
			CHECK_EQ(buf[pos], 0xa5);
	}
	return 0;
}
