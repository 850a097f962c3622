/* msgrcv MSG_COPY: copies the message at an index without removing it (needs IPC_NOWAIT, not with MSG_EXCEPT: EINVAL; ENOMSG past the end; E2BIG for a small buffer, EINVAL with MSG_NOERROR). */
#include "contract.h"
#include <sys/ipc.h>
#include <sys/msg.h>

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

struct m {
	long type;
	char text[16];
};

static int q = -1;

static void cleanup(void)
{
	if (q >= 0)
		msgctl(q, IPC_RMID, NULL);
}

int main(void)
{
	atexit(cleanup);
	q = CHECK_OK(msgget(IPC_PRIVATE, 0600));
	struct m a = { 5, "one" }, b = { 7, "two" }, r;
	CHECK_OK(msgsnd(q, &a, 4, 0));
	CHECK_OK(msgsnd(q, &b, 4, 0));

	memset(&r, 0, sizeof(r));
	CHECK_EQ(msgrcv(q, &r, sizeof(r.text), 1, MSG_COPY | IPC_NOWAIT), 4);
	CHECK_EQ(r.type, 7);
	CHECK(strcmp(r.text, "two") == 0);
	CHECK_EQ(msgrcv(q, &r, sizeof(r.text), 0, MSG_COPY | IPC_NOWAIT), 4);
	CHECK_EQ(r.type, 5);
	CHECK_ERRNO(msgrcv(q, &r, sizeof(r.text), 2, MSG_COPY | IPC_NOWAIT), ENOMSG);
	CHECK_ERRNO(msgrcv(q, &r, sizeof(r.text), 0, MSG_COPY), EINVAL);
	CHECK_ERRNO(msgrcv(q, &r, sizeof(r.text), 0, MSG_COPY | IPC_NOWAIT | MSG_EXCEPT), EINVAL);
	CHECK_ERRNO(msgrcv(q, &r, 2, 0, MSG_COPY | IPC_NOWAIT), E2BIG);
	/* No truncated copies: MSG_NOERROR gives EINVAL. */
	CHECK_ERRNO(msgrcv(q, &r, 2, 0, MSG_COPY | IPC_NOWAIT | MSG_NOERROR), EINVAL);

	struct msqid_ds ds;
	CHECK_OK(msgctl(q, IPC_STAT, &ds));
	CHECK_EQ(ds.msg_qnum, 2);
	CHECK_EQ(ds.msg_lrpid, 0);
	CHECK_EQ(ds.msg_rtime, 0);
	CHECK_EQ(msgrcv(q, &r, sizeof(r.text), 0, IPC_NOWAIT), 4);
	CHECK_EQ(r.type, 5);
	return 0;
}
