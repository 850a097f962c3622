/* MAP_PRIVATE file mappings across fork: copies are per process and never see later
 * file writes; pages never written keep showing the file. */
#include "contract.h"

int main(void)
{
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));
	int to_child[2], to_parent[2];
	char c;

	CHECK_OK(ftruncate(fd, 3 * 4096));
	CHECK_EQ(pwrite(fd, "a", 1, 0), 1);
	CHECK_EQ(pwrite(fd, "b", 1, 4096), 1);
	CHECK_EQ(pwrite(fd, "c", 1, 2 * 4096), 1);
	volatile char *m = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED);
	m[0] = 'A';			/* page 0: the parent's copy, before fork */
	CHECK_EQ(m[4096], 'b');		/* page 1: mapped, never written */
	CHECK_OK(pipe(to_child));
	CHECK_OK(pipe(to_parent));
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		if (m[0] != 'A')
			_exit(1);	/* inherits the copy */
		m[0] = 'K';		/* its own copy now */
		m[2 * 4096] = 'C';	/* page 2: a copy of the file page */
		if (write(to_parent[1], "1", 1) != 1 || read(to_child[0], &c, 1) != 1)
			_exit(2);
		/* The parent rewrote the file: copies stay, page 1 follows. */
		if (m[0] != 'K' || m[2 * 4096] != 'C' || m[4096] != 'y')
			_exit(3);
		_exit(0);
	}
	CHECK_EQ(read(to_parent[0], &c, 1), 1);
	CHECK_EQ(m[0], 'A');			/* the child's store did not leak */
	CHECK_EQ(m[2 * 4096], 'c');
	CHECK_EQ(pwrite(fd, "xyz", 1, 0), 1);
	CHECK_EQ(pwrite(fd, "y", 1, 4096), 1);
	CHECK_EQ(pwrite(fd, "z", 1, 2 * 4096), 1);
	CHECK_EQ(write(to_child[1], "2", 1), 1);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(m[0], 'A');
	CHECK_EQ(m[4096], 'y');
	CHECK_EQ(m[2 * 4096], 'z');		/* never written here: the file */
	char buf[1];
	CHECK_EQ(pread(fd, buf, 1, 0), 1);
	CHECK_EQ(buf[0], 'x');
	return 0;
}
