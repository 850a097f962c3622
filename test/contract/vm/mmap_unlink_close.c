/* A file mapping outlives its descriptor and its name; /proc/self/maps shows the
 * device, inode and "path (deleted)". */
#include "contract.h"

int main(void)
{
	const char *path = contract_path("f");
	int fd = CHECK_OK(open(path, O_CREAT | O_RDWR, 0644));
	struct stat st;
	static char maps[65536];
	char want[600];

	CHECK_EQ(write(fd, "hello", 5), 5);
	CHECK_OK(fstat(fd, &st));
	char *m = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED && p != MAP_FAILED);

	contract_read_file("/proc/self/maps", maps, sizeof(maps));
	snprintf(want, sizeof(want), "%lx-%lx rw-s 00000000 %02x:%02x %lu ",
		 (unsigned long)m, (unsigned long)m + 2 * 4096, major(st.st_dev),
		 minor(st.st_dev), (unsigned long)st.st_ino);
	char *line = strstr(maps, want);
	CHECK(line != NULL);
	char *nl = strchr(line, '\n');
	CHECK(nl && nl - line > (long)strlen(path));
	CHECK(strncmp(nl - strlen(path), path, strlen(path)) == 0);
	CHECK_EQ(nl - line, 73 + (long)strlen(path));	/* name at column 73 */

	CHECK_OK(close(fd));
	CHECK_OK(unlink(path));
	CHECK_EQ(m[0], 'h');
	m[0] = 'J';
	CHECK_EQ(p[0], 'J');		/* the same page, not copied yet */
	CHECK_EQ(m[5], 0);

	contract_read_file("/proc/self/maps", maps, sizeof(maps));
	line = strstr(maps, want);
	CHECK(line != NULL);
	nl = strchr(line, '\n');
	CHECK(nl != NULL);
	*nl = 0;
	CHECK(strstr(line, " (deleted)") == nl - strlen(" (deleted)"));
	CHECK(strstr(line, path) != NULL);

	CHECK_OK(munmap(m, 2 * 4096));
	CHECK_EQ(p[0], 'J');		/* the last mapping keeps the file alive */
	CHECK_EQ(p[1], 'e');
	return 0;
}
