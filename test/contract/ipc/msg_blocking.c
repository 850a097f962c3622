/* Blocking message queues: msgrcv sleeps until a message arrives, msgsnd sleeps while the queue is full (EAGAIN with IPC_NOWAIT), IPC_RMID wakes sleepers with EIDRM, a caught signal gives EINTR even with SA_RESTART. */
#include "contract.h"
#include <sys/ipc.h>
#include <sys/msg.h>

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

static void handler(int sig)
{
	(void)sig;
}

int main(void)
{
	atexit(cleanup);
	q = CHECK_OK(msgget(IPC_PRIVATE, 0600));
	pid_t me = getpid();
	struct m m = { .type = 1 };

	/* A receiver that waits for a type the sender sends later. */
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(me);
		struct m s = { .type = 2, .text = "late" };
		_exit(msgsnd(q, &s, 5, 0) == 0 ? 0 : 1);
	}
	CHECK_EQ(msgrcv(q, &m, sizeof(m.text), 2, 0), 5);
	CHECK(strcmp(m.text, "late") == 0);
	CHECK_EXITED(contract_wait(pid), 0);

	/* A full queue (10 bytes): the sender waits for room. */
	struct msqid_ds ds;
	CHECK_OK(msgctl(q, IPC_STAT, &ds));
	ds.msg_qbytes = 10;
	CHECK_OK(msgctl(q, IPC_SET, &ds));
	m.type = 1;
	CHECK_OK(msgsnd(q, &m, 8, 0));
	CHECK_ERRNO(msgsnd(q, &m, 8, IPC_NOWAIT), EAGAIN);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		struct m s = { .type = 3 };
		_exit(msgsnd(q, &s, 8, 0) == 0 ? 0 : 1);
	}
	contract_wait_sleeping(pid);
	CHECK_OK(msgctl(q, IPC_STAT, &ds));
	CHECK_EQ(ds.msg_qnum, 1);
	CHECK_EQ(msgrcv(q, &m, sizeof(m.text), 1, 0), 8);
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_EQ(msgrcv(q, &m, sizeof(m.text), 0, IPC_NOWAIT), 8);
	CHECK_EQ(m.type, 3);

	/* A signal interrupts a waiting msgrcv even with SA_RESTART. */
	struct sigaction sa = { .sa_handler = handler, .sa_flags = SA_RESTART };
	CHECK_OK(sigaction(SIGUSR1, &sa, NULL));
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_wait_sleeping(me);
		kill(me, SIGUSR1);
		_exit(0);
	}
	CHECK_ERRNO(msgrcv(q, &m, sizeof(m.text), 0, 0), EINTR);
	CHECK_EXITED(contract_wait(pid), 0);

	/* IPC_RMID wakes a waiting receiver with EIDRM. */
	pid = CHECK_OK(fork());
	if (pid == 0) {
		struct m r;
		_exit(msgrcv(q, &r, sizeof(r.text), 0, 0) == -1 && errno == EIDRM ? 0 : 1);
	}
	contract_wait_sleeping(pid);
	CHECK_OK(msgctl(q, IPC_RMID, NULL));
	CHECK_EXITED(contract_wait(pid), 0);
	q = -1;
	return 0;
}
