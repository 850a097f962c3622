/* Symlink loops and too-long chains give ELOOP; O_NOFOLLOW on a symlink gives ELOOP. */
#include "contract.h"

int main(void)
{
	char name[32], target[32];

	CHECK_OK(symlink("b", contract_path("a")));
	CHECK_OK(symlink("a", contract_path("b")));
	CHECK_ERRNO(open(contract_path("a"), O_RDONLY), ELOOP);
	CHECK_ERRNO(access(contract_path("a/x"), F_OK), ELOOP);
	CHECK_OK(symlink("self", contract_path("self")));
	CHECK_ERRNO(stat(contract_path("self"), (struct stat *)name), ELOOP);
	/* A chain of 45 links exceeds the limit of 40. */
	contract_write_file(contract_path("c0"), "", 0644);
	for (int i = 1; i <= 45; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		snprintf(target, sizeof(target), "c%d", i - 1);
		CHECK_OK(symlink(target, contract_path(name)));
	}
	CHECK_OK(access(contract_path("c30"), F_OK));
	CHECK_ERRNO(access(contract_path("c45"), F_OK), ELOOP);
	/* O_NOFOLLOW refuses a final symlink but follows earlier components. */
	CHECK_OK(symlink("c0", contract_path("ln")));
	CHECK_ERRNO(open(contract_path("ln"), O_RDONLY | O_NOFOLLOW), ELOOP);
	CHECK_OK(mkdir(contract_path("d"), 0755));
	contract_write_file(contract_path("d/f"), "", 0644);
	CHECK_OK(symlink("d", contract_path("dl")));
	int fd = CHECK_OK(open(contract_path("dl/f"), O_RDONLY | O_NOFOLLOW));
	close(fd);
	/* O_PATH|O_NOFOLLOW opens the link itself. */
	fd = CHECK_OK(open(contract_path("ln"), O_PATH | O_NOFOLLOW));
	struct stat st;
	CHECK_OK(fstat(fd, &st));
	CHECK(S_ISLNK(st.st_mode));
	return 0;
}
