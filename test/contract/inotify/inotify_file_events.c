/* File events, each reported to the file's watch and, with the name, to its directory's watch first: IN_OPEN, IN_MODIFY, IN_ACCESS, IN_CLOSE_WRITE/NOWRITE, IN_ATTRIB (chmod, chown, utimes), IN_MODIFY for truncate; directories' own events carry IN_ISDIR; identical consecutive events are merged. */
#include "inotify_util.h"

int main(void)
{
	int in = CHECK_OK(inotify_init1(IN_NONBLOCK));
	const char *dir = contract_tmpdir();
	const char *path = contract_path("f");
	contract_write_file(path, "hello", 0644);
	int dw = CHECK_OK(inotify_add_watch(in, dir, IN_ALL_EVENTS));
	int fw = CHECK_OK(inotify_add_watch(in, path, IN_ALL_EVENTS));
	char buf[16];

	int fd = CHECK_OK(open(path, O_RDONLY));
	CHECK_EQ(read(fd, buf, 2), 2);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 3);
	CHECK_EQ(read(fd, buf, sizeof(buf)), 0);	/* EOF: no event */
	CHECK_OK(close(fd));
	EXPECT(in, { dw, IN_OPEN, "f" }, { fw, IN_OPEN, NULL },
	       { dw, IN_ACCESS, "f" }, { fw, IN_ACCESS, NULL },
	       { dw, IN_ACCESS, "f" }, { fw, IN_ACCESS, NULL },
	       { dw, IN_CLOSE_NOWRITE, "f" }, { fw, IN_CLOSE_NOWRITE, NULL });

	/* With only the file watched, repeated writes merge into one event. */
	CHECK_OK(inotify_rm_watch(in, dw));
	EXPECT(in, { dw, IN_IGNORED, NULL });
	fd = CHECK_OK(open(path, O_WRONLY));
	CHECK_EQ(write(fd, "a", 1), 1);
	CHECK_EQ(write(fd, "b", 1), 1);
	CHECK_EQ(pwrite(fd, "c", 1, 4), 1);
	CHECK_EQ(write(fd, "", 0), 0);		/* nothing written: no event */
	CHECK_OK(close(fd));
	EXPECT(in, { fw, IN_OPEN, NULL }, { fw, IN_MODIFY, NULL },
	       { fw, IN_CLOSE_WRITE, NULL });

	/* Attribute changes; truncate is a modification. */
	dw = CHECK_OK(inotify_add_watch(in, dir, IN_ATTRIB | IN_MODIFY));
	CHECK_OK(chmod(path, 0600));
	CHECK_OK(chown(path, 0, 0));
	CHECK_OK(truncate(path, 2));
	CHECK_OK(utimensat(AT_FDCWD, path, NULL, 0));
	EXPECT(in, { dw, IN_ATTRIB, "f" }, { fw, IN_ATTRIB, NULL },
	       { dw, IN_ATTRIB, "f" }, { fw, IN_ATTRIB, NULL },
	       { dw, IN_MODIFY, "f" }, { fw, IN_MODIFY, NULL },
	       { dw, IN_ATTRIB, "f" }, { fw, IN_ATTRIB, NULL });
	/* O_TRUNC truncates after the open: IN_OPEN, then IN_MODIFY. */
	fd = CHECK_OK(open(path, O_WRONLY | O_TRUNC));
	CHECK_OK(close(fd));
	EXPECT(in, { fw, IN_OPEN, NULL }, { dw, IN_MODIFY, "f" },
	       { fw, IN_MODIFY, NULL }, { fw, IN_CLOSE_WRITE, NULL });

	/* O_PATH opens report nothing. */
	fd = CHECK_OK(open(path, O_PATH));
	CHECK_OK(close(fd));
	EXPECT_NONE(in);

	/* A directory's own events carry IN_ISDIR, as do its child events. */
	const char *sub = contract_path("sub");
	CHECK_OK(mkdir(sub, 0755));
	int sw = CHECK_OK(inotify_add_watch(in, sub, IN_OPEN | IN_CLOSE_NOWRITE | IN_ACCESS | IN_ATTRIB));
	EXPECT_NONE(in);
	fd = CHECK_OK(open(sub, O_RDONLY | O_DIRECTORY));
	char dents[1024];
	CHECK(syscall(SYS_getdents64, fd, dents, sizeof(dents)) > 0);	/* a read */
	CHECK_OK(close(fd));
	CHECK_OK(chmod(sub, 0700));
	EXPECT(in, { sw, IN_OPEN | IN_ISDIR, NULL },
	       { sw, IN_ACCESS | IN_ISDIR, NULL },
	       { sw, IN_CLOSE_NOWRITE | IN_ISDIR, NULL },
	       { dw, IN_ATTRIB | IN_ISDIR, "sub" },
	       { sw, IN_ATTRIB | IN_ISDIR, NULL });
	return 0;
}
