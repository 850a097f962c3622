/*
 * The ChaCha20 block function (RFC 8439, section 2.3): 256-bit key,
 * 32-bit block counter, 96-bit nonce, 64-byte output blocks.  Pure code,
 * usable from host tests.
 */
#ifndef LIB_CHACHA20_H
#define LIB_CHACHA20_H

#include "include/types.h"

#define CHACHA20_KEY_SIZE 32
#define CHACHA20_NONCE_SIZE 12
#define CHACHA20_BLOCK_SIZE 64

/* One keystream block for (@key, @counter, @nonce) into @out. */
void chacha20_block(const uint8_t key[CHACHA20_KEY_SIZE], uint32_t counter,
		    const uint8_t nonce[CHACHA20_NONCE_SIZE],
		    uint8_t out[CHACHA20_BLOCK_SIZE]);

#endif
