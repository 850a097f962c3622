/*
 * Host tests for lib/cpio.c.  The reference archive is produced by the
 * host's own cpio(1) (GNU cpio -H newc), the format's real-world oracle;
 * malformed archives are derived from it byte by byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "test/host/host_test.h"
#include "lib/cpio.h"
#include "include/errno.h"

static char *archive;
static size_t archive_len;

static void make_reference_archive(void)
{
	char dir[] = "/tmp/cpio-test.XXXXXX";
	char cmd[512];
	FILE *f;

	if (!mkdtemp(dir))
		exit(2);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir sub && printf hello > a.txt && "
		 "printf '' > empty && ln -s a.txt link && "
		 "head -c 1001 /dev/zero | tr '\\0' x > sub/big && "
		 "printf '.\\na.txt\\nempty\\nlink\\nsub\\nsub/big\\n' | "
		 "cpio -o -H newc --quiet > archive.cpio", dir);
	if (system(cmd) != 0)
		exit(2);
	snprintf(cmd, sizeof(cmd), "%s/archive.cpio", dir);
	f = fopen(cmd, "rb");
	if (!f)
		exit(2);
	archive = malloc(1 << 20);
	archive_len = fread(archive, 1, 1 << 20, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		exit(2);
}

static int count_entries(const char *buf, size_t len, int *err)
{
	size_t off = 0;
	struct cpio_entry e;
	int n = 0, r;

	while ((r = cpio_next(buf, len, &off, &e)) == 1)
		n++;
	*err = r;
	return n;
}

int main(void)
{
	struct cpio_entry e;
	size_t off = 0;
	int err, n;
	char *two, *copy;

	make_reference_archive();
	CHECK("reference archive made", archive_len > 0);

	CHECK("entry 1 is .", cpio_next(archive, archive_len, &off, &e) == 1 &&
	      e.name_len == 1 && e.name[0] == '.' && (e.mode & 0170000) == 0040000);
	CHECK("entry 2 is a.txt with data", cpio_next(archive, archive_len, &off, &e) == 1 &&
	      e.name_len == 5 && memcmp(e.name, "a.txt", 5) == 0 && e.size == 5 &&
	      memcmp(e.data, "hello", 5) == 0 && (e.mode & 0170000) == 0100000);
	CHECK("entry 3 is empty", cpio_next(archive, archive_len, &off, &e) == 1 &&
	      e.size == 0 && memcmp(e.name, "empty", 5) == 0);
	CHECK("entry 4 is a symlink to a.txt",
	      cpio_next(archive, archive_len, &off, &e) == 1 &&
	      (e.mode & 0170000) == 0120000 && e.size == 5 &&
	      memcmp(e.data, "a.txt", 5) == 0);
	CHECK("entry 5 is dir sub", cpio_next(archive, archive_len, &off, &e) == 1 &&
	      (e.mode & 0170000) == 0040000);
	CHECK("entry 6 is 1001-byte sub/big",
	      cpio_next(archive, archive_len, &off, &e) == 1 && e.size == 1001 &&
	      ((const char *)e.data)[1000] == 'x');
	CHECK("then the end (trailer skipped)",
	      cpio_next(archive, archive_len, &off, &e) == 0);

	n = count_entries(archive, archive_len, &err);
	CHECK("six entries", n == 6 && err == 0);

	two = malloc(2 * archive_len + 512);
	memcpy(two, archive, archive_len);
	memset(two + archive_len, 0, 512);
	memcpy(two + archive_len + 512, archive, archive_len);
	n = count_entries(two, 2 * archive_len + 512, &err);
	CHECK("concatenated archives with zero padding", n == 12 && err == 0);

	copy = malloc(archive_len);
	memcpy(copy, archive, archive_len);
	copy[0] = 'x';
	count_entries(copy, archive_len, &err);
	CHECK("bad magic is -EINVAL", err == -EINVAL);

	memcpy(copy, archive, archive_len);
	copy[6 + 8 * 6] = 'g';          /* filesize field not hex */
	count_entries(copy, archive_len, &err);
	CHECK("non-hex field is -EINVAL", err == -EINVAL);

	memcpy(copy, archive, archive_len);
	memcpy(copy + 6 + 8 * 6, "7fffffff", 8);   /* size beyond the buffer */
	count_entries(copy, archive_len, &err);
	CHECK("oversized file is -EINVAL", err == -EINVAL);

	memcpy(copy, archive, archive_len);
	memcpy(copy + 6 + 8 * 11, "00010000", 8);  /* name beyond the buffer */
	count_entries(copy, archive_len, &err);
	CHECK("oversized name is -EINVAL", err == -EINVAL);

	for (size_t cut = 1; cut < archive_len; cut += 7) {
		count_entries(archive, cut, &err);
		if (err != 0 && err != -EINVAL)
			break;
	}
	CHECK("every truncation ends cleanly", err == 0 || err == -EINVAL);

	free(two);
	free(copy);
	free(archive);
	return host_test_finish();
}
