/*
 * CRC-32C against the standard check value, RFC 3720's iSCSI vectors
 * (B.4), and a bytewise reference over every alignment and length.
 */
#include "host_test.h"
#include "lib/crc32c.h"
#include <string.h>

static uint32_t reference_crc32c(uint32_t crc, const uint8_t *p, size_t len)
{
	while (len--) {
		crc ^= *p++;
		for (int bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (crc & 1 ? 0x82F63B78u : 0);
	}
	return crc;
}

int main(void)
{
	uint8_t buf[96];

	CHECK("check value", ~crc32c(~0u, "123456789", 9) == 0xE3069283u);
	memset(buf, 0, 32);
	CHECK("32 zero bytes", ~crc32c(~0u, buf, 32) == 0x8A9136AAu);
	memset(buf, 0xff, 32);
	CHECK("32 0xff bytes", ~crc32c(~0u, buf, 32) == 0x62A8AB43u);
	for (int i = 0; i < 32; i++)
		buf[i] = (uint8_t)i;
	CHECK("incrementing", ~crc32c(~0u, buf, 32) == 0x46DD794Eu);
	for (int i = 0; i < 32; i++)
		buf[i] = (uint8_t)(31 - i);
	CHECK("decrementing", ~crc32c(~0u, buf, 32) == 0x113FDB5Cu);

	for (int i = 0; i < 96; i++)
		buf[i] = (uint8_t)(i * 37 + 11);
	int bad = 0;
	for (size_t start = 0; start < 16; start++)
		for (size_t len = 0; start + len <= 96; len++)
			if (crc32c(0x12345678u, buf + start, len) !=
			    reference_crc32c(0x12345678u, buf + start, len))
				bad++;
	CHECK("every alignment and length matches the bitwise form", bad == 0);
	uint32_t split = crc32c(crc32c(~0u, buf, 13), buf + 13, 50);
	CHECK("chained equals whole", split == crc32c(~0u, buf, 63));
	return host_test_finish();
}
