/* connect(2) to a path needs write permission on the socket file (and
 * search permission on the directories), as for open(2). */
#include "unixsock.h"

static const char *dir;

static int child(void *arg)
{
	struct sockaddr_un a;
	socklen_t alen;
	int s;

	contract_drop_privs();
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	if (s < 0)
		return 10;
	alen = un_path(&a, contract_path("ro.sock"));
	errno = 0;
	if (connect(s, (struct sockaddr *)&a, alen) != -1 || errno != EACCES)
		return 11;
	alen = un_path(&a, contract_path("closed/rw.sock"));
	errno = 0;
	if (connect(s, (struct sockaddr *)&a, alen) != -1 || errno != EACCES)
		return 12;
	alen = un_path(&a, contract_path("rw.sock"));
	if (connect(s, (struct sockaddr *)&a, alen) != 0)
		return 13;
	/* bind in a directory we cannot write */
	close(s);
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	alen = un_path(&a, contract_path("closed/new.sock"));
	errno = 0;
	if (bind(s, (struct sockaddr *)&a, alen) != -1 || errno != EACCES)
		return 14;
	return 0;
}

int main(void)
{
	struct sockaddr_un a;
	socklen_t alen;
	int s1, s2, s3;

	contract_need_root();
	dir = contract_tmpdir();
	CHECK_OK(chmod(dir, 0755));
	CHECK_OK(mkdir(contract_path("closed"), 0700));
	umask(0);
	s1 = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	alen = un_path(&a, contract_path("ro.sock"));
	CHECK_OK(bind(s1, (struct sockaddr *)&a, alen));
	CHECK_OK(chmod(contract_path("ro.sock"), 0555));
	CHECK_OK(listen(s1, 5));
	s2 = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	alen = un_path(&a, contract_path("closed/rw.sock"));
	CHECK_OK(bind(s2, (struct sockaddr *)&a, alen));
	CHECK_OK(listen(s2, 5));
	s3 = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	alen = un_path(&a, contract_path("rw.sock"));
	CHECK_OK(bind(s3, (struct sockaddr *)&a, alen));
	CHECK_OK(listen(s3, 5));
	CHECK_EXITED(contract_run_child(child, NULL), 0);
	/* root may connect to the read-only one */
	s2 = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	alen = un_path(&a, contract_path("ro.sock"));
	CHECK_OK(connect(s2, (struct sockaddr *)&a, alen));
	return 0;
}
