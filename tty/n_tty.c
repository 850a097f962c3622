/*
 * N_TTY line discipline (see ldisc.h for the model).  Semantics follow
 * the POSIX General Terminal Interface (XBD chapter 11) and termios(3) as
 * Linux implements them: which characters are special in which mode, how
 * erase and kill are echoed, what a signal character flushes.
 *
 * Input ring: buf[] indexed by free-running head/tail masked with
 * LDISC_BUF_SIZE - 1.  A set bit in delim[] marks a line delimiter; an
 * end-of-file (VEOF) is stored as a NUL delimiter, which read() consumes
 * without copying, so "^D" on an empty line reads as 0 bytes.
 *
 * Locking: none here; the tty core serializes all calls on one ldisc.
 */
#include "tty/ldisc.h"
#include "lib/string.h"

#define MASK(i) ((i) & (LDISC_BUF_SIZE - 1))
#define EOF_MARK 0              /* stored for VEOF, with its delim bit */

static inline bool iflag(const struct ldisc *ld, tcflag_t f)
{
	return ld->termios.c_iflag & f;
}

static inline bool oflag(const struct ldisc *ld, tcflag_t f)
{
	return ld->termios.c_oflag & f;
}

static inline bool lflag(const struct ldisc *ld, tcflag_t f)
{
	return ld->termios.c_lflag & f;
}

/* Is @c the special character c_cc[@idx]?  A disabled (0) slot never is. */
static inline bool is_cc(const struct ldisc *ld, int idx, uint8_t c)
{
	cc_t v = ld->termios.c_cc[idx];

	return v != POSIX_VDISABLE && v == c;
}

static inline bool is_cntrl(uint8_t c)
{
	return c < 32 || c == 127;
}

static inline bool is_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/* A UTF-8 continuation byte (only with IUTF8): erase skips over these. */
static inline bool is_continuation(const struct ldisc *ld, uint8_t c)
{
	return iflag(ld, IUTF8) && (c & 0xc0) == 0x80;
}

static inline bool delim_test(const struct ldisc *ld, size_t i)
{
	return ld->delim[MASK(i) / 8] & (1u << (MASK(i) % 8));
}

static inline void delim_set(struct ldisc *ld, size_t i, bool on)
{
	uint8_t bit = 1u << (MASK(i) % 8);

	if (on)
		ld->delim[MASK(i) / 8] |= bit;
	else
		ld->delim[MASK(i) / 8] &= ~bit;
}

/* ---- output processing (OPOST) ---- */

/*
 * Process one output byte into @dst.  Returns the bytes produced (0 when
 * ONOCR drops a CR), or -1 if @cap is too small; state changes only on
 * success.
 */
static int output_char(struct ldisc *ld, uint8_t c, uint8_t *dst, size_t cap)
{
	if (cap < 1)
		return -1;
	if (!oflag(ld, OPOST)) {
		dst[0] = c;
		return 1;
	}
	switch (c) {
	case '\n':
		if (oflag(ld, ONLCR)) {
			if (cap < 2)
				return -1;
			ld->column = ld->canon_column = 0;
			dst[0] = '\r';
			dst[1] = '\n';
			return 2;
		}
		if (oflag(ld, ONLRET))
			ld->column = 0;
		ld->canon_column = ld->column;
		break;
	case '\r':
		if (oflag(ld, ONOCR) && ld->column == 0)
			return 0;
		if (oflag(ld, OCRNL)) {
			c = '\n';
			if (oflag(ld, ONLRET))
				ld->canon_column = ld->column = 0;
			break;
		}
		ld->canon_column = ld->column = 0;
		break;
	case '\t': {
		unsigned spaces = 8 - (ld->column & 7);

		if ((ld->termios.c_oflag & TABDLY) == XTABS) {
			if (cap < spaces)
				return -1;
			memset(dst, ' ', spaces);
			ld->column += spaces;
			return (int)spaces;
		}
		ld->column += spaces;
		break;
	}
	case '\b':
		if (ld->column > 0)
			ld->column--;
		break;
	default:
		if (!is_cntrl(c)) {
			if (oflag(ld, OLCUC) && c >= 'a' && c <= 'z')
				c -= 'a' - 'A';
			if (!is_continuation(ld, c))
				ld->column++;
		}
		break;
	}
	dst[0] = c;
	return 1;
}

size_t ldisc_output(struct ldisc *ld, const uint8_t *src, size_t n,
		    uint8_t *dst, size_t cap, size_t *produced)
{
	size_t used = 0, i;

	for (i = 0; i < n; i++) {
		int r = output_char(ld, src[i], dst + used, cap - used);

		if (r < 0)
			break;
		used += (size_t)r;
	}
	*produced = used;
	return i;
}

/* ---- echo ---- */

/* Append a byte to the echo buffer without processing (dropped if full). */
static void echo_put(struct ldisc *ld, uint8_t c)
{
	if (ld->echo_len < LDISC_ECHO_SIZE)
		ld->echo[ld->echo_len++] = c;
}

/* Echo @c through output processing (Linux's echo_char_raw). */
static void echo_raw(struct ldisc *ld, uint8_t c)
{
	int r = output_char(ld, c, ld->echo + ld->echo_len,
			    LDISC_ECHO_SIZE - ld->echo_len);

	if (r > 0)
		ld->echo_len += (size_t)r;
}

/* Echo @c, showing control characters as ^X under ECHOCTL. */
static void echo_char(struct ldisc *ld, uint8_t c)
{
	if (lflag(ld, ECHOCTL) && is_cntrl(c) && c != '\t') {
		if (ld->echo_len + 2 > LDISC_ECHO_SIZE)
			return;
		echo_put(ld, '^');
		echo_put(ld, c ^ 0100);
		ld->column += 2;
		return;
	}
	echo_raw(ld, c);
}

size_t ldisc_echo_take(struct ldisc *ld, uint8_t *dst, size_t cap)
{
	size_t n = MIN(cap, ld->echo_len);

	memcpy(dst, ld->echo, n);
	memmove(ld->echo, ld->echo + n, ld->echo_len - n);
	ld->echo_len -= n;
	return n;
}

/* ---- the input ring ---- */

static inline size_t count(const struct ldisc *ld)
{
	return ld->head - ld->tail;
}

static void put_queue(struct ldisc *ld, uint8_t c, bool delim)
{
	ld->buf[MASK(ld->head)] = c;
	delim_set(ld, ld->head, delim);
	ld->head++;
}

size_t ldisc_receive_room(const struct ldisc *ld)
{
	size_t used = count(ld);

	if (lflag(ld, ICANON)) {
		/* No complete line yet: keep taking bytes so that erase,
		 * kill and newline still work; ordinary ones are dropped
		 * once the ring is full. */
		if (ld->canon_head == ld->tail)
			return SIZE_MAX;
		return used < LDISC_BUF_SIZE - 1 ? LDISC_BUF_SIZE - 1 - used : 0;
	}
	return LDISC_BUF_SIZE - used;
}

void ldisc_flush_input(struct ldisc *ld)
{
	ld->head = ld->tail = ld->canon_head = 0;
	ld->lnext = false;
	memset(ld->delim, 0, sizeof(ld->delim));
}

/* ---- canonical editing ---- */

/* Echo the backspaces that erase a tab: @cols columns were used since the
 * line start (or since the previous tab, @after_tab). */
static void echo_erase_tab(struct ldisc *ld, unsigned cols, bool after_tab)
{
	unsigned bs;

	if (!after_tab)
		cols += ld->canon_column;
	bs = 8 - (cols & 7);
	if (bs > ld->column)
		bs = ld->column;
	while (bs--) {
		echo_put(ld, '\b');
		if (ld->column > 0)
			ld->column--;
	}
}

/* Columns the text of the edited line before @end took, back to the line
 * start or the previous tab. */
static void erased_tab_columns(struct ldisc *ld, size_t end, unsigned *cols,
			       bool *after_tab)
{
	*cols = 0;
	*after_tab = false;
	while (end != ld->canon_head) {
		uint8_t c = ld->buf[MASK(--end)];

		if (c == '\t') {
			*after_tab = true;
			return;
		}
		if (is_cntrl(c)) {
			if (lflag(ld, ECHOCTL))
				*cols += 2;
		} else if (!is_continuation(ld, c)) {
			(*cols)++;
		}
	}
}

/* Show the erasure of @c (just removed from the line). */
static void echo_erase(struct ldisc *ld, uint8_t c, bool kill_is_erase)
{
	if (kill_is_erase && !lflag(ld, ECHOE)) {
		echo_char(ld, ld->termios.c_cc[VERASE]);
	} else if (c == '\t') {
		unsigned cols;
		bool after_tab;

		erased_tab_columns(ld, ld->head, &cols, &after_tab);
		echo_erase_tab(ld, cols, after_tab);
	} else {
		int times = is_cntrl(c) ? (lflag(ld, ECHOCTL) ? 2 : 0) : 1;

		while (times--) {
			echo_raw(ld, '\b');
			echo_raw(ld, ' ');
			echo_raw(ld, '\b');
		}
	}
}

enum erase_kind { ERASE_CHAR, ERASE_WORD, ERASE_LINE };

/* VERASE, VWERASE, VKILL in canonical mode. */
static void eraser(struct ldisc *ld, uint8_t c)
{
	enum erase_kind kind;
	unsigned seen_alnums = 0;

	if (ld->head == ld->canon_head)
		return;
	if (is_cc(ld, VERASE, c)) {
		kind = ERASE_CHAR;
	} else if (is_cc(ld, VWERASE, c)) {
		kind = ERASE_WORD;
	} else {
		if (!lflag(ld, ECHO)) {
			ld->head = ld->canon_head;
			return;
		}
		if (!lflag(ld, ECHOK) || !lflag(ld, ECHOKE) ||
		    !lflag(ld, ECHOE)) {
			ld->head = ld->canon_head;
			echo_char(ld, c);
			if (lflag(ld, ECHOK))
				echo_raw(ld, '\n');
			return;
		}
		kind = ERASE_LINE;
	}
	while (ld->head != ld->canon_head) {
		size_t h = ld->head;
		uint8_t ch;

		/* one character, which may be several UTF-8 bytes */
		do {
			ch = ld->buf[MASK(--h)];
		} while (is_continuation(ld, ch) && h != ld->canon_head);
		if (is_continuation(ld, ch))
			break;
		if (kind == ERASE_WORD) {
			if (is_alnum(ch) || ch == '_')
				seen_alnums++;
			else if (seen_alnums)
				break;
		}
		ld->head = h;
		if (lflag(ld, ECHO))
			echo_erase(ld, ch, kind == ERASE_CHAR);
		if (kind == ERASE_CHAR)
			break;
	}
}

/* VREPRINT: show ^R, a newline, and the line being edited. */
static void reprint(struct ldisc *ld, uint8_t c)
{
	echo_char(ld, c);
	echo_raw(ld, '\n');
	for (size_t i = ld->canon_head; i != ld->head; i++)
		echo_char(ld, ld->buf[MASK(i)]);
}

/* Finish a line with delimiter @c (EOF_MARK for VEOF). */
static void end_line(struct ldisc *ld, uint8_t c, struct ldisc_events *ev)
{
	if (count(ld) >= LDISC_BUF_SIZE)
		return;         /* cannot happen: room is checked first */
	put_queue(ld, c, true);
	ld->canon_head = ld->head;
	ev->input_ready = true;
}

/* An ordinary byte: echo it and queue it. */
static void store_char(struct ldisc *ld, uint8_t c, struct ldisc_events *ev)
{
	bool canon = lflag(ld, ICANON);

	if (count(ld) >= (canon ? LDISC_BUF_SIZE - 1 : LDISC_BUF_SIZE))
		return;         /* canonical line too long: dropped */
	if (lflag(ld, ECHO)) {
		if (c == '\n') {
			echo_raw(ld, '\n');
		} else {
			if (ld->canon_head == ld->head)
				ld->canon_column = ld->column;
			echo_char(ld, c);
		}
	}
	put_queue(ld, c, false);
	if (!canon)
		ev->input_ready = true;
}

/* VINTR/VQUIT/VSUSP under ISIG. */
static void signal_char(struct ldisc *ld, int sig, uint8_t c,
			struct ldisc_events *ev)
{
	ev->signals |= 1u << sig;
	if (!lflag(ld, NOFLSH)) {
		ldisc_flush_input(ld);
		ld->echo_len = 0;
		ev->flushed = true;
	}
	if (iflag(ld, IXON) && ld->stopped) {
		ld->stopped = false;
		ev->start = true;
	}
	if (lflag(ld, ECHO))
		echo_char(ld, c);
}

/* Canonical-mode special characters; true if @c was one. */
static bool canon_special(struct ldisc *ld, uint8_t c, struct ldisc_events *ev)
{
	bool iexten = lflag(ld, IEXTEN);

	if (is_cc(ld, VERASE, c) || is_cc(ld, VKILL, c) ||
	    (iexten && is_cc(ld, VWERASE, c))) {
		eraser(ld, c);
		return true;
	}
	if (iexten && is_cc(ld, VLNEXT, c)) {
		ld->lnext = true;
		if (lflag(ld, ECHO) && lflag(ld, ECHOCTL)) {
			echo_put(ld, '^');
			echo_put(ld, '\b');
		}
		return true;
	}
	if (iexten && lflag(ld, ECHO) && is_cc(ld, VREPRINT, c)) {
		reprint(ld, c);
		return true;
	}
	if (c == '\n') {
		if (lflag(ld, ECHO) || lflag(ld, ECHONL))
			echo_raw(ld, '\n');
		end_line(ld, '\n', ev);
		return true;
	}
	if (is_cc(ld, VEOF, c)) {
		end_line(ld, EOF_MARK, ev);
		return true;
	}
	if (is_cc(ld, VEOL, c) || (iexten && is_cc(ld, VEOL2, c))) {
		if (lflag(ld, ECHO)) {
			if (ld->canon_head == ld->head)
				ld->canon_column = ld->column;
			echo_char(ld, c);
		}
		end_line(ld, c, ev);
		return true;
	}
	return false;
}

static void receive_byte(struct ldisc *ld, uint8_t c, struct ldisc_events *ev)
{
	if (iflag(ld, ISTRIP))
		c &= 0x7f;
	if (iflag(ld, IUCLC) && lflag(ld, IEXTEN) && c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	if (ld->lnext) {
		ld->lnext = false;
		store_char(ld, c, ev);
		return;
	}
	if (iflag(ld, IXON)) {
		if (is_cc(ld, VSTART, c)) {
			ld->stopped = false;
			ev->start = true;
			return;
		}
		if (is_cc(ld, VSTOP, c)) {
			ld->stopped = true;
			ev->stop = true;
			return;
		}
	}
	if (lflag(ld, ISIG)) {
		int sig = is_cc(ld, VINTR, c) ? SIGINT :
			  is_cc(ld, VQUIT, c) ? SIGQUIT :
			  is_cc(ld, VSUSP, c) ? SIGTSTP : 0;

		if (sig) {
			signal_char(ld, sig, c, ev);
			return;
		}
	}
	if (ld->stopped && iflag(ld, IXON) && iflag(ld, IXANY)) {
		ld->stopped = false;
		ev->start = true;
	}
	if (c == '\r') {
		if (iflag(ld, IGNCR))
			return;
		if (iflag(ld, ICRNL))
			c = '\n';
	} else if (c == '\n' && iflag(ld, INLCR)) {
		c = '\r';
	}
	if (lflag(ld, ICANON) && canon_special(ld, c, ev))
		return;
	store_char(ld, c, ev);
}

size_t ldisc_receive(struct ldisc *ld, const uint8_t *in, size_t n,
		     struct ldisc_events *ev)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ldisc_receive_room(ld) == 0)
			break;
		receive_byte(ld, in[i], ev);
	}
	return i;
}

/* ---- reading ---- */

bool ldisc_readable(const struct ldisc *ld, bool poll)
{
	const cc_t *cc = ld->termios.c_cc;
	size_t amt = 1;

	if (lflag(ld, ICANON))
		return ld->canon_head != ld->tail;
	if (poll && cc[VTIME] == 0 && cc[VMIN] != 0)
		amt = cc[VMIN];
	return count(ld) >= amt;
}

size_t ldisc_avail(const struct ldisc *ld)
{
	return count(ld);
}

size_t ldisc_read(struct ldisc *ld, uint8_t *dst, size_t n, bool *line_done)
{
	size_t copied = 0;

	*line_done = false;
	if (!lflag(ld, ICANON)) {
		while (copied < n && ld->tail != ld->head)
			dst[copied++] = ld->buf[MASK(ld->tail++)];
		/* a byte read in raw mode no longer ends a line */
		if (ld->canon_head - ld->tail > LDISC_BUF_SIZE)
			ld->canon_head = ld->tail;
		return copied;
	}
	while (copied < n && ld->tail != ld->canon_head) {
		size_t i = ld->tail++;
		uint8_t c = ld->buf[MASK(i)];

		if (delim_test(ld, i)) {
			if (c != EOF_MARK)
				dst[copied++] = c;
			*line_done = true;
			break;
		}
		dst[copied++] = c;
	}
	return copied;
}

size_t ldisc_inq(const struct ldisc *ld)
{
	size_t n = 0;

	if (!lflag(ld, ICANON))
		return count(ld);
	for (size_t i = ld->tail; i != ld->canon_head; i++)
		if (!(delim_test(ld, i) && ld->buf[MASK(i)] == EOF_MARK))
			n++;
	return n;
}

/* ---- settings ---- */

void ldisc_default_termios(struct termios *t)
{
	static const cc_t cc[NCCS] = {
		[VINTR] = 003, [VQUIT] = 034, [VERASE] = 0177, [VKILL] = 025,
		[VEOF] = 004, [VTIME] = 0, [VMIN] = 1, [VSTART] = 021,
		[VSTOP] = 023, [VSUSP] = 032, [VREPRINT] = 022,
		[VDISCARD] = 017, [VWERASE] = 027, [VLNEXT] = 026,
	};

	memset(t, 0, sizeof(*t));
	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B38400 | CS8 | CREAD | HUPCL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		     IEXTEN;
	t->c_line = N_TTY;
	memcpy(t->c_cc, cc, sizeof(cc));
}

void ldisc_init(struct ldisc *ld, const struct termios *t)
{
	memset(ld, 0, sizeof(*ld));
	ld->termios = *t;
}

void ldisc_set_termios(struct ldisc *ld, const struct termios *t)
{
	bool was_canon = lflag(ld, ICANON);

	ld->termios = *t;
	if (was_canon == lflag(ld, ICANON))
		return;
	/* Linux n_tty_set_termios: forget line boundaries; entering
	 * canonical mode with pending input makes it one line. */
	memset(ld->delim, 0, sizeof(ld->delim));
	ld->lnext = false;
	if (!lflag(ld, ICANON) || count(ld) == 0) {
		ld->canon_head = ld->tail;
	} else {
		delim_set(ld, ld->head - 1, true);
		ld->canon_head = ld->head;
	}
	if (!iflag(ld, IXON))
		ld->stopped = false;
}
