/* msgsnd/msgrcv: FIFO order, selection by type (0, > 0, < 0 lowest type up to |msgtyp|, MSG_EXCEPT), E2BIG leaves the message queued, MSG_NOERROR truncates, IPC_NOWAIT gives ENOMSG, argument errors, and the queue statistics. */
#include "contract.h"
#include <sys/ipc.h>
#include <sys/msg.h>

struct m {
	long type;
	char text[64];
};

static int q = -1;

static void cleanup(void)
{
	if (q >= 0)
		msgctl(q, IPC_RMID, NULL);
}

static void put(long type, const char *text)
{
	struct m m = { .type = type };
	strcpy(m.text, text);
	CHECK_OK(msgsnd(q, &m, strlen(text) + 1, 0));
}

/* Receive with @typ and @flags; check the type and text. */
static void get(long typ, int flags, long want_type, const char *want)
{
	struct m m;
	memset(&m, 0, sizeof(m));
	ssize_t n = CHECK_OK(msgrcv(q, &m, sizeof(m.text), typ, flags));
	CHECK_EQ(n, strlen(want) + 1);
	CHECK_EQ(m.type, want_type);
	CHECK(strcmp(m.text, want) == 0);
}

int main(void)
{
	atexit(cleanup);
	q = CHECK_OK(msgget(IPC_PRIVATE, 0600));

	put(1, "a1");
	put(2, "b2");
	put(3, "c3");
	put(1, "d1");
	put(5, "e5");
	struct msqid_ds ds;
	CHECK_OK(msgctl(q, IPC_STAT, &ds));
	CHECK_EQ(ds.msg_qnum, 5);
	CHECK_EQ(ds.msg_cbytes, 15);
	CHECK_EQ(ds.msg_lspid, getpid());
	CHECK_EQ(ds.msg_lrpid, 0);
	CHECK(ds.msg_stime > 0);

	get(3, 0, 3, "c3");			/* exact type */
	get(-4, 0, 1, "a1");			/* lowest type <= 4, first of it */
	get(2, MSG_EXCEPT, 1, "d1");		/* first not of type 2 */
	get(0, 0, 2, "b2");			/* first of all */
	CHECK_ERRNO(msgrcv(q, &(struct m){0}, 64, 4, IPC_NOWAIT), ENOMSG);
	CHECK_ERRNO(msgrcv(q, &(struct m){0}, 64, -4, IPC_NOWAIT), ENOMSG);
	CHECK_OK(msgctl(q, IPC_STAT, &ds));
	CHECK_EQ(ds.msg_qnum, 1);
	CHECK_EQ(ds.msg_cbytes, 3);
	CHECK_EQ(ds.msg_lrpid, getpid());

	/* Too small a buffer: E2BIG and the message stays; MSG_NOERROR cuts it. */
	struct m m;
	CHECK_ERRNO(msgrcv(q, &m, 2, 0, 0), E2BIG);
	memset(&m, 0, sizeof(m));
	CHECK_EQ(msgrcv(q, &m, 2, 0, MSG_NOERROR), 2);
	CHECK_EQ(m.type, 5);
	CHECK(m.text[0] == 'e' && m.text[1] == '5' && m.text[2] == 0);
	CHECK_ERRNO(msgrcv(q, &m, 64, 0, IPC_NOWAIT), ENOMSG);

	/* Empty messages. */
	m.type = 7;
	CHECK_OK(msgsnd(q, &m, 0, 0));
	CHECK_EQ(msgrcv(q, &m, 0, 7, 0), 0);

	/* Argument errors. */
	m.type = 0;
	CHECK_ERRNO(msgsnd(q, &m, 1, 0), EINVAL);
	m.type = -1;
	CHECK_ERRNO(msgsnd(q, &m, 1, 0), EINVAL);
	m.type = 1;
	static char big[sizeof(long) + 8193];
	*(long *)big = 1;
	CHECK_ERRNO(msgsnd(q, big, 8193, 0), EINVAL);
	CHECK_OK(msgsnd(q, big, 8192, 0));
	CHECK_EQ(msgrcv(q, big, 8192, 0, 0), 8192);
	CHECK_ERRNO(msgsnd(-1, &m, 1, 0), EINVAL);
	CHECK_ERRNO(msgsnd(q + 1000000, &m, 1, 0), EINVAL);
	CHECK_ERRNO(msgsnd(q, contract_unmapped_page(), 1, 0), EFAULT);
	CHECK_ERRNO(msgrcv(q, &m, (size_t)-1, 0, IPC_NOWAIT), EINVAL);
	CHECK_ERRNO(msgrcv(-1, &m, 1, 0, IPC_NOWAIT), EINVAL);
	CHECK_OK(msgsnd(q, &m, 1, 0));
	CHECK_ERRNO(msgrcv(q, contract_unmapped_page(), 1, 0, IPC_NOWAIT), EFAULT);
	return 0;
}
