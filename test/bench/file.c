/*
 * File data through the page cache: sequential 4 KiB write() to a new
 * file and sequential 4 KiB read() of a file written before the loop (one
 * op = 4 KiB), on tmpfs (/tmp) and on ext4.  The ext4 directory is
 * $BENCH_EXT4_DIR if set (the host's sanity run), else /mnt/ext4, where
 * the bench init mounts the runner's virtio disk; without an ext4 file
 * system there the ext4 benchmarks report n/a.  Nothing here mounts
 * anything: on the host /dev/vda may well be the root disk.
 */
#include "bench.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define BLOCK 4096
#define EXT4_MAGIC 0xef53
#define EXT4_MNT "/mnt/ext4"

static char block[BLOCK];

/* The ext4 directory, or NULL (and n/a recorded) if there is none. */
static const char *ext4_dir(struct bench *b)
{
	const char *dir = getenv("BENCH_EXT4_DIR");
	struct statfs sf;

	if (!dir || !*dir)
		dir = EXT4_MNT;
	if (statfs(dir, &sf) != 0) {
		bench_na(b, "no ext4 file system: statfs", errno);
		return NULL;
	}
	if (sf.f_type != EXT4_MAGIC) {
		bench_na(b, "no ext4 file system mounted", 0);
		return NULL;
	}
	return dir;
}

static void write_loop(struct bench *b, const char *dir)
{
	char path[300];
	int fd;

	snprintf(path, sizeof(path), "%s/bench-write-%d", dir, (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		bench_fail(b, "open", errno);
		return;
	}
	memset(block, 'b', sizeof(block));
	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		ssize_t r = write(fd, block, BLOCK);

		if (r != BLOCK) {
			bench_fail(b, "write", r < 0 ? errno : 0);
			break;
		}
	}
	bench_end(b);
	if (lseek(fd, 0, SEEK_END) != (off_t)b->iters * BLOCK && !b->failed)
		bench_fail(b, "file size after writing", 0);
	close(fd);
	unlink(path);
}

static void read_loop(struct bench *b, const char *dir)
{
	char path[300];
	int fd;

	snprintf(path, sizeof(path), "%s/bench-read-%d", dir, (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		bench_fail(b, "open", errno);
		return;
	}
	memset(block, 'r', sizeof(block));
	for (long i = 0; i < b->iters; i++)
		if (write(fd, block, BLOCK) != BLOCK) {
			bench_fail(b, "write", errno);
			goto out;
		}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		bench_fail(b, "lseek", errno);
		goto out;
	}
	memset(block, 0, sizeof(block));
	bench_begin(b);
	for (long i = 0; i < b->iters; i++) {
		ssize_t r = read(fd, block, BLOCK);

		if (r != BLOCK || block[0] != 'r' || block[BLOCK - 1] != 'r') {
			bench_fail(b, "read", r < 0 ? errno : 0);
			break;
		}
	}
	bench_end(b);
out:
	close(fd);
	unlink(path);
}

static void bench_tmpfs_write_4k(struct bench *b)
{
	write_loop(b, "/tmp");
}

static void bench_tmpfs_read_4k(struct bench *b)
{
	read_loop(b, "/tmp");
}

static void bench_ext4_write_4k(struct bench *b)
{
	const char *dir = ext4_dir(b);

	if (dir)
		write_loop(b, dir);
}

static void bench_ext4_read_4k(struct bench *b)
{
	const char *dir = ext4_dir(b);

	if (dir)
		read_loop(b, dir);
}

static const struct bench_def benches[] = {
	BENCH_DEF(tmpfs_write_4k, 2048, 8),
	BENCH_DEF(tmpfs_read_4k, 2048, 8),
	BENCH_DEF(ext4_write_4k, 2048, 8),
	BENCH_DEF(ext4_read_4k, 2048, 8),
};

BENCH_MAIN(benches)
