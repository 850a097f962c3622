/*
 * N_TTY line discipline as pure code: no locks, no sleeping, no devices.
 * The tty core (tty/tty_core.c) owns one struct ldisc per tty, holds the
 * tty's lock around every call, and turns the results into wakeups,
 * signals and driver writes.  The host tests drive it directly.
 *
 * Input (ldisc_receive): bytes from the device go through input
 * processing (ISTRIP, IGNCR/ICRNL/INLCR), flow control (IXON), signal
 * characters (ISIG) and, in canonical mode, line editing; the result lands
 * in a 4096-byte ring that readers drain with ldisc_read.  Echo is
 * produced at once, already output-processed, into a small echo buffer the
 * core sends to the device (ldisc_echo_take).
 *
 * Output (ldisc_output): OPOST processing of bytes written to the tty.
 */
#ifndef TTY_LDISC_H
#define TTY_LDISC_H

#include "include/compiler.h"
#include "tty/termios.h"

#define LDISC_BUF_SIZE 4096     /* input ring, a power of two */
#define LDISC_ECHO_SIZE 512     /* echo bytes waiting for the device */

#ifndef SIGINT
#define SIGINT 2
#endif
#ifndef SIGQUIT
#define SIGQUIT 3
#endif
#ifndef SIGTSTP
#define SIGTSTP 20
#endif

struct ldisc {
	struct termios termios;         /* the settings in force */
	uint8_t buf[LDISC_BUF_SIZE];    /* input ring */
	/* bit i set: buf[i] ends a line (newline, EOL, EOL2 or EOF) */
	uint8_t delim[LDISC_BUF_SIZE / 8];
	/* Free-running indices (masked on use): tail <= canon_head <= head.
	 * [tail, canon_head) holds complete lines, [canon_head, head) the
	 * line being edited (canonical) or also readable (non-canonical). */
	size_t head, tail, canon_head;
	bool lnext;                     /* next byte is taken literally */
	bool stopped;                   /* output stopped by VSTOP (IXON) */
	unsigned column;                /* output column, for tabs and erase */
	unsigned canon_column;          /* column where the edited line began */
	uint8_t echo[LDISC_ECHO_SIZE];
	size_t echo_len;
};

/* What one ldisc_receive call asks of the caller. */
struct ldisc_events {
	unsigned signals;       /* bit (1 << sig): send sig to the foreground group */
	bool input_ready;       /* data became readable: wake readers */
	bool flushed;           /* input and output flushed by a signal char */
	bool start;             /* output restarted (VSTART/IXANY): wake writers */
	bool stop;              /* output stopped (VSTOP) */
};

/* Linux's tty_std_termios: cooked mode, echo, the usual control keys. */
void ldisc_default_termios(struct termios *t);
/* Start empty with settings @t. */
void ldisc_init(struct ldisc *ld, const struct termios *t);
/* Apply new settings; switching ICANON on or off re-frames pending input
 * the way Linux does (pending bytes become one readable line). */
void ldisc_set_termios(struct ldisc *ld, const struct termios *t);

/* Process up to @n input bytes; returns how many were consumed (fewer
 * when the ring is full: the caller keeps the rest).  Adds to *@ev. */
size_t ldisc_receive(struct ldisc *ld, const uint8_t *in, size_t n,
		     struct ldisc_events *ev);
/* How many more bytes ldisc_receive can take now (0: throttle). */
size_t ldisc_receive_room(const struct ldisc *ld);

/* Would a read return data now?  Canonical: a complete line is there.
 * Non-canonical: at least one byte, or with @poll and VTIME == 0 at least
 * VMIN bytes (poll(2) semantics). */
bool ldisc_readable(const struct ldisc *ld, bool poll);
/* Bytes available to a non-canonical read. */
size_t ldisc_avail(const struct ldisc *ld);
/* Copy readable input into @dst (at most @n bytes).  Canonical mode stops
 * at the end of a line and sets *@line_done when it consumed the line's
 * delimiter (an EOF delimiter is consumed but not copied).  Returns the
 * bytes copied. */
size_t ldisc_read(struct ldisc *ld, uint8_t *dst, size_t n, bool *line_done);
/* FIONREAD: bytes a read could return (canonical: complete lines only). */
size_t ldisc_inq(const struct ldisc *ld);
/* Discard all input (TCIFLUSH, signal characters). */
void ldisc_flush_input(struct ldisc *ld);

/*
 * OPOST processing of @n bytes from @src into @dst (room @cap).  Returns
 * the source bytes consumed and sets *@produced; a byte whose expansion
 * does not fit is left for the next call.
 */
size_t ldisc_output(struct ldisc *ld, const uint8_t *src, size_t n,
		    uint8_t *dst, size_t cap, size_t *produced);

/* Move up to @cap pending echo bytes to @dst; returns the count. */
size_t ldisc_echo_take(struct ldisc *ld, uint8_t *dst, size_t cap);

#endif
