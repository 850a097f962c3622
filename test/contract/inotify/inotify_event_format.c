/* struct inotify_event layout: 16-byte header, names NUL-padded to a multiple of 16 bytes; FIONREAD counts queued bytes; a buffer too small for the first event gives EINVAL, one that fits only some events returns those. */
#include "contract.h"
#include <sys/inotify.h>
#include <sys/ioctl.h>

int main(void)
{
	CHECK_EQ(sizeof(struct inotify_event), 16);
	CHECK_EQ(offsetof(struct inotify_event, wd), 0);
	CHECK_EQ(offsetof(struct inotify_event, mask), 4);
	CHECK_EQ(offsetof(struct inotify_event, cookie), 8);
	CHECK_EQ(offsetof(struct inotify_event, len), 12);

	int in = CHECK_OK(inotify_init1(IN_NONBLOCK));
	const char *dir = contract_tmpdir();
	int wd = CHECK_OK(inotify_add_watch(in, dir, IN_CREATE));
	int n = -1;
	CHECK_OK(ioctl(in, FIONREAD, &n));
	CHECK_EQ(n, 0);

	/* Names of 15 and 16 bytes: 16 and 32 bytes with the NUL. */
	close(CHECK_OK(open(contract_path("fifteen_chars_x"), O_CREAT | O_WRONLY, 0600)));
	close(CHECK_OK(open(contract_path("sixteen_chars_xy"), O_CREAT | O_WRONLY, 0600)));
	CHECK_OK(ioctl(in, FIONREAD, &n));
	CHECK_EQ(n, 16 + 16 + 16 + 32);

	unsigned char buf[256] __attribute__((aligned(8)));
	CHECK_ERRNO(read(in, buf, 0), EINVAL);
	CHECK_ERRNO(read(in, buf, 16), EINVAL);
	CHECK_ERRNO(read(in, buf, 31), EINVAL);
	/* Room for the first event and part of the second: just the first. */
	memset(buf, 0xaa, sizeof(buf));
	CHECK_EQ(read(in, buf, 40), 32);
	struct inotify_event *e = (struct inotify_event *)buf;
	CHECK_EQ(e->wd, wd);
	CHECK_EQ(e->mask, IN_CREATE);
	CHECK_EQ(e->cookie, 0);
	CHECK_EQ(e->len, 16);
	CHECK(memcmp(e->name, "fifteen_chars_x", 16) == 0);	/* with its NUL */
	CHECK_EQ(buf[32], 0xaa);
	CHECK_OK(ioctl(in, FIONREAD, &n));
	CHECK_EQ(n, 48);

	memset(buf, 0xaa, sizeof(buf));
	CHECK_EQ(read(in, buf, sizeof(buf)), 48);
	CHECK_EQ(e->len, 32);
	CHECK(strcmp(e->name, "sixteen_chars_xy") == 0);
	for (int i = 16 + 16; i < 48; i++)
		CHECK_EQ(buf[i], 0);		/* padding is zeroed */
	CHECK_ERRNO(read(in, buf, sizeof(buf)), EAGAIN);
	CHECK_OK(ioctl(in, FIONREAD, &n));
	CHECK_EQ(n, 0);

	/* Events without a name have len 0. */
	const char *f = contract_path("fifteen_chars_x");
	int fwd = CHECK_OK(inotify_add_watch(in, f, IN_OPEN));
	close(CHECK_OK(open(f, O_RDONLY)));
	CHECK_EQ(read(in, buf, 16), 16);
	CHECK_EQ(e->wd, fwd);
	CHECK_EQ(e->mask, IN_OPEN);
	CHECK_EQ(e->len, 0);
	CHECK_ERRNO(read(in, buf, sizeof(buf)), EAGAIN);
	return 0;
}
