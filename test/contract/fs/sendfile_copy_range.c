/* sendfile and copy_file_range: data, positions versus explicit offsets, EOF, and Linux's errno for bad descriptors, append mode, pipes, directories, flags, overlap and bad pointers. */
#include "contract.h"
#include <sys/sendfile.h>

static long cfr(int in, off_t *oin, int out, off_t *oout, size_t len,
		unsigned flags)
{
	return syscall(SYS_copy_file_range, in, oin, out, oout, len, flags);
}

int main(void)
{
	const char *src = contract_path("src"), *dst = contract_path("dst");
	char buf[64];
	int p[2];
	off_t off;

	contract_write_file(src, "0123456789abcdef", 0644);
	int in = CHECK_OK(open(src, O_RDONLY));
	int out = CHECK_OK(open(dst, O_RDWR | O_CREAT | O_TRUNC, 0644));
	CHECK_OK(pipe(p));

	/* File to pipe at the file position, which advances. */
	CHECK_EQ(sendfile(p[1], in, NULL, 4), 4);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 4);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "0123", 4) == 0);
	/* With an offset: the offset moves, the position does not. */
	off = 10;
	CHECK_EQ(sendfile(p[1], in, &off, 100), 6);
	CHECK_EQ(off, 16);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 4);
	CHECK_EQ(read(p[0], buf, sizeof(buf)), 6);
	CHECK(memcmp(buf, "abcdef", 6) == 0);
	/* At EOF, and a zero count. */
	CHECK_EQ(sendfile(p[1], in, &off, 10), 0);
	CHECK_EQ(sendfile(p[1], in, NULL, 0), 0);
	/* File to file. */
	CHECK_EQ(sendfile(out, in, NULL, 100), 12);
	CHECK_EQ(pread(out, buf, sizeof(buf), 0), 12);
	CHECK(memcmp(buf, "456789abcdef", 12) == 0);

	/* sendfile errors. */
	CHECK_ERRNO(sendfile(p[1], -1, NULL, 1), EBADF);
	CHECK_ERRNO(sendfile(-1, in, NULL, 1), EBADF);
	CHECK_ERRNO(sendfile(in, in, NULL, 1), EBADF);      /* not writable */
	int wronly = CHECK_OK(open(src, O_WRONLY));
	CHECK_ERRNO(sendfile(p[1], wronly, NULL, 1), EBADF); /* not readable */
	int app = CHECK_OK(open(dst, O_WRONLY | O_APPEND));
	CHECK_ERRNO(sendfile(app, in, NULL, 1), EINVAL);
	off = -1;
	CHECK_ERRNO(sendfile(p[1], in, &off, 1), EINVAL);
	CHECK_ERRNO(sendfile(p[1], in, (off_t *)1, 1), EFAULT);
	CHECK_ERRNO(sendfile(out, p[0], NULL, 1), EINVAL);  /* pipe input */
	int dir = CHECK_OK(open(contract_tmpdir(), O_RDONLY | O_DIRECTORY));
	CHECK_ERRNO(sendfile(p[1], dir, NULL, 1), EINVAL);

	/* copy_file_range with both offsets: positions untouched. */
	off_t oin = 2, oout = 20;
	CHECK_EQ(cfr(in, &oin, out, &oout, 5, 0), 5);
	CHECK_EQ(oin, 7);
	CHECK_EQ(oout, 25);
	CHECK_EQ(pread(out, buf, sizeof(buf), 0), 25);
	CHECK(memcmp(buf + 12, "\0\0\0\0\0\0\0\0" "23456", 13) == 0);
	/* Without offsets: both positions advance. */
	CHECK_EQ(lseek(in, 0, SEEK_SET), 0);
	CHECK_EQ(lseek(out, 0, SEEK_SET), 0);
	CHECK_EQ(cfr(in, NULL, out, NULL, 3, 0), 3);
	CHECK_EQ(lseek(in, 0, SEEK_CUR), 3);
	CHECK_EQ(lseek(out, 0, SEEK_CUR), 3);
	CHECK_EQ(pread(out, buf, 3, 0), 3);
	CHECK(memcmp(buf, "012", 3) == 0);
	/* At EOF. */
	oin = 16;
	CHECK_EQ(cfr(in, &oin, out, NULL, 8, 0), 0);

	/* copy_file_range errors. */
	CHECK_ERRNO(cfr(in, NULL, out, NULL, 1, 1), EINVAL);
	CHECK_ERRNO(cfr(-1, NULL, out, NULL, 1, 0), EBADF);
	CHECK_ERRNO(cfr(wronly, NULL, out, NULL, 1, 0), EBADF);
	CHECK_ERRNO(cfr(in, NULL, in, NULL, 1, 0), EBADF);
	CHECK_ERRNO(cfr(in, NULL, app, NULL, 1, 0), EBADF);
	CHECK_ERRNO(cfr(dir, NULL, out, NULL, 1, 0), EISDIR);
	CHECK_ERRNO(cfr(p[0], NULL, out, NULL, 1, 0), EINVAL);
	CHECK_ERRNO(cfr(in, NULL, p[1], NULL, 1, 0), EINVAL);
	oin = -1;       /* the range wraps */
	CHECK_ERRNO(cfr(in, &oin, out, NULL, 1, 0), EOVERFLOW);
	oin = -100;
	CHECK_ERRNO(cfr(in, &oin, out, NULL, 1, 0), EINVAL);
	CHECK_ERRNO(cfr(in, (off_t *)1, out, NULL, 1, 0), EFAULT);
	/* Overlapping ranges of one file. */
	int rw = CHECK_OK(open(dst, O_RDWR));
	oin = 0;
	oout = 2;
	CHECK_ERRNO(cfr(rw, &oin, rw, &oout, 4, 0), EINVAL);
	oin = 0;
	oout = 8;
	CHECK_EQ(cfr(rw, &oin, rw, &oout, 4, 0), 4);
	CHECK_EQ(pread(rw, buf, 4, 8), 4);
	CHECK(memcmp(buf, "012", 3) == 0);
	return 0;
}
