/*
 * Just enough AML (ACPI 6.5, chapter 20) to read the \_S5 sleep package
 * without an interpreter: find the NameString "_S5_" preceded by NameOp,
 * then decode
 *
 *   DefName    := NameOp NameString DataRefObject
 *   DefPackage := PackageOp PkgLength NumElements PackageElementList
 *
 * where the first two elements are the SLP_TYPa and SLP_TYPb integers
 * (section 7.4.2, \_Sx system states).  Integers may be ZeroOp, OneOp,
 * OnesOp or BytePrefix/WordPrefix/DWordPrefix/QWordPrefix constants.
 *
 * Pure code over a byte buffer: every read is bounds-checked, so a corrupt
 * table yields -EINVAL, never a fault.  Also built into the host tests.
 */
#include "drivers/acpi.h"
#include "include/errno.h"

#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_QWORD_PREFIX 0x0e
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR 0x5c      /* '\' */
#define AML_PARENT_CHAR 0x5e    /* '^' */
#define AML_ONES_OP 0xff

/*
 * PkgLength (20.2.4): bits 7:6 of the lead byte count the bytes that
 * follow.  With none, bits 5:0 are the length; otherwise bits 3:0 are the
 * low nibble and each following byte adds 8 more bits.  The length counts
 * itself.  Returns 0 and advances *pos, or -EINVAL.
 */
static int aml_pkg_length(const uint8_t *aml, size_t len, size_t *pos,
			  uint32_t *out)
{
	size_t p = *pos;
	unsigned extra;
	uint32_t v;

	if (p >= len)
		return -EINVAL;
	extra = aml[p] >> 6;
	if (p + 1 + extra > len)
		return -EINVAL;
	if (extra == 0) {
		v = aml[p] & 0x3f;
	} else {
		v = aml[p] & 0x0f;
		for (unsigned i = 0; i < extra; i++)
			v |= (uint32_t)aml[p + 1 + i] << (4 + 8 * i);
	}
	*pos = p + 1 + extra;
	*out = v;
	return 0;
}

/* ComputationalData integer at *pos (bounded by @end). */
static int aml_integer(const uint8_t *aml, size_t end, size_t *pos,
		       uint64_t *out)
{
	size_t p = *pos;
	unsigned bytes;

	if (p >= end)
		return -EINVAL;
	switch (aml[p]) {
	case AML_ZERO_OP:
		*out = 0;
		*pos = p + 1;
		return 0;
	case AML_ONE_OP:
		*out = 1;
		*pos = p + 1;
		return 0;
	case AML_ONES_OP:
		*out = ~0ULL;
		*pos = p + 1;
		return 0;
	case AML_BYTE_PREFIX:
		bytes = 1;
		break;
	case AML_WORD_PREFIX:
		bytes = 2;
		break;
	case AML_DWORD_PREFIX:
		bytes = 4;
		break;
	case AML_QWORD_PREFIX:
		bytes = 8;
		break;
	default:
		return -EINVAL;
	}
	if (p + 1 + bytes > end)
		return -EINVAL;
	*out = 0;
	for (unsigned i = 0; i < bytes; i++)
		*out |= (uint64_t)aml[p + 1 + i] << (8 * i);
	*pos = p + 1 + bytes;
	return 0;
}

/* Is the NameSeg at @i the name of a DefName (NameOp, optional prefix)? */
static bool aml_is_name_decl(const uint8_t *aml, size_t i)
{
	size_t p = i;

	while (p > 0 && (aml[p - 1] == AML_ROOT_CHAR ||
			 aml[p - 1] == AML_PARENT_CHAR))
		p--;
	return p > 0 && aml[p - 1] == AML_NAME_OP;
}

/* Decode the package that follows the name at @pos. */
static int aml_decode_s5(const uint8_t *aml, size_t len, size_t pos,
			 uint8_t *a, uint8_t *b)
{
	size_t start, end;
	uint32_t pkglen;
	uint64_t va, vb;
	unsigned count;

	if (pos >= len || aml[pos] != AML_PACKAGE_OP)
		return -EINVAL;
	start = ++pos;
	if (aml_pkg_length(aml, len, &pos, &pkglen))
		return -EINVAL;
	end = start + pkglen;
	if (end > len || pos >= end)
		return -EINVAL;
	count = aml[pos++];
	if (count < 1 || aml_integer(aml, end, &pos, &va))
		return -EINVAL;
	/* A one-element package packs both values (ACPI 1.0 style). */
	vb = va;
	if (count >= 2 && aml_integer(aml, end, &pos, &vb))
		return -EINVAL;
	*a = va & 7;
	*b = vb & 7;
	return 0;
}

int acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typ_a,
		     uint8_t *slp_typ_b)
{
	int err = -ENOENT;

	for (size_t i = 1; i + 4 <= len; i++) {
		if (aml[i] != '_' || aml[i + 1] != 'S' || aml[i + 2] != '5' ||
		    aml[i + 3] != '_' || !aml_is_name_decl(aml, i))
			continue;
		err = aml_decode_s5(aml, len, i + 4, slp_typ_a, slp_typ_b);
		if (err == 0)
			return 0;
	}
	return err;
}
