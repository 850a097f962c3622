/*
 * printf-style formatter.  Output goes through a small cursor that counts
 * every byte but stores only those that fit, so truncation is exact and the
 * return value is the untruncated length (C99 semantics).
 */
#include "lib/format.h"

struct out {
	char *buf;
	size_t size;    /* capacity including the NUL */
	size_t len;     /* bytes produced so far (may exceed size) */
};

struct spec {
	bool left, plus, space, zero, alt;
	int width;
	int precision;  /* -1: none */
	int length;     /* 0, 'H' (hh), 'h', 'l', 'L' (ll) */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void emit_string(struct out *o, const struct spec *sp, const char *s)
{
	int len = 0;

	if (!s)
		s = "(null)";
	while (s[len] && (sp->precision < 0 || len < sp->precision))
		len++;
	if (!sp->left)
		pad(o, ' ', sp->width - len);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - len);
}

static void emit_number(struct out *o, const struct spec *sp, uint64_t value,
			bool negative, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int ndigits = 0;
	const char *prefix = "";
	int zeros, total, plen;

	while (value) {
		tmp[ndigits++] = digits[value % base];
		value /= base;
	}
	if (sp->precision < 0 && ndigits == 0)
		tmp[ndigits++] = '0';

	if (negative)
		prefix = "-";
	else if (sp->plus)
		prefix = "+";
	else if (sp->space)
		prefix = " ";
	if (sp->alt && base == 16 && ndigits && !(ndigits == 1 && tmp[0] == '0'))
		prefix = upper ? "0X" : "0x";
	if (sp->alt && base == 8 && (ndigits == 0 || tmp[ndigits - 1] != '0'))
		tmp[ndigits++] = '0';

	zeros = sp->precision > ndigits ? sp->precision - ndigits : 0;
	plen = 0;
	while (prefix[plen])
		plen++;
	total = plen + zeros + ndigits;
	if (sp->zero && !sp->left && sp->precision < 0 && sp->width > total) {
		zeros += sp->width - total;
		total = sp->width;
	}
	if (!sp->left)
		pad(o, ' ', sp->width - total);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	while (ndigits)
		put(o, tmp[--ndigits]);
	if (sp->left)
		pad(o, ' ', sp->width - total);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	} else {
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	}
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			if (sp->precision < 0)
				sp->precision = -1;
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				sp->precision = sp->precision * 10 + (*f++ - '0');
		}
	}
	if (f[0] == 'h' && f[1] == 'h') {
		sp->length = 'H';
		f += 2;
	} else if (f[0] == 'l' && f[1] == 'l') {
		sp->length = 'L';
		f += 2;
	} else if (*f == 'h') {
		sp->length = 'h';
		f++;
	} else if (*f == 'l' || *f == 'z' || *f == 't' || *f == 'j') {
		sp->length = 'l';
		f++;
	}
	return f;
}

static int64_t fetch_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': return va_arg(*ap, long);
	case 'L': return va_arg(*ap, long long);
	default: return va_arg(*ap, int);
	}
}

static uint64_t fetch_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned int);
	case 'h': return (unsigned short)va_arg(*ap, unsigned int);
	case 'l': return va_arg(*ap, unsigned long);
	case 'L': return va_arg(*ap, unsigned long long);
	default: return va_arg(*ap, unsigned int);
	}
}

int format_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };
	struct spec sp;
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &ap);
		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = fetch_signed(&sp, &ap);
			uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
			emit_number(&o, &sp, mag, v < 0, 10, false);
			break;
		}
		case 'u':
			emit_number(&o, &sp, fetch_unsigned(&sp, &ap), false, 10, false);
			break;
		case 'x':
		case 'X':
			emit_number(&o, &sp, fetch_unsigned(&sp, &ap), false, 16,
				    *fmt == 'X');
			break;
		case 'o':
			emit_number(&o, &sp, fetch_unsigned(&sp, &ap), false, 8, false);
			break;
		case 'p':
			sp.alt = true;
			sp.length = 'l';
			emit_number(&o, &sp, (uintptr_t)va_arg(ap, void *), false, 16,
				    false);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			if (!sp.left)
				pad(&o, ' ', sp.width - 1);
			put(&o, c);
			if (sp.left)
				pad(&o, ' ', sp.width - 1);
			break;
		}
		case 's':
			emit_string(&o, &sp, va_arg(ap, const char *));
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--; /* lone '%' at the end: stop */
			break;
		default:
			/* Unknown conversion: print it literally. */
			put(&o, '%');
			put(&o, *fmt);
			break;
		}
		fmt++;
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int format_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
