/* msgget: IPC_PRIVATE always makes a new queue, a key finds its queue, IPC_CREAT|IPC_EXCL gives EEXIST, a missing key ENOENT, the mode bits asked for are checked (EACCES), and removed ids are not reused at once (EINVAL for stale ids). */
#include "contract.h"
#include <sys/ipc.h>
#include <sys/msg.h>

static int ids[8], nids;

static void cleanup(void)
{
	for (int i = 0; i < nids; i++)
		msgctl(ids[i], IPC_RMID, NULL);
}

static int track(int id)
{
	if (id >= 0 && nids < 8)
		ids[nids++] = id;
	return id;
}

int main(void)
{
	atexit(cleanup);
	key_t key = (key_t)(0x4d000000 | (getpid() & 0xffffff));

	int a = track(CHECK_OK(msgget(IPC_PRIVATE, 0600)));
	int b = track(CHECK_OK(msgget(IPC_PRIVATE, 0600)));
	CHECK(a != b);

	CHECK_ERRNO(msgget(key, 0600), ENOENT);
	int k = track(CHECK_OK(msgget(key, IPC_CREAT | 0640)));
	CHECK_EQ(msgget(key, 0), k);
	CHECK_EQ(msgget(key, IPC_CREAT | 0600), k);
	CHECK_ERRNO(msgget(key, IPC_CREAT | IPC_EXCL | 0600), EEXIST);

	struct msqid_ds ds;
	CHECK_OK(msgctl(k, IPC_STAT, &ds));
	CHECK_EQ(ds.msg_perm.__key, key);
	CHECK_EQ(ds.msg_perm.mode, 0640);
	CHECK_EQ(ds.msg_perm.uid, geteuid());
	CHECK_EQ(ds.msg_perm.cuid, geteuid());
	CHECK_EQ(ds.msg_qnum, 0);
	CHECK_EQ(ds.msg_qbytes, 16384);
	CHECK_EQ(ds.msg_lspid, 0);
	CHECK(ds.msg_ctime > 0);
	CHECK_EQ(ds.msg_stime, 0);

	/* Another user: the bits it asks for are checked, none asked is fine. */
	pid_t pid = CHECK_OK(fork());
	if (pid == 0) {
		contract_drop_privs();
		if (msgget(key, 0) != k)
			_exit(1);
		/* Mode 0640: "other" may not read. */
		if (msgget(key, 0004) != -1 || errno != EACCES)
			_exit(2);
		if (msgget(key, 0400) != -1 || errno != EACCES)
			_exit(3);
		_exit(0);
	}
	CHECK_EXITED(contract_wait(pid), 0);

	/* Removed ids stay invalid; new ones differ. */
	int seen[100];
	for (int i = 0; i < 100; i++) {
		seen[i] = CHECK_OK(msgget(IPC_PRIVATE, 0600));
		CHECK_OK(msgctl(seen[i], IPC_RMID, NULL));
		CHECK_ERRNO(msgctl(seen[i], IPC_STAT, &ds), EINVAL);
		for (int j = 0; j < i; j++)
			CHECK(seen[j] != seen[i]);
	}
	CHECK_ERRNO(msgctl(-1, IPC_STAT, &ds), EINVAL);
	CHECK_ERRNO(msgctl(a, 99, &ds), EINVAL);
	CHECK_ERRNO(msgctl(a, IPC_STAT, (struct msqid_ds *)contract_unmapped_page()), EFAULT);
	return 0;
}
