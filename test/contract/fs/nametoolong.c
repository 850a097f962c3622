/* ENAMETOOLONG for a component over 255 bytes or a path of 4096 bytes or more. */
#include "contract.h"

int main(void)
{
	char comp[300], path[5000];

	memset(comp, 'n', 256);
	comp[256] = 0;
	CHECK_ERRNO(open(contract_path(comp), O_CREAT | O_WRONLY, 0644), ENAMETOOLONG);
	CHECK_ERRNO(mkdir(contract_path(comp), 0755), ENAMETOOLONG);
	CHECK_ERRNO(access(contract_path(comp), F_OK), ENAMETOOLONG);
	comp[255] = 0;
	int fd = CHECK_OK(open(contract_path(comp), O_CREAT | O_WRONLY, 0644));
	close(fd);
	CHECK_OK(unlink(contract_path(comp)));
	/* 4096 bytes including the NUL is too long; use many "./" components. */
	strcpy(path, contract_tmpdir());
	size_t len = strlen(path);
	while (len < 4200) {
		strcpy(path + len, "/.");
		len += 2;
	}
	CHECK_ERRNO(open(path, O_RDONLY), ENAMETOOLONG);
	CHECK_ERRNO(chdir(path), ENAMETOOLONG);
	/* 4095 characters is accepted. */
	path[4095] = 0;
	if (path[4094] == '/')
		path[4094] = '.';
	fd = CHECK_OK(open(path, O_RDONLY));
	close(fd);
	return 0;
}
