/* noexec: execve and mmap(PROT_EXEC) of a file on the mount give EACCES
 * (access(X_OK) too); nodev: opening a device node gives EACCES; nosuid:
 * a set-uid root program run by another user keeps that user's ids. */
#include "mount_util.h"

static char self[512];

static int run_as_nobody(void *arg)
{
	contract_drop_privs();
	char *argv[] = { (char *)arg, "child", NULL };
	execv((char *)arg, argv);
	return 100 + errno;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "child") == 0)
		return geteuid() == (uid_t)CONTRACT_NOBODY ? 42 : 43;
	mount_test_begin();
	CHECK_OK(chmod(contract_tmpdir(), 0755));       /* for nobody */
	CHECK(readlink("/proc/self/exe", self, sizeof(self) - 1) > 0);
	const char *x = mount_tmpfs("x", MS_NOEXEC | MS_NODEV);
	char prog[512], node[512];
	snprintf(prog, sizeof(prog), "%s/prog", x);
	snprintf(node, sizeof(node), "%s/null", x);

	/* Copy ourselves onto the noexec mount. */
	char *buf = malloc(4 << 20);
	int in = CHECK_OK(open(self, O_RDONLY));
	ssize_t n = read(in, buf, 4 << 20);
	CHECK(n > 0);
	close(in);
	int out = CHECK_OK(open(prog, O_CREAT | O_WRONLY, 0755));
	CHECK_EQ(write(out, buf, n), n);
	close(out);
	CHECK_ERRNO(access(prog, X_OK), EACCES);
	char *args[] = { prog, "child", NULL };
	CHECK_ERRNO(execv(prog, args), EACCES);
	int fd = CHECK_OK(open(prog, O_RDONLY));
	void *map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(map != MAP_FAILED);
	CHECK_OK(munmap(map, 4096));
	CHECK(mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0) ==
	      MAP_FAILED);
	CHECK_EQ(errno, EPERM);
	close(fd);

	CHECK_OK(mknod(node, S_IFCHR | 0666, makedev(1, 3)));
	CHECK_ERRNO(open(node, O_RDONLY), EACCES);
	CHECK_ERRNO(open(node, O_WRONLY), EACCES);

	/* Remount exec, nosuid: the set-uid bit is ignored. */
	CHECK_OK(mount(NULL, x, NULL, MS_REMOUNT | MS_NOSUID, NULL));
	fd = CHECK_OK(open(node, O_RDONLY));
	close(fd);
	CHECK_OK(chmod(prog, 04755));
	CHECK_EXITED(contract_run_child(run_as_nobody, prog), 42);
	CHECK_OK(unlink(prog));
	CHECK_OK(unlink(node));
	free(buf);
	CHECK_OK(umount(x));
	return 0;
}
