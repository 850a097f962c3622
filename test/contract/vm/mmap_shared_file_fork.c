/* A MAP_SHARED file mapping stays shared with a forked child in both directions. */
#include "contract.h"

int main(void)
{
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	int to_child[2], to_parent[2];
	char c, buf[4];

	CHECK_OK(ftruncate(fd, 4096));
	volatile char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED);
	m[0] = 'p';
	CHECK_OK(pipe(to_child));
	CHECK_OK(pipe(to_parent));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		if (m[0] != 'p')
			_exit(1);
		m[1] = 'c';				/* seen by the parent */
		if (write(to_parent[1], "1", 1) != 1 || read(to_child[0], &c, 1) != 1)
			_exit(2);
		if (m[2] != 'P')			/* the parent's later store */
			_exit(3);
		_exit(0);
	}
	CHECK_EQ(read(to_parent[0], &c, 1), 1);
	CHECK_EQ(m[1], 'c');
	m[2] = 'P';
	CHECK_EQ(write(to_child[1], "2", 1), 1);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(pread(fd, buf, 3, 0), 3);
	CHECK(memcmp(buf, "pcP", 3) == 0);
	return 0;
}
