/* SO_PEERCRED: the creator for both ends of a socketpair; across
 * connect/accept, the connecting process for the server side and the
 * listener (at listen time) for the client; nothing for an unconnected
 * socket (pid 0, ids -1). */
#include "unixsock.h"

static struct ucred peercred(int s)
{
	struct ucred uc;
	socklen_t l = sizeof(uc);

	memset(&uc, 0x55, sizeof(uc));
	if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &uc, &l) != 0)
		CONTRACT_FAIL("SO_PEERCRED");
	if (l != sizeof(uc))
		CONTRACT_FAIL("SO_PEERCRED length %d", (int)l);
	return uc;
}

int main(void)
{
	struct sockaddr_un a;
	socklen_t alen = un_abstract(&a, "peercred"), l;
	struct ucred uc;
	int sv[2], srv, acc, s, sync[2];
	pid_t pid, me = getpid();
	char c;

	CHECK_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	uc = peercred(sv[0]);
	CHECK_EQ(uc.pid, me);
	CHECK_EQ(uc.uid, geteuid());
	CHECK_EQ(uc.gid, getegid());
	CHECK_EQ(peercred(sv[1]).pid, me);
	/* a short buffer gets a prefix */
	l = sizeof(int);
	CHECK_OK(getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &uc, &l));
	CHECK_EQ(l, sizeof(int));
	CHECK_EQ(uc.pid, me);

	s = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	uc = peercred(s);
	CHECK_EQ(uc.pid, 0);
	CHECK_EQ(uc.uid, (uid_t)-1);
	CHECK_EQ(uc.gid, (gid_t)-1);
	close(s);

	srv = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(bind(srv, (struct sockaddr *)&a, alen));
	CHECK_OK(listen(srv, 4));
	CHECK_OK(pipe(sync));
	fflush(NULL);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		struct ucred p;

		s = socket(AF_UNIX, SOCK_STREAM, 0);
		if (connect(s, (struct sockaddr *)&a, alen) != 0)
			_exit(10);
		p = peercred(s);
		if (p.pid != me)
			_exit(11);
		if (write(sync[1], "k", 1) != 1 || read(s, &c, 1) != 1)
			_exit(12);
		_exit(0);
	}
	CHECK_EQ(read(sync[0], &c, 1), 1);
	acc = CHECK_OK(accept(srv, NULL, NULL));
	uc = peercred(acc);
	CHECK_EQ(uc.pid, pid);
	CHECK_EQ(uc.uid, geteuid());
	CHECK_EQ(write(acc, "x", 1), 1);
	CHECK_EXITED(contract_wait(pid), 0);
	/* the peer has exited: the credentials stay */
	CHECK_EQ(peercred(acc).pid, pid);
	return 0;
}
