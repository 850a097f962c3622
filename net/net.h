/*
 * Networking: the socket layer (net/socket.c and the socket system
 * calls) and the protocol families (AF_UNIX in net/unix*.c).  Other
 * subsystems only start it; everything else is reached through socket
 * files and system calls.
 */
#ifndef NET_NET_H
#define NET_NET_H

/* Register the protocol families and start the socket layer's worker
 * thread (after the scheduler and the VFS are up). */
void net_init(void);

#endif
