/* /proc/net/unix lists unix sockets: flags 00010000 for a listener, the
 * type, the state (01 unconnected, 03 connected), the inode of the socket
 * file and its name ('@' for an abstract name's NUL bytes). */
#include "unixsock.h"

/* The /proc/net/unix line of the socket with inode @ino, or fail. */
static void find_line(unsigned long ino, char *out, size_t size)
{
	static char buf[1 << 16];
	char *line;

	contract_read_file("/proc/net/unix", buf, sizeof(buf));
	if (strncmp(buf, "Num       RefCount Protocol Flags    Type St Inode Path\n",
		    56) != 0)
		CONTRACT_FAIL("header: %.60s", buf);
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long i;
		char *colon = strchr(line, ':');

		if (!colon || sscanf(colon + 1, "%*x %*x %*x %*x %*x %lu", &i) != 1)
			continue;
		if (i == ino) {
			snprintf(out, size, "%s", colon + 2);
			return;
		}
	}
	CONTRACT_FAIL("inode %lu not in /proc/net/unix", ino);
}

static unsigned long ino_of(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		CONTRACT_FAIL("fstat");
	return (unsigned long)st.st_ino;
}

int main(void)
{
	struct sockaddr_un a, b;
	socklen_t al = un_path(&a, contract_path("listen.sock"));
	socklen_t bl = un_abstract(&b, "proc");
	int l, d, sv[2];
	char line[256], want[256];

	l = CHECK_OK(socket(AF_UNIX, SOCK_STREAM, 0));
	CHECK_OK(bind(l, (struct sockaddr *)&a, al));
	CHECK_OK(listen(l, 1));
	find_line(ino_of(l), line, sizeof(line));
	snprintf(want, sizeof(want), "%08X %08X 00010000 0001 01 %5lu %s",
		 0, 0, ino_of(l), a.sun_path);
	/* skip the reference count, compare the rest */
	CHECK(strlen(line) > 9);
	if (strcmp(line + 9, want + 9) != 0)
		CONTRACT_FAIL("'%s' != '%s'", line + 9, want + 9);

	d = CHECK_OK(socket(AF_UNIX, SOCK_DGRAM, 0));
	CHECK_OK(bind(d, (struct sockaddr *)&b, bl));
	find_line(ino_of(d), line, sizeof(line));
	snprintf(want, sizeof(want), "%08X %08X 00000000 0002 01 %5lu @%s",
		 0, 0, ino_of(d), b.sun_path + 1);
	if (strcmp(line + 9, want + 9) != 0)
		CONTRACT_FAIL("'%s' != '%s'", line + 9, want + 9);

	CHECK_OK(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	find_line(ino_of(sv[1]), line, sizeof(line));
	snprintf(want, sizeof(want), "%08X %08X 00000000 0005 03 %5lu",
		 0, 0, ino_of(sv[1]));
	if (strcmp(line + 9, want + 9) != 0)
		CONTRACT_FAIL("'%s' != '%s'", line + 9, want + 9);
	return 0;
}
