/*
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as ext4 and
 * jbd2 use it: crc32c() continues a running value without inverting it
 * on entry or exit, so the standard check value is
 * ~crc32c(~0u, "123456789", 9) == 0xE3069283, and ext4's metadata
 * checksums are crc32c(crc32c(~0u, uuid, 16), ...) chains.
 */
#ifndef LIB_CRC32C_H
#define LIB_CRC32C_H

#include "include/types.h"

uint32_t crc32c(uint32_t crc, const void *data, size_t len);

#endif
