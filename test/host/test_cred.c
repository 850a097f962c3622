/*
 * Host tests for process/cred.c: the set*id permission rules.
 *
 * Two tiers: hand-written cases from the man pages, then (when run as
 * root) every combination of a few ids checked against the host's Linux
 * kernel as the oracle: a forked child takes the old credentials, makes
 * the raw system call, and reports its result and new ids through a pipe.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "test/host/host_test.h"
#include "process/cred.h"

#define U CRED_ID_UNCHANGED

static struct cred mk(uint32_t r, uint32_t e, uint32_t s)
{
	struct cred c = { .uid = r, .euid = e, .suid = s, .fsuid = e,
			  .gid = r, .egid = e, .sgid = s, .fsgid = e };
	return c;
}

static bool uids(const struct cred *c, uint32_t r, uint32_t e, uint32_t s,
		 uint32_t fs)
{
	return c->uid == r && c->euid == e && c->suid == s && c->fsuid == fs;
}

static bool gids(const struct cred *c, uint32_t r, uint32_t e, uint32_t s,
		 uint32_t fs)
{
	return c->gid == r && c->egid == e && c->sgid == s && c->fsgid == fs;
}

static void hand_written(void)
{
	struct cred old, new;

	old = mk(0, 0, 0);
	CHECK("setuid root sets all four",
	      cred_setuid(&new, &old, 1000) == 0 && uids(&new, 1000, 1000, 1000, 1000));
	CHECK("setuid(-1) is EINVAL", cred_setuid(&new, &old, U) == -EINVAL);
	old = mk(1000, 0, 0);
	CHECK("setuid with euid 0 sets all (privileged)",
	      cred_setuid(&new, &old, 2000) == 0 && uids(&new, 2000, 2000, 2000, 2000));
	old = mk(1000, 2000, 0);
	CHECK("setuid unprivileged to saved 0 changes euid only",
	      cred_setuid(&new, &old, 0) == 0 && uids(&new, 1000, 0, 0, 0));
	CHECK("setuid unprivileged to other is EPERM",
	      cred_setuid(&new, &old, 3000) == -EPERM);
	old = mk(1000, 1000, 1000);
	CHECK("setuid to own uid is a no-op success",
	      cred_setuid(&new, &old, 1000) == 0 && uids(&new, 1000, 1000, 1000, 1000));
	CHECK("setgid unprivileged to other is EPERM",
	      cred_setgid(&new, &old, 0) == -EPERM);

	old = mk(1000, 1000, 1000);
	CHECK("setreuid swap unprivileged allowed when equal",
	      cred_setreuid(&new, &old, 1000, 1000) == 0);
	old = mk(1000, 2000, 2000);
	CHECK("setreuid swap r/e, saved follows new euid",
	      cred_setreuid(&new, &old, 2000, 1000) == 0 &&
	      uids(&new, 2000, 1000, 1000, 1000));
	CHECK("setreuid(-1, old ruid) leaves saved alone",
	      cred_setreuid(&new, &old, U, 1000) == 0 &&
	      uids(&new, 1000, 1000, 2000, 1000));
	old = mk(1000, 2000, 3000);
	CHECK("setreuid(-1, suid) allowed, saved becomes euid",
	      cred_setreuid(&new, &old, U, 3000) == 0 &&
	      uids(&new, 1000, 3000, 3000, 3000));
	CHECK("setreuid ruid to saved is EPERM",
	      cred_setreuid(&new, &old, 3000, U) == -EPERM);
	CHECK("setreuid(-1,-1) keeps everything",
	      cred_setreuid(&new, &old, U, U) == 0 &&
	      uids(&new, 1000, 2000, 3000, 2000));

	old = mk(1000, 2000, 3000);
	CHECK("setresuid permutation allowed",
	      cred_setresuid(&new, &old, 3000, 1000, 2000) == 0 &&
	      uids(&new, 3000, 1000, 2000, 1000));
	CHECK("setresuid new id is EPERM",
	      cred_setresuid(&new, &old, U, 4000, U) == -EPERM);
	old = mk(1000, 0, 3000);
	CHECK("setresuid root anything",
	      cred_setresuid(&new, &old, 7, 8, 9) == 0 && uids(&new, 7, 8, 9, 8));
	old = mk(1000, 2000, 3000);
	CHECK("setresgid uses gid fields",
	      cred_setresgid(&new, &old, U, 3000, U) == 0 &&
	      gids(&new, 1000, 3000, 3000, 3000));
	CHECK("setresgid unprivileged new gid is EPERM",
	      cred_setresgid(&new, &old, 5, U, U) == -EPERM);

	old = mk(1000, 2000, 3000);
	CHECK("setfsuid returns old value",
	      cred_setfsuid(&new, &old, 3000) == 2000 && new.fsuid == 3000);
	CHECK("setfsuid refused keeps value",
	      cred_setfsuid(&new, &old, 5) == 2000 && new.fsuid == 2000);
	CHECK("setfsuid(-1) queries",
	      cred_setfsuid(&new, &old, U) == 2000 && new.fsuid == 2000);
	old = mk(0, 0, 0);
	CHECK("setfsgid root anything",
	      cred_setfsgid(&new, &old, 42) == 0 && new.fsgid == 42);

	{
		uint32_t g[] = { 30, 10, 20, 10 };
		uint32_t many[CRED_MAX_GROUPS + 1] = { 0 };

		old = mk(0, 0, 0);
		CHECK("setgroups sorts",
		      cred_setgroups(&new, &old, g, 4) == 0 && new.ngroups == 4 &&
		      new.groups[0] == 10 && new.groups[1] == 10 &&
		      new.groups[2] == 20 && new.groups[3] == 30);
		CHECK("in_group finds supplementary", cred_has_group(&new, 20));
		CHECK("in_group finds fsgid", cred_has_group(&new, 0));
		CHECK("in_group misses", !cred_has_group(&new, 25));
		CHECK("setgroups empty",
		      cred_setgroups(&new, &old, NULL, 0) == 0 && new.ngroups == 0);
		CHECK("setgroups too many is EINVAL",
		      cred_setgroups(&new, &old, many, CRED_MAX_GROUPS + 1) == -EINVAL);
		CHECK("setgroups over NGROUPS_MAX is EINVAL",
		      cred_setgroups(&new, &old, many, NGROUPS_MAX + 1) == -EINVAL);
		old = mk(1000, 1000, 1000);
		CHECK("setgroups unprivileged is EPERM",
		      cred_setgroups(&new, &old, g, 1) == -EPERM);
	}
}

/* ---- the host kernel as the oracle ---- */

enum op { OP_SETUID, OP_SETREUID, OP_SETRESUID, OP_SETFSUID,
	  OP_SETGID, OP_SETREGID, OP_SETRESGID, OP_SETFSGID };

struct outcome {
	long ret;
	uint32_t r, e, s, fs;
};

static const uint32_t ids[] = { 0, 1000, 2000 };
static const uint32_t args[] = { U, 0, 1000, 2000, 3000 };

static long model(enum op op, const struct cred *old, const uint32_t *a,
		  struct outcome *o)
{
	struct cred new;
	long ret = 0;
	bool gid = op >= OP_SETGID;

	switch (op) {
	case OP_SETUID: ret = cred_setuid(&new, old, a[0]); break;
	case OP_SETREUID: ret = cred_setreuid(&new, old, a[0], a[1]); break;
	case OP_SETRESUID: ret = cred_setresuid(&new, old, a[0], a[1], a[2]); break;
	case OP_SETFSUID: ret = cred_setfsuid(&new, old, a[0]); break;
	case OP_SETGID: ret = cred_setgid(&new, old, a[0]); break;
	case OP_SETREGID: ret = cred_setregid(&new, old, a[0], a[1]); break;
	case OP_SETRESGID: ret = cred_setresgid(&new, old, a[0], a[1], a[2]); break;
	case OP_SETFSGID: ret = cred_setfsgid(&new, old, a[0]); break;
	}
	if (ret < 0)
		new = *old;
	if (gid)
		*o = (struct outcome){ ret, new.gid, new.egid, new.sgid, new.fsgid };
	else
		*o = (struct outcome){ ret, new.uid, new.euid, new.suid, new.fsuid };
	return ret;
}

/*
 * Run @op in a child that starts with ids (r, e, s) for both uid and gid
 * (gids are set first, while still root).  The child is a vfork child:
 * credentials belong to the task, not the address space, so its set*id
 * calls leave ours alone, and it can store the outcome in our memory
 * while we wait (a full fork per case of an ASan binary is ten times
 * slower).  false if the setup failed.
 */
static bool oracle(enum op op, uint32_t r, uint32_t e, uint32_t s,
		   const uint32_t *a, struct outcome *o)
{
	static const long nr[] = {
		SYS_setuid, SYS_setreuid, SYS_setresuid, SYS_setfsuid,
		SYS_setgid, SYS_setregid, SYS_setresgid, SYS_setfsgid,
	};
	volatile struct outcome *res = o;
	volatile bool setup_ok = false;
	bool gid = op >= OP_SETGID;
	int status;
	pid_t pid;

	pid = vfork();
	if (pid == 0) {
		uid_t rr = 0, ee = 0, ss = 0;
		long ret;

		if (syscall(SYS_setresgid, r, e, s) != 0 ||
		    syscall(SYS_setresuid, r, e, s) != 0)
			_exit(2);
		setup_ok = true;
		ret = syscall(nr[op], a[0], a[1], a[2]);
		res->ret = ret < 0 ? -errno : ret;
		syscall(gid ? SYS_getresgid : SYS_getresuid, &rr, &ee, &ss);
		res->fs = (uint32_t)syscall(gid ? SYS_setfsgid : SYS_setfsuid, -1);
		res->r = rr;
		res->e = ee;
		res->s = ss;
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return false;
	return setup_ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void against_host(enum op op, const char *name, int nargs)
{
	int cases = 0, bad = 0;
	char label[160];

	for (unsigned r = 0; r < 3; r++)
	for (unsigned e = 0; e < 3; e++)
	for (unsigned s = 0; s < 3; s++)
	for (unsigned i = 0; i < 5; i++)
	for (unsigned j = 0; j < (nargs > 1 ? 5u : 1u); j++)
	for (unsigned k = 0; k < (nargs > 2 ? 5u : 1u); k++) {
		uint32_t a[3] = { args[i], args[j], args[k] };
		struct cred old = mk(ids[r], ids[e], ids[s]);
		struct outcome want, got;

		if (!oracle(op, ids[r], ids[e], ids[s], a, &want)) {
			printf("# %s: host oracle unavailable, skipped\n", name);
			return;
		}
		model(op, &old, a, &got);
		cases++;
		if (memcmp(&want, &got, sizeof(want)) != 0) {
			if (bad++ < 3)
				printf("# %s(%d,%d,%d) from (%u,%u,%u): host %ld %u/%u/%u/%u,"
				       " ours %ld %u/%u/%u/%u\n", name, (int)a[0],
				       (int)a[1], (int)a[2], ids[r], ids[e], ids[s],
				       want.ret, want.r, want.e, want.s, want.fs,
				       got.ret, got.r, got.e, got.s, got.fs);
		}
	}
	snprintf(label, sizeof(label), "%s agrees with the host kernel (%d cases)",
		 name, cases);
	CHECK(label, bad == 0);
}

int main(void)
{
	hand_written();
	if (geteuid() != 0) {
		printf("# not root: host-kernel oracle skipped\n");
		return host_test_finish();
	}
	against_host(OP_SETUID, "setuid", 1);
	against_host(OP_SETREUID, "setreuid", 2);
	against_host(OP_SETRESUID, "setresuid", 3);
	against_host(OP_SETFSUID, "setfsuid", 1);
	against_host(OP_SETGID, "setgid", 1);
	against_host(OP_SETREGID, "setregid", 2);
	against_host(OP_SETRESGID, "setresgid", 3);
	against_host(OP_SETFSGID, "setfsgid", 1);
	return host_test_finish();
}
