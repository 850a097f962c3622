/* msgctl: IPC_SET changes owner, mode and msg_qbytes (above the default only with CAP_SYS_RESOURCE: EPERM), only the owner, creator or root may IPC_SET or IPC_RMID (EPERM), IPC_STAT needs read permission (EACCES); IPC_INFO and MSG_STAT. */
#include "contract.h"
#include <sys/ipc.h>
#include <sys/msg.h>

static int q = -1;

static void cleanup(void)
{
	if (q >= 0)
		msgctl(q, IPC_RMID, NULL);
}

int main(void)
{
	contract_need_root();
	atexit(cleanup);
	q = CHECK_OK(msgget(IPC_PRIVATE, 0600));
	struct msqid_ds ds;

	/* Lowering msg_qbytes is always allowed. */
	CHECK_OK(msgctl(q, IPC_STAT, &ds));
	ds.msg_qbytes = 12000;
	CHECK_OK(msgctl(q, IPC_SET, &ds));
	CHECK_OK(msgctl(q, IPC_STAT, &ds));
	CHECK_EQ(ds.msg_qbytes, 12000);

	/* Someone else: no access at all. */
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_drop_privs();
		struct msqid_ds d;
		if (msgctl(q, IPC_STAT, &d) != -1 || errno != EACCES)
			_exit(1);
		if (msgctl(q, IPC_RMID, NULL) != -1 || errno != EPERM)
			_exit(2);
		if (msgctl(q, IPC_SET, &d) != -1 || errno != EPERM)
			_exit(3);
		struct { long t; char c; } m = { 1, 'x' };
		if (msgsnd(q, &m, 1, IPC_NOWAIT) != -1 || errno != EACCES)
			_exit(4);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);

	/* Give it away: the new owner may change it but not raise qbytes. */
	CHECK_OK(msgctl(q, IPC_STAT, &ds));
	ds.msg_perm.uid = CONTRACT_NOBODY;
	ds.msg_perm.gid = CONTRACT_NOBODY;
	ds.msg_perm.mode = 0604;
	CHECK_OK(msgctl(q, IPC_SET, &ds));
	CHECK_OK(msgctl(q, IPC_STAT, &ds));
	CHECK_EQ(ds.msg_perm.uid, CONTRACT_NOBODY);
	CHECK_EQ(ds.msg_perm.cuid, 0);
	CHECK_EQ(ds.msg_perm.mode, 0604);
	pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_drop_privs();
		struct msqid_ds d;
		if (msgctl(q, IPC_STAT, &d) != 0)
			_exit(1);
		d.msg_qbytes = 30000;
		if (msgctl(q, IPC_SET, &d) != -1 || errno != EPERM)
			_exit(2);
		d.msg_qbytes = 100;
		d.msg_perm.mode = 0666;
		if (msgctl(q, IPC_SET, &d) != 0)
			_exit(3);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);
	CHECK_OK(msgctl(q, IPC_STAT, &ds));
	CHECK_EQ(ds.msg_qbytes, 100);
	CHECK_EQ(ds.msg_perm.mode, 0666);

	/* IPC_INFO returns the highest slot in use, MSG_STAT takes a slot. */
	struct msginfo info;
	int max = CHECK_OK(msgctl(0, IPC_INFO, (struct msqid_ds *)&info));
	CHECK(max >= 0);
	CHECK_EQ(info.msgmax, 8192);
	CHECK_EQ(info.msgmnb, 16384);
	int found = 0;
	for (int i = 0; i <= max; i++) {
		int id = msgctl(i, MSG_STAT, &ds);
		if (id == q)
			found++;
	}
	CHECK_EQ(found, 1);
	CHECK_OK(msgctl(q, IPC_RMID, NULL));
	CHECK_ERRNO(msgctl(q, IPC_RMID, NULL), EINVAL);
	q = -1;
	return 0;
}
