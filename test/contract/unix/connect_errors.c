/* connect(2) errors: a missing path (ENOENT), a path that is not a socket,
 * a socket file nobody is bound to, a bound socket that does not listen,
 * a listener of another type (ECONNREFUSED, EPROTOTYPE), bad addresses. */
#include "unixsock.h"

int main(void)
{
	struct sockaddr_un a;
	socklen_t alen;
	int s, d, l;

	s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	alen = un_path(&a, contract_path("missing"));
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, alen), ENOENT);
	alen = un_path(&a, contract_path("missing/x"));
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, alen), ENOENT);
	contract_write_file(contract_path("file"), "x", 0644);
	alen = un_path(&a, contract_path("file"));
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, alen), ECONNREFUSED);
	alen = un_path(&a, contract_path("file/x"));
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, alen), ENOTDIR);
	CHECK_OK(mkfifo(contract_path("fifo"), 0644));
	alen = un_path(&a, contract_path("fifo"));
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, alen), ECONNREFUSED);
	alen = un_path(&a, contract_tmpdir());
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, alen), ECONNREFUSED);

	/* a socket inode left behind by mknod: nobody bound to it */
	CHECK_OK(mknod(contract_path("node"), S_IFSOCK | 0777, 0));
	alen = un_path(&a, contract_path("node"));
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, alen), ECONNREFUSED);

	/* bound but not listening */
	l = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	alen = un_path(&a, contract_path("l.sock"));
	CHECK_OK(bind(l, (struct sockaddr *)&a, alen));
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, alen), ECONNREFUSED);
	/* a listener that was closed leaves its file behind */
	CHECK_OK(listen(l, 1));
	CHECK_OK(close(l));
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, alen), ECONNREFUSED);

	/* a datagram socket's path, for a stream socket */
	d = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	alen = un_path(&a, contract_path("d.sock"));
	CHECK_OK(bind(d, (struct sockaddr *)&a, alen));
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, alen), EPROTOTYPE);

	/* through a symlink works like open(2) */
	CHECK_OK(symlink(contract_path("d.sock"), contract_path("link")));
	alen = un_path(&a, contract_path("link"));
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, alen), EPROTOTYPE);
	l = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	CHECK_OK(connect(l, (struct sockaddr *)&a, alen));
	CHECK_EQ(send(l, "x", 1, 0), 1);
	CHECK_EQ(recv(d, &a, 1, MSG_DONTWAIT), 1);

	/* bad addresses */
	alen = un_path(&a, contract_path("d.sock"));
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, SUN_OFF), EINVAL);
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, 1), EINVAL);
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, sizeof(a) + 1), EINVAL);
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, 200), EINVAL);
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, -1), EINVAL);
	CHECK_ERRNO(connect(s, (struct sockaddr *)contract_unmapped_page(), alen),
		    EFAULT);
	a.sun_family = AF_UNSPEC;
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, alen), EINVAL);
	a.sun_family = AF_INET;
	CHECK_ERRNO(connect(s, (struct sockaddr *)&a, alen), EINVAL);
	CHECK_ERRNO(connect(d, (struct sockaddr *)&a, alen), EINVAL);
	CHECK_ERRNO(connect(d, (struct sockaddr *)&a, 1), EINVAL);
	return 0;
}
