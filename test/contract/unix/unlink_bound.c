/* The file of a bound socket is removed only by unlink(2): after unlink
 * the name is free (ENOENT for connect, a new bind works) while the old
 * socket keeps working and reporting its name; after close the file
 * stays and refuses connections. */
#include "unixsock.h"

int main(void)
{
	struct sockaddr_un a, got;
	const char *path = contract_path("u.sock");
	socklen_t alen = un_path(&a, path), l;
	int srv, srv2, c, acc;
	char buf[4];

	srv = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(bind(srv, (struct sockaddr *)&a, alen));
	CHECK_OK(listen(srv, 4));
	c = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(connect(c, (struct sockaddr *)&a, alen));
	CHECK_OK(unlink(path));
	CHECK_ERRNO(access(path, F_OK), ENOENT);
	acc = CHECK_OK(accept(srv, NULL, NULL));        /* queued before */
	CHECK_EQ(write(c, "ok", 2), 2);
	CHECK_EQ(read(acc, buf, sizeof(buf)), 2);
	l = sizeof(got);
	CHECK_OK(getsockname(srv, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, alen);
	CHECK(strcmp(got.sun_path, path) == 0);
	c = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_ERRNO(connect(c, (struct sockaddr *)&a, alen), ENOENT);

	/* the name can be bound again, and then reaches the new socket */
	srv2 = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(bind(srv2, (struct sockaddr *)&a, alen));
	CHECK_OK(listen(srv2, 4));
	CHECK_OK(connect(c, (struct sockaddr *)&a, alen));
	CHECK_EQ(poll_one(srv2, POLLIN, 0), POLLIN);
	CHECK_EQ(poll_one(srv, POLLIN, 0), 0);

	/* renaming the file moves the name */
	CHECK_OK(rename(path, contract_path("moved.sock")));
	c = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_ERRNO(connect(c, (struct sockaddr *)&a, alen), ENOENT);
	alen = un_path(&a, contract_path("moved.sock"));
	CHECK_OK(connect(c, (struct sockaddr *)&a, alen));

	/* close: the file stays, nobody answers */
	CHECK_OK(close(srv2));
	CHECK_OK(access(contract_path("moved.sock"), F_OK));
	c = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_ERRNO(connect(c, (struct sockaddr *)&a, alen), ECONNREFUSED);
	CHECK_OK(unlink(contract_path("moved.sock")));
	return 0;
}
