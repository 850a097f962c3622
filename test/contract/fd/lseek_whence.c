/* lseek SEEK_SET/CUR/END, seeking past EOF, EINVAL for negative results and bad whence, ESPIPE on pipes. */
#include "contract.h"

int main(void)
{
	int p[2];
	char buf[4];
	int fd = CHECK_OK(open(contract_path("f"), O_CREAT | O_RDWR, 0644));

	CHECK_EQ(write(fd, "0123456789", 10), 10);
	CHECK_EQ(lseek(fd, -3, SEEK_END), 7);
	CHECK_EQ(read(fd, buf, 4), 3);
	CHECK_EQ(lseek(fd, -5, SEEK_CUR), 5);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 5);
	CHECK_EQ(lseek(fd, 20, SEEK_END), 30);
	CHECK_EQ(read(fd, buf, 4), 0);
	CHECK_ERRNO(lseek(fd, -1, SEEK_SET), EINVAL);
	CHECK_ERRNO(lseek(fd, -31, SEEK_CUR), EINVAL);
	CHECK_ERRNO(lseek(fd, -11, SEEK_END), EINVAL);
	CHECK_ERRNO(lseek(fd, 0, 17), EINVAL);
	CHECK_EQ(lseek(fd, 0, SEEK_CUR), 30);	/* unchanged by the failures */
	CHECK_OK(pipe(p));
	CHECK_ERRNO(lseek(p[0], 0, SEEK_CUR), ESPIPE);
	CHECK_ERRNO(lseek(99999, 0, SEEK_SET), EBADF);
	return 0;
}
