/*
 * CMOS real-time clock (MC146818A and compatibles): the wall-clock time,
 * kept by the firmware in UTC.
 */
#ifndef DRIVERS_RTC_H
#define DRIVERS_RTC_H

#include "include/compiler.h"

struct rtc_time {
	unsigned year;          /* e.g. 2026 */
	unsigned month;         /* 1-12 */
	unsigned day;           /* 1-31 */
	unsigned hour, minute, second;
};

/* Read a consistent date and time from the RTC.  0, or -EIO if the chip
 * keeps updating or returns nonsense. */
int rtc_read(struct rtc_time *t);

/* Seconds since 1970-01-01 00:00:00 UTC of @t (proleptic Gregorian). */
int64_t rtc_time_to_epoch(const struct rtc_time *t);

/* Read the RTC, print it, and store the Unix time in *out.  0 or -EIO. */
int rtc_read_epoch(int64_t *out);

#endif
