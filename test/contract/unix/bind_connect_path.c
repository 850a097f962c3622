/* Path names: bind creates a socket inode (mode 0777 & ~umask), listen,
 * connect, accept, and the names each end reports. */
#include "unixsock.h"

int main(void)
{
	struct sockaddr_un a, got;
	socklen_t alen, l;
	struct stat st;
	int srv, cli, acc, cli2;
	char buf[8];
	const char *path = contract_path("srv.sock");
	const char *cpath = contract_path("cli.sock");

	umask(022);
	alen = un_path(&a, path);
	srv = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_ERRNO(listen(srv, 5), EINVAL);            /* unbound */
	CHECK_OK(bind(srv, (struct sockaddr *)&a, alen));
	CHECK_OK(lstat(path, &st));
	CHECK_EQ(st.st_mode, S_IFSOCK | 0755);
	CHECK_EQ(st.st_uid, geteuid());
	CHECK_ERRNO(open(path, O_RDONLY), ENXIO);
	CHECK_OK(listen(srv, 5));
	CHECK_OK(listen(srv, 10));                      /* again: fine */
	CHECK_EQ(sockopt_int(srv, SO_ACCEPTCONN), 1);

	/* An unbound client. */
	cli = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(connect(cli, (struct sockaddr *)&a, alen));
	CHECK_ERRNO(connect(cli, (struct sockaddr *)&a, alen), EISCONN);
	memset(&got, 0xff, sizeof(got));
	l = sizeof(got);
	acc = CHECK_OK(accept(srv, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, SUN_OFF);                           /* peer unbound */
	CHECK_EQ(got.sun_family, AF_UNIX);
	l = sizeof(got);
	CHECK_OK(getsockname(acc, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, alen);
	CHECK(strcmp(got.sun_path, path) == 0);
	l = sizeof(got);
	CHECK_OK(getpeername(cli, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, alen);
	CHECK(strcmp(got.sun_path, path) == 0);
	l = sizeof(got);
	CHECK_OK(getsockname(cli, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, SUN_OFF);
	CHECK_EQ(sockopt_int(acc, SO_ACCEPTCONN), 0);
	CHECK_EQ(write(cli, "ping", 4), 4);
	CHECK_EQ(read(acc, buf, sizeof(buf)), 4);
	CHECK_EQ(write(acc, "pong", 4), 4);
	CHECK_EQ(read(cli, buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "pong", 4) == 0);

	/* A bound client: the server sees its name. */
	cli2 = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	alen = un_path(&got, cpath);
	CHECK_OK(bind(cli2, (struct sockaddr *)&got, alen));
	CHECK_ERRNO(bind(cli2, (struct sockaddr *)&got, alen), EADDRINUSE);
	un_path(&got, contract_path("other.sock"));
	CHECK_ERRNO(bind(cli2, (struct sockaddr *)&got, alen), EINVAL);
	CHECK_ERRNO(access(contract_path("other.sock"), F_OK), ENOENT);
	alen = un_path(&a, path);
	CHECK_OK(connect(cli2, (struct sockaddr *)&a, alen));
	l = sizeof(got);
	close(acc);
	acc = CHECK_OK(accept(srv, (struct sockaddr *)&got, &l));
	CHECK_EQ(l, SUN_OFF + strlen(cpath) + 1);
	CHECK(strcmp(got.sun_path, cpath) == 0);
	l = sizeof(got);
	CHECK_OK(getpeername(acc, (struct sockaddr *)&got, &l));
	CHECK(strcmp(got.sun_path, cpath) == 0);

	/* The name exists: EADDRINUSE for everyone, even a regular file. */
	cli = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	CHECK_ERRNO(bind(cli, (struct sockaddr *)&a, alen), EADDRINUSE);
	contract_write_file(contract_path("file"), "x", 0644);
	alen = un_path(&a, contract_path("file"));
	CHECK_ERRNO(bind(cli, (struct sockaddr *)&a, alen), EADDRINUSE);
	alen = un_path(&a, contract_path("nodir/x.sock"));
	CHECK_ERRNO(bind(cli, (struct sockaddr *)&a, alen), ENOENT);
	alen = un_path(&a, contract_path("file/x.sock"));
	CHECK_ERRNO(bind(cli, (struct sockaddr *)&a, alen), ENOTDIR);
	/* bad lengths and families */
	CHECK_ERRNO(bind(cli, (struct sockaddr *)&a, 1), EINVAL);
	CHECK_ERRNO(bind(cli, (struct sockaddr *)&a, sizeof(a) + 1), EINVAL);
	CHECK_ERRNO(bind(cli, (struct sockaddr *)&a, -1), EINVAL);
	a.sun_family = AF_INET;
	CHECK_ERRNO(bind(cli, (struct sockaddr *)&a, alen), EINVAL);
	return 0;
}
