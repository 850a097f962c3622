/* statx returns the requested basic fields consistent with stat. */
#include "contract.h"

struct k_statx_timestamp { int64_t tv_sec; uint32_t tv_nsec; int32_t pad; };
struct k_statx {
	uint32_t stx_mask, stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink, stx_uid, stx_gid;
	uint16_t stx_mode, pad1;
	uint64_t stx_ino, stx_size, stx_blocks, stx_attributes_mask;
	struct k_statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor, stx_dev_major, stx_dev_minor;
	uint64_t spare[14];
};
_Static_assert(sizeof(struct k_statx) == 256, "struct statx is 256 bytes");

#define K_STATX_BASIC_STATS 0x7ffU

int main(void)
{
	struct k_statx sx;
	struct stat st;
	const char *f = contract_path("f");

	contract_write_file(f, "hello", 0604);
	CHECK_OK(chmod(f, 0604));
	CHECK_OK(stat(f, &st));
	memset(&sx, 0xee, sizeof(sx));
	CHECK_OK(syscall(SYS_statx, AT_FDCWD, f, 0, K_STATX_BASIC_STATS, &sx));
	CHECK_EQ(sx.stx_mask & K_STATX_BASIC_STATS, K_STATX_BASIC_STATS);
	CHECK_EQ(sx.stx_mode, st.st_mode);
	CHECK_EQ(sx.stx_size, 5);
	CHECK_EQ(sx.stx_ino, st.st_ino);
	CHECK_EQ(sx.stx_nlink, 1);
	CHECK_EQ(sx.stx_uid, st.st_uid);
	CHECK_EQ(sx.stx_gid, st.st_gid);
	CHECK_EQ(sx.stx_mtime.tv_sec, st.st_mtime);
	CHECK_EQ(sx.stx_mtime.tv_nsec, st.st_mtim.tv_nsec);
	CHECK_EQ(sx.stx_blocks, st.st_blocks);
	CHECK_EQ(sx.stx_blksize, st.st_blksize);
	/* Device numbers agree with st_dev (major/minor split). */
	CHECK_EQ(sx.stx_dev_major, major(st.st_dev));
	CHECK_EQ(sx.stx_dev_minor, minor(st.st_dev));
	CHECK_ERRNO(syscall(SYS_statx, AT_FDCWD, f, 0, 0x80000000U, &sx), EINVAL);
	CHECK_ERRNO(syscall(SYS_statx, AT_FDCWD, contract_path("no"), 0, K_STATX_BASIC_STATS, &sx), ENOENT);
	CHECK_ERRNO(syscall(SYS_statx, AT_FDCWD, f, 0x1000000, K_STATX_BASIC_STATS, &sx), EINVAL);
	return 0;
}
