/*
 * /proc/net: files that the network layer registers at boot (for now
 * /proc/net/unix).  The VFS only provides the directory; the text comes
 * from the registered show function.  On Linux /proc/net is a link to
 * self/net (per network namespace); with one namespace a directory does.
 *
 * Locking: the table is written only at boot, before any lookup.
 */
#include "vfs/procfs_internal.h"
#include "include/errno.h"

#define PROC_NET_MAX 8

static struct proc_entry net_entries[PROC_NET_MAX];      /* [boot] */
static int (*net_show[PROC_NET_MAX])(struct proc_buf *b);

struct proc_dir proc_net_dir = {
	.entries = net_entries,
	.count = 0,
};

static int show_net(struct proc_buf *b, const struct proc_inode *pi)
{
	return net_show[pi->entry - net_entries](b);
}

int proc_net_register(const char *name, int (*show)(struct proc_buf *b))
{
	size_t i = proc_net_dir.count;

	if (i == PROC_NET_MAX)
		return -ENOSPC;
	net_entries[i].name = name;
	net_entries[i].mode = S_IFREG | 0444;
	net_entries[i].show = show_net;
	net_show[i] = show;
	proc_net_dir.count = i + 1;
	return 0;
}
