/*
 * CMOS RTC (MC146818A data sheet; the century register index comes from
 * the ACPI FADT, ACPI 6.5 table 5.9).
 *
 * The chip updates its registers once a second; while status A's
 * update-in-progress bit is set (up to ~2 ms) they may be inconsistent.
 * So a read waits for UIP to clear, reads everything, and repeats until
 * two reads in a row agree.  Register values are BCD unless status B's
 * DM bit says binary, and hours are 12-hour with a PM flag in bit 7
 * unless status B's 24/12 bit is set.
 *
 * Locking: cmos_lock (irqsave) serializes the index/data port pair, which
 * other CMOS users (NVRAM) must share.
 */
#include "drivers/rtc.h"
#include "drivers/acpi.h"
#include "cpu/x86.h"
#include "include/errno.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "sched/spinlock.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71

#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b

#define STATUS_A_UIP 0x80
#define STATUS_B_24H 0x02
#define STATUS_B_BINARY 0x04
#define HOUR_PM 0x80

#define RTC_UIP_SPINS 1000000   /* io_wait()s, ~1 s */
#define RTC_READ_TRIES 10

static struct spinlock cmos_lock = SPINLOCK_INIT("cmos");

/* Raw register snapshot. */
struct rtc_raw {
	uint8_t sec, min, hour, day, month, year, century;
};

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static bool rtc_wait_uip(void)
{
	for (int i = 0; i < RTC_UIP_SPINS; i++) {
		if (!(cmos_read(RTC_STATUS_A) & STATUS_A_UIP))
			return true;
		io_wait();
	}
	return false;
}

static void rtc_read_raw(struct rtc_raw *r, uint8_t century_reg)
{
	r->sec = cmos_read(RTC_SECONDS);
	r->min = cmos_read(RTC_MINUTES);
	r->hour = cmos_read(RTC_HOURS);
	r->day = cmos_read(RTC_DAY);
	r->month = cmos_read(RTC_MONTH);
	r->year = cmos_read(RTC_YEAR);
	r->century = century_reg ? cmos_read(century_reg) : 0;
}

/* Two equal snapshots, each taken right after an update finished. */
static int rtc_snapshot(struct rtc_raw *r, uint8_t *status_b,
			uint8_t century_reg)
{
	struct rtc_raw again;
	uint64_t flags = spin_lock_irqsave(&cmos_lock);
	int err = -EIO;

	for (int i = 0; i < RTC_READ_TRIES; i++) {
		if (!rtc_wait_uip())
			break;
		rtc_read_raw(r, century_reg);
		if (!rtc_wait_uip())
			break;
		rtc_read_raw(&again, century_reg);
		if (memcmp(r, &again, sizeof(again)) == 0) {
			err = 0;
			break;
		}
	}
	*status_b = cmos_read(RTC_STATUS_B);
	spin_unlock_irqrestore(&cmos_lock, flags);
	return err;
}

static unsigned bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 0xf);
}

int rtc_read(struct rtc_time *t)
{
	const struct acpi_info *ai = acpi_get();
	uint8_t century_reg = ai->century >= 0x0e && ai->century < 0x80
				      ? ai->century : 0;
	struct rtc_raw r;
	uint8_t status_b;
	unsigned century;
	bool pm;

	if (rtc_snapshot(&r, &status_b, century_reg))
		return -EIO;
	pm = r.hour & HOUR_PM;
	r.hour &= ~HOUR_PM;
	if (!(status_b & STATUS_B_BINARY)) {
		r.sec = bcd(r.sec);
		r.min = bcd(r.min);
		r.hour = bcd(r.hour);
		r.day = bcd(r.day);
		r.month = bcd(r.month);
		r.year = bcd(r.year);
		r.century = bcd(r.century);
	}
	if (!(status_b & STATUS_B_24H))
		r.hour = r.hour % 12 + (pm ? 12 : 0);   /* 12 AM is 0 */
	century = r.century ? r.century : (r.year < 70 ? 20 : 19);
	*t = (struct rtc_time){
		.year = century * 100 + r.year, .month = r.month, .day = r.day,
		.hour = r.hour, .minute = r.min, .second = r.sec,
	};
	if (t->month < 1 || t->month > 12 || t->day < 1 || t->day > 31 ||
	    t->hour > 23 || t->minute > 59 || t->second > 59)
		return -EIO;
	return 0;
}

static bool is_leap(unsigned y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t rtc_time_to_epoch(const struct rtc_time *t)
{
	static const uint16_t days_before_month[12] = {
		0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334,
	};
	int64_t days = 0;

	for (unsigned y = 1970; y < t->year; y++)
		days += is_leap(y) ? 366 : 365;
	for (unsigned y = t->year; y < 1970; y++)
		days -= is_leap(y) ? 366 : 365;
	days += days_before_month[(t->month - 1) % 12];
	if (t->month > 2 && is_leap(t->year))
		days++;
	days += t->day - 1;
	return ((days * 24 + t->hour) * 60 + t->minute) * 60 + t->second;
}

int rtc_read_epoch(int64_t *out)
{
	struct rtc_time t;

	if (rtc_read(&t)) {
		pr_warn("rtc: no valid time\n");
		return -EIO;
	}
	*out = rtc_time_to_epoch(&t);
	pr_info("rtc: %04u-%02u-%02u %02u:%02u:%02u UTC (epoch %lld)\n",
		t.year, t.month, t.day, t.hour, t.minute, t.second,
		(long long)*out);
	return 0;
}
