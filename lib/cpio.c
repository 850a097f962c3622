/*
 * cpio newc parser.  Header: the magic "070701" (or "070702", with a
 * checksum we do not verify) and thirteen 8-digit hexadecimal fields;
 * the name follows, padded so that header + name is a multiple of 4, then
 * the data, padded to a multiple of 4.
 */
#include "lib/cpio.h"
#include "include/errno.h"
#include "lib/string.h"

#define CPIO_HEADER_SIZE 110
#define CPIO_FIELDS 13

static int parse_hex8(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < 8; i++) {
		char c = s[i];
		uint32_t d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -EINVAL;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

int cpio_next(const void *buf, size_t len, size_t *offset, struct cpio_entry *e)
{
	const char *base = buf;

	for (;;) {
		size_t off = *offset;
		uint32_t f[CPIO_FIELDS];
		size_t name_end, data_end;

		/* Zero padding may separate concatenated archives. */
		while (off < len && base[off] == '\0')
			off++;
		if (off >= len) {
			*offset = len;
			return 0;
		}
		if (len - off < CPIO_HEADER_SIZE)
			return -EINVAL;
		if (memcmp(base + off, "07070", 5) != 0 ||
		    (base[off + 5] != '1' && base[off + 5] != '2'))
			return -EINVAL;
		for (int i = 0; i < CPIO_FIELDS; i++)
			if (parse_hex8(base + off + 6 + 8 * i, &f[i]))
				return -EINVAL;
		/* f: ino mode uid gid nlink mtime filesize devmaj devmin
		 *    rdevmaj rdevmin namesize check */
		if (f[11] == 0 || f[11] > len - off - CPIO_HEADER_SIZE)
			return -EINVAL;
		name_end = off + CPIO_HEADER_SIZE + f[11];
		if (base[name_end - 1] != '\0')
			return -EINVAL;
		data_end = align4(name_end) + f[6];
		if (f[6] > len || data_end > len)
			return -EINVAL;
		*offset = align4(data_end) < len ? align4(data_end) : len;

		e->name = base + off + CPIO_HEADER_SIZE;
		e->name_len = f[11] - 1;
		if (e->name_len == 10 && memcmp(e->name, "TRAILER!!!", 10) == 0)
			continue;
		e->data = base + align4(name_end);
		e->size = f[6];
		e->ino = f[0];
		e->mode = f[1];
		e->uid = f[2];
		e->gid = f[3];
		e->nlink = f[4];
		e->mtime = f[5];
		e->dev_major = f[7];
		e->dev_minor = f[8];
		e->rdev_major = f[9];
		e->rdev_minor = f[10];
		return 1;
	}
}
