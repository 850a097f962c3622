/* getdents64 lists ".", ".." and every entry once, with d_type. */
#include "contract.h"
#include <dirent.h>

struct k_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

int main(void)
{
	char buf[512];
	int seen_dot = 0, seen_dotdot = 0, seen_f = 0, seen_d = 0, seen_l = 0, other = 0;

	contract_write_file(contract_path("file"), "", 0644);
	CHECK_OK(mkdir(contract_path("dir"), 0755));
	CHECK_OK(symlink("file", contract_path("link")));
	for (int i = 0; i < 20; i++) {
		char n[64];
		snprintf(n, sizeof(n), "many-%02d-long-name-to-fill-buffers", i);
		contract_write_file(contract_path(n), "", 0644);
	}
	int fd = CHECK_OK(open(contract_tmpdir(), O_RDONLY | O_DIRECTORY));
	long n;
	/* A small buffer forces several calls. */
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct k_dirent64 *d = (struct k_dirent64 *)(buf + off);
			CHECK(d->d_reclen > 0 && d->d_reclen % 8 == 0);
			CHECK(d->d_ino != 0);
			if (!strcmp(d->d_name, "."))
				{ seen_dot++; CHECK_EQ(d->d_type, DT_DIR); }
			else if (!strcmp(d->d_name, ".."))
				{ seen_dotdot++; CHECK_EQ(d->d_type, DT_DIR); }
			else if (!strcmp(d->d_name, "file"))
				{ seen_f++; CHECK_EQ(d->d_type, DT_REG); }
			else if (!strcmp(d->d_name, "dir"))
				{ seen_d++; CHECK_EQ(d->d_type, DT_DIR); }
			else if (!strcmp(d->d_name, "link"))
				{ seen_l++; CHECK_EQ(d->d_type, DT_LNK); }
			else if (!strncmp(d->d_name, "many-", 5))
				other++;
			else
				CONTRACT_FAIL("unexpected entry %s", d->d_name);
			off += d->d_reclen;
		}
	}
	CHECK_EQ(n, 0);
	CHECK_EQ(seen_dot, 1);
	CHECK_EQ(seen_dotdot, 1);
	CHECK_EQ(seen_f, 1);
	CHECK_EQ(seen_d, 1);
	CHECK_EQ(seen_l, 1);
	CHECK_EQ(other, 20);
	/* Too small a buffer for one entry is EINVAL; a file is ENOTDIR. */
	CHECK_EQ(lseek(fd, 0, SEEK_SET), 0);
	CHECK_ERRNO(syscall(SYS_getdents64, fd, buf, 8), EINVAL);
	int f = CHECK_OK(open(contract_path("file"), O_RDONLY));
	CHECK_ERRNO(syscall(SYS_getdents64, f, buf, sizeof(buf)), ENOTDIR);
	CHECK_ERRNO(syscall(SYS_getdents64, 999, buf, sizeof(buf)), EBADF);
	return 0;
}
