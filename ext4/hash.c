/*
 * ext4 htree name hashes (layout "Hash Tree Directories", "Hash
 * Functions"): legacy (dx_hack), half-MD4 and TEA, each with a signed
 * and an unsigned variant (how the bytes of the name are widened, which
 * the superblock's s_flags selects for the whole file system).  The
 * result's low bit is cleared: the tree uses it to mark hash collisions
 * that continue into the next leaf block.
 */
#include "ext4/internal.h"

#define DX_HASH_LEGACY 0
#define DX_HASH_HALF_MD4 1
#define DX_HASH_TEA 2
#define DX_HASH_LEGACY_UNSIGNED 3
#define DX_HASH_HALF_MD4_UNSIGNED 4
#define DX_HASH_TEA_UNSIGNED 5

static inline uint32_t rol32(uint32_t v, unsigned s)
{
	return (v << s) | (v >> (32 - s));
}

static int name_byte(const char *name, unsigned i, bool is_unsigned)
{
	return is_unsigned ? (int)(uint8_t)name[i] : (int)(int8_t)name[i];
}

static uint32_t hash_legacy(const char *name, unsigned len, bool is_unsigned)
{
	uint32_t h0 = 0x12a3fe2d, h1 = 0x37abe8f9;

	for (unsigned i = 0; i < len; i++) {
		uint32_t h = h1 + (h0 ^ (uint32_t)(name_byte(name, i, is_unsigned) * 7152373));
		if (h & 0x80000000u)
			h -= 0x7fffffff;
		h1 = h0;
		h0 = h;
	}
	return h0 << 1;
}

/* Pack up to @words*4 bytes of the name into @out, big-endian within a
 * word as the on-disk hashes expect, padded with a length pattern. */
static void name_to_words(const char *name, unsigned len, uint32_t *out,
			  int words, bool is_unsigned)
{
	uint32_t pad = (uint32_t)len | ((uint32_t)len << 8);
	uint32_t val;
	unsigned n = len;

	pad |= pad << 16;
	val = pad;
	if (n > (unsigned)words * 4)
		n = words * 4;
	for (unsigned i = 0; i < n; i++) {
		val = (uint32_t)name_byte(name, i, is_unsigned) + (val << 8);
		if (i % 4 == 3) {
			*out++ = val;
			val = pad;
			words--;
		}
	}
	if (--words >= 0)
		*out++ = val;
	while (--words >= 0)
		*out++ = pad;
}

#define MD4_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD4_G(x, y, z) (((x) & (y)) + (((x) ^ (y)) & (z)))
#define MD4_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD4_STEP(f, a, b, c, d, x, s) ((a) = rol32((a) + f(b, c, d) + (x), s))
#define MD4_K2 0x5A827999u
#define MD4_K3 0x6ED9EBA1u

/* Three reduced MD4 rounds over 8 input words. */
static void half_md4(uint32_t buf[4], const uint32_t in[8])
{
	uint32_t a = buf[0], b = buf[1], c = buf[2], d = buf[3];

	MD4_STEP(MD4_F, a, b, c, d, in[0], 3);
	MD4_STEP(MD4_F, d, a, b, c, in[1], 7);
	MD4_STEP(MD4_F, c, d, a, b, in[2], 11);
	MD4_STEP(MD4_F, b, c, d, a, in[3], 19);
	MD4_STEP(MD4_F, a, b, c, d, in[4], 3);
	MD4_STEP(MD4_F, d, a, b, c, in[5], 7);
	MD4_STEP(MD4_F, c, d, a, b, in[6], 11);
	MD4_STEP(MD4_F, b, c, d, a, in[7], 19);

	MD4_STEP(MD4_G, a, b, c, d, in[1] + MD4_K2, 3);
	MD4_STEP(MD4_G, d, a, b, c, in[3] + MD4_K2, 5);
	MD4_STEP(MD4_G, c, d, a, b, in[5] + MD4_K2, 9);
	MD4_STEP(MD4_G, b, c, d, a, in[7] + MD4_K2, 13);
	MD4_STEP(MD4_G, a, b, c, d, in[0] + MD4_K2, 3);
	MD4_STEP(MD4_G, d, a, b, c, in[2] + MD4_K2, 5);
	MD4_STEP(MD4_G, c, d, a, b, in[4] + MD4_K2, 9);
	MD4_STEP(MD4_G, b, c, d, a, in[6] + MD4_K2, 13);

	MD4_STEP(MD4_H, a, b, c, d, in[3] + MD4_K3, 3);
	MD4_STEP(MD4_H, d, a, b, c, in[7] + MD4_K3, 9);
	MD4_STEP(MD4_H, c, d, a, b, in[2] + MD4_K3, 11);
	MD4_STEP(MD4_H, b, c, d, a, in[6] + MD4_K3, 15);
	MD4_STEP(MD4_H, a, b, c, d, in[1] + MD4_K3, 3);
	MD4_STEP(MD4_H, d, a, b, c, in[5] + MD4_K3, 9);
	MD4_STEP(MD4_H, c, d, a, b, in[0] + MD4_K3, 11);
	MD4_STEP(MD4_H, b, c, d, a, in[4] + MD4_K3, 15);

	buf[0] += a;
	buf[1] += b;
	buf[2] += c;
	buf[3] += d;
}

/* 16 rounds of TEA over 4 input words, into buf[0..1]. */
static void tea(uint32_t buf[4], const uint32_t in[4])
{
	uint32_t sum = 0, b0 = buf[0], b1 = buf[1];

	for (int n = 0; n < 16; n++) {
		sum += 0x9E3779B9u;
		b0 += ((b1 << 4) + in[0]) ^ (b1 + sum) ^ ((b1 >> 5) + in[1]);
		b1 += ((b0 << 4) + in[2]) ^ (b0 + sum) ^ ((b0 >> 5) + in[3]);
	}
	buf[0] += b0;
	buf[1] += b1;
}

void ext4_dx_hash(const char *name, unsigned len, unsigned version,
		  const uint32_t seed[4], uint32_t *hash, uint32_t *minor)
{
	uint32_t buf[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
	uint32_t in[8];
	uint32_t h = 0, mh = 0;
	bool is_unsigned = version >= DX_HASH_LEGACY_UNSIGNED;

	if (seed && (seed[0] | seed[1] | seed[2] | seed[3]))
		for (int i = 0; i < 4; i++)
			buf[i] = seed[i];
	switch (version) {
	case DX_HASH_LEGACY:
	case DX_HASH_LEGACY_UNSIGNED:
		h = hash_legacy(name, len, is_unsigned);
		break;
	case DX_HASH_HALF_MD4:
	case DX_HASH_HALF_MD4_UNSIGNED:
		for (unsigned off = 0; off < len || off == 0; off += 32) {
			name_to_words(name + off, len - off, in, 8, is_unsigned);
			half_md4(buf, in);
			if (len <= off + 32)
				break;
		}
		h = buf[1];
		mh = buf[2];
		break;
	case DX_HASH_TEA:
	case DX_HASH_TEA_UNSIGNED:
		for (unsigned off = 0; off < len || off == 0; off += 16) {
			name_to_words(name + off, len - off, in, 4, is_unsigned);
			tea(buf, in);
			if (len <= off + 16)
				break;
		}
		h = buf[0];
		mh = buf[1];
		break;
	default:
		h = 0;
		break;
	}
	h &= ~1u;
	if (h == (0x7fffffffu << 1))
		h = (0x7fffffffu - 1) << 1;
	*hash = h;
	if (minor)
		*minor = mh;
}
