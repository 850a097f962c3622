/*
 * Reader for cpio "newc" archives (the initramfs format; see the Linux
 * documentation "ramfs, rootfs and initramfs" and cpio(5)).  Pure code:
 * entries point into the caller's buffer; nothing is copied.
 */
#ifndef LIB_CPIO_H
#define LIB_CPIO_H

#include "include/types.h"

struct cpio_entry {
	const char *name;       /* not NUL terminated; use name_len */
	size_t name_len;        /* without the trailing NUL */
	const void *data;
	size_t size;
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t dev_major, dev_minor, rdev_major, rdev_minor;
};

/*
 * Read the entry at *offset of the archive @buf (@len bytes) and advance
 * *offset past it.  Trailers ("TRAILER!!!") and the zero padding between
 * concatenated archives are skipped.  Returns 1 with *e filled, 0 at the
 * end of the buffer, -EINVAL for a malformed header (bad magic, a field
 * that is not hex, a size beyond the buffer).
 */
int cpio_next(const void *buf, size_t len, size_t *offset, struct cpio_entry *e);

#endif
