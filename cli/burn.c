/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/burn.c: --burn DRIVE and --devices through libburn.
 *
 * The image is never stored: libburn pulls it from an elt_stream through
 * elt_burn_source_new().  Every check that can refuse the job (medium,
 * blankability, free space, options the target cannot honour) runs before
 * the first byte is written, and each refusal is one line naming the
 * drive.
 *
 * Without libburn (no HAVE_LIBBURN) only the option parsers are real and
 * burning reports that it is unavailable.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "burn.h"

/* --speed N[x] and --blank fast|all are parsed the same with or without
 * libburn, so the usage errors do not depend on the build. */
int cli_burn_parse_speed(const char *arg, int *kbs)
{
	char *end;
	long v;

	if (arg == NULL || kbs == NULL)
		return -1;
	if (strcmp(arg, "max") == 0 || strcmp(arg, "0") == 0) {
		*kbs = 0;
		return 0;
	}
	if (!isdigit((unsigned char)arg[0]))
		return -1;
	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno != 0 || v <= 0 || v > INT_MAX / 2)
		return -1;
	if (end[0] == 'x' && end[1] == '\0') {
		/* A multiple of the medium's 1x speed, known only once the
		 * medium is: stored negative and resolved in cli_burn(). */
		if (v > 1000)
			return -1;
		*kbs = -(int)v;
		return 0;
	}
	if (end[0] != '\0')
		return -1;
	*kbs = (int)v;   /* kB/s, 1000 bytes a second as in libburn */
	return 0;
}

int cli_burn_parse_blank(const char *arg, int *mode)
{
	if (arg == NULL || mode == NULL)
		return -1;
	if (strcmp(arg, "fast") == 0)
		*mode = 1;
	else if (strcmp(arg, "all") == 0 || strcmp(arg, "full") == 0)
		*mode = 2;
	else
		return -1;
	return 0;
}

#ifndef HAVE_LIBBURN

int cli_burn_devices(void)
{
	fprintf(stderr, "burning is not available in this build\n");
	return 2;
}

int cli_burn(const char *prog, elt_image *img, const elt_write_opts *o,
             const struct cli_burn_opts *b, int quiet)
{
	(void)img;
	(void)o;
	(void)b;
	(void)quiet;
	fprintf(stderr, "%s: burning is not available in this build\n", prog);
	return 2;
}

#else /* HAVE_LIBBURN */

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libburn.h>

#include "eltorito/burn.h"

#define SECTOR 2048              /* bytes of a Mode 1 / DVD / BD block */
#define FIFO_BYTES (8 << 20)     /* ring buffer in front of real drives */
#define VERIFY_CHUNK (1 << 20)   /* read-back and checksum granularity */
#define POLL_US 100000           /* status polling while libburn works */
#define TTY_EVERY 0.5            /* seconds between progress redraws */
#define LOG_EVERY 5.0            /* seconds between progress lines */
/* 1x speeds in kB/s (1000 bytes/s), as libburn counts them */
#define KBS_CD 176
#define KBS_DVD 1385
#define KBS_BD 4496
/* Environment hook for tests: flip the byte at this offset of a stdio:
 * target between writing and reading back (--verify must then fail). */
#define CORRUPT_ENV "ELT_BURN_TEST_CORRUPT"
/* bench hook: force libburn's fifo on (1) or off (0) */
#define FIFO_ENV "ELT_BURN_FIFO"
/* libburn drive roles (burn_drive_get_drive_role) */
#define ROLE_MMC 1
#define ROLE_STDIO_RW 2
#define ROLE_STDIO_SEQ 3

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

struct sigsave {
	struct sigaction intr, term, pipe;
};

/* SIGINT/SIGTERM only raise a flag: the polling loop cancels the drive
 * and releases it.  SIGPIPE is ignored so that a reader closing a pipe
 * target gives a write error instead of killing us. */
static void signals_catch(struct sigsave *save)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_signal;
	got_signal = 0;
	sigaction(SIGINT, &sa, &save->intr);
	sigaction(SIGTERM, &sa, &save->term);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &save->pipe);
}

static void signals_restore(const struct sigsave *save)
{
	sigaction(SIGINT, &save->intr, NULL);
	sigaction(SIGTERM, &save->term, NULL);
	sigaction(SIGPIPE, &save->pipe, NULL);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- checksum of the bytes sent, per VERIFY_CHUNK ---- */

/* A 64-bit multiply-rotate hash over little-endian words.  Each step is a
 * bijection of the state for a fixed word, so one changed byte always
 * changes the chunk's sum. */
#define HK1 0x9E3779B97F4A7C15ull
#define HK2 0xC2B2AE3D27D4EB4Full

struct hsum {
	uint64_t h, carry;
	unsigned int ncarry;  /* bytes in carry */
	uint64_t len;
};

static void hsum_init(struct hsum *s)
{
	s->h = HK2;
	s->carry = 0;
	s->ncarry = 0;
	s->len = 0;
}

static uint64_t hmix(uint64_t h, uint64_t w)
{
	h ^= w * HK1;
	h = (h << 29) | (h >> 35);
	return h * HK2;
}

static void hsum_add(struct hsum *s, const unsigned char *p, size_t n)
{
	s->len += n;
	while (n > 0 && s->ncarry > 0) {
		s->carry |= (uint64_t)*p++ << (8 * s->ncarry);
		n--;
		if (++s->ncarry == 8) {
			s->h = hmix(s->h, s->carry);
			s->carry = 0;
			s->ncarry = 0;
		}
	}
	for (; n >= 8; n -= 8, p += 8) {
		uint64_t w = (uint64_t)p[0] | (uint64_t)p[1] << 8 |
			(uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
			(uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
			(uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
		s->h = hmix(s->h, w);
	}
	while (n > 0) {
		s->carry |= (uint64_t)*p++ << (8 * s->ncarry);
		s->ncarry++;
		n--;
	}
}

static uint64_t hsum_final(const struct hsum *s)
{
	uint64_t h = s->h;

	if (s->ncarry > 0)
		h = hmix(h, s->carry);
	return hmix(h, s->len);
}

/* ---- tap: a burn_source between ours and libburn that counts bytes,
 * notes input failures and, for --verify, sums each chunk ---- */

struct tap {
	struct burn_source *inner;
	uint64_t bytes;
	int failed;
	int hashing;
	struct hsum cur;
	uint64_t *sums;   /* one per complete or final chunk */
	size_t nsums, cap;
	int nomem;
};

static int tap_push_sum(struct tap *t)
{
	if (t->nsums == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		uint64_t *p = realloc(t->sums, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		t->sums = p;
		t->cap = cap;
	}
	t->sums[t->nsums++] = hsum_final(&t->cur);
	hsum_init(&t->cur);
	return 0;
}

static void tap_hash(struct tap *t, const unsigned char *p, size_t n)
{
	while (n > 0) {
		size_t room = VERIFY_CHUNK - (size_t)t->cur.len;
		size_t k = n < room ? n : room;

		hsum_add(&t->cur, p, k);
		p += k;
		n -= k;
		if (t->cur.len == VERIFY_CHUNK && tap_push_sum(t) != 0)
			t->nomem = 1;
	}
}

static int tap_read_xt(struct burn_source *src, unsigned char *buf, int size)
{
	struct tap *t = src->data;
	int got = t->inner->read_xt(t->inner, buf, size);

	if (got < 0) {
		t->failed = 1;
		return got;
	}
	if (t->hashing && got > 0)
		tap_hash(t, buf, (size_t)got);
	t->bytes += (uint64_t)got;
	return got;
}

static off_t tap_get_size(struct burn_source *src)
{
	struct tap *t = src->data;

	return t->inner->get_size(t->inner);
}

static int tap_set_size(struct burn_source *src, off_t size)
{
	struct tap *t = src->data;

	return t->inner->set_size(t->inner, size);
}

static int tap_cancel(struct burn_source *src)
{
	struct tap *t = src->data;

	return t->inner->cancel != NULL ? t->inner->cancel(t->inner) : 1;
}

/* Called by libburn on the last reference: drop ours on the inner source.
 * The tap struct itself belongs to cli_burn (it reads the sums after the
 * burn), so only the link is cut here. */
static void tap_free_data(struct burn_source *src)
{
	struct tap *t = src->data;

	burn_source_free(t->inner);
	t->inner = NULL;
}

static struct burn_source *tap_new(struct tap *t, struct burn_source *inner)
{
	struct burn_source *src = calloc(1, sizeof(*src));

	if (src == NULL)
		return NULL;
	t->inner = inner;
	inner->refcount++;
	src->refcount = 1;
	src->read = NULL;
	src->version = 1;
	src->read_xt = tap_read_xt;
	src->get_size = tap_get_size;
	src->set_size = tap_set_size;
	src->cancel = tap_cancel;
	src->free_data = tap_free_data;
	src->data = t;
	return src;
}

/* ---- messages ---- */

struct job {
	const char *prog;
	const char *drive_name;   /* as the user wrote it */
	char adr[BURN_DRIVE_ADR_LEN];
	const struct cli_burn_opts *b;
	elt_image *img;
	int quiet;
	struct burn_drive_info *infos;
	struct burn_drive *d;
	int role;
	int profile;
	char profile_name[80];
	int64_t size;
	const char *path;         /* stdio: path, or NULL */
	int is_regular;           /* stdio: path is a regular file */
	int new_file;             /* stdio: path does not exist yet */
	struct tap tap;
	int tty;
};

/* The most severe pending libburn message (SORRY or worse), for the one
 * line we print; "" if none. */
static void libburn_reason(char *buf, size_t cap)
{
	char text[BURN_MSGS_MESSAGE_LEN], sev[80];
	int code, os_errno, best = -1;

	buf[0] = '\0';
	while (burn_msgs_obtain("SORRY", &code, text, &os_errno, sev) == 1) {
		if (best >= 0)
			continue;   /* keep the first, the cause */
		best = code;
		if (os_errno != 0)
			snprintf(buf, cap, ": %s (%s)", text, strerror(os_errno));
		else
			snprintf(buf, cap, ": %s", text);
	}
}

/* Forget queued messages (those of the checks that passed). */
static void drain_msgs(void)
{
	char text[BURN_MSGS_MESSAGE_LEN], sev[80];
	int code, os_errno;

	burn_msgs_obtain("NEVER", &code, text, &os_errno, sev);
}

static int fail(struct job *j, const char *fmt, const char *arg)
{
	fprintf(stderr, "%s: %s: ", j->prog, j->drive_name);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 1;
}

/* ---- progress ---- */

struct meter {
	double start, last;
	int shown;
};

static struct meter meter_start(void)
{
	struct meter m;

	/* the first line comes after one interval, with a real rate */
	m.start = m.last = now_s();
	m.shown = 0;
	return m;
}

static void fmt_eta(char *buf, size_t cap, double s)
{
	long t = s < 0 ? 0 : (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, cap, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60,
		         t % 60);
	else
		snprintf(buf, cap, "%ld:%02ld", t / 60, t % 60);
}

static void meter_show(struct job *j, struct meter *m, const char *what,
                       double done, double total, int final)
{
	double t = now_s(), el = t - m->start, rate, pct;
	char eta[32];

	if (j->quiet)
		return;
	if (!final && t - m->last < (j->tty ? TTY_EVERY : LOG_EVERY))
		return;
	m->last = t;
	rate = el > 0 ? done / el : 0;
	pct = total > 0 ? 100.0 * done / total : 0;
	if (rate > 0 && total > done)
		fmt_eta(eta, sizeof(eta), (total - done) / rate);
	else
		snprintf(eta, sizeof(eta), "0:00");
	if (j->tty)
		fprintf(stderr, "\r%s: %s: %s %5.1f%%  %7.1f MB/s  ETA %s  ",
		        j->prog, j->drive_name, what, pct, rate / 1e6, eta);
	else
		fprintf(stderr, "%s: %s: %s %5.1f%%  %.1f MB/s  ETA %s\n",
		        j->prog, j->drive_name, what, pct, rate / 1e6, eta);
	m->shown = 1;
}

static void meter_end(struct job *j, struct meter *m)
{
	if (j->tty && m->shown && !j->quiet)
		fputc('\n', stderr);
	m->shown = 0;
}

/* ---- drive ---- */

static int split_stdio(struct job *j)
{
	struct stat st;

	j->path = NULL;
	if (strncmp(j->drive_name, "stdio:", 6) != 0)
		return 0;
	j->path = j->drive_name + 6;
	if (j->path[0] == '\0')
		return fail(j, "%sempty stdio: path", "");
	if (stat(j->path, &st) == 0) {
		j->is_regular = S_ISREG(st.st_mode);
		if (S_ISDIR(st.st_mode))
			return fail(j, "%sis a directory", "");
	} else if (errno == ENOENT) {
		char *dir = strdup(j->path), *slash;

		j->new_file = 1;   /* libburn creates a regular file */
		int rc = 0;

		if (dir == NULL)
			return fail(j, "%s", strerror(ENOMEM));
		slash = strrchr(dir, '/');
		if (slash != NULL) {
			if (slash == dir)
				slash[1] = '\0';
			else
				*slash = '\0';
			if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
				rc = fail(j, "directory %s does not exist",
				          dir);
		}
		free(dir);
		if (rc != 0)
			return rc;
	} else {
		return fail(j, "%s", strerror(errno));
	}
	return 0;
}

static int acquire(struct job *j)
{
	char why[BURN_MSGS_MESSAGE_LEN + 64];
	int ret;

	if (split_stdio(j) != 0)
		return 1;
	if (j->path != NULL) {
		snprintf(j->adr, sizeof(j->adr), "%s", j->drive_name);
	} else if (access(j->drive_name, F_OK) != 0) {
		return fail(j, "no such drive: %s", strerror(errno));
	} else if (burn_drive_convert_fs_adr((char *)j->drive_name,
	                                     j->adr) <= 0) {
		return fail(j, "%snot a CD/DVD/BD drive (use stdio:PATH for a "
		            "file, pipe or block device)", "");
	}
	ret = burn_drive_scan_and_grab(&j->infos, j->adr, 1);
	if (ret <= 0) {
		j->infos = NULL;
		libburn_reason(why, sizeof(why));
		return fail(j, "cannot acquire the drive (busy, missing or "
		            "no permission)%s", why);
	}
	j->d = j->infos[0].drive;
	j->role = burn_drive_get_drive_role(j->d);
	j->profile = 0;
	j->profile_name[0] = '\0';
	burn_disc_get_profile(j->d, &j->profile, j->profile_name);
	return 0;
}

static void release(struct job *j, int eject)
{
	if (j->d != NULL)
		burn_drive_release(j->d, eject);
	if (j->infos != NULL)
		burn_drive_info_free(j->infos);
	j->d = NULL;
	j->infos = NULL;
}

/* MMC profiles that are overwritten in place at LBA 0 (DVD-RAM,
 * DVD-RW restricted overwrite, DVD+RW, BD-RE). */
static int overwritable(int profile)
{
	return profile == 0x12 || profile == 0x13 || profile == 0x1a ||
		profile == 0x43;
}

static int speed_of(const struct job *j, int kbs)
{
	int base;

	if (kbs >= 0)
		return kbs;
	if (j->profile >= 0x08 && j->profile <= 0x0a)
		base = KBS_CD;
	else if (j->profile >= 0x40 && j->profile <= 0x43)
		base = KBS_BD;
	else
		base = KBS_DVD;
	return -kbs * base;
}

/* Medium state: refuse what cannot be written.  Sets *need_blank. */
static int check_medium(struct job *j, int *need_blank)
{
	enum burn_disc_status st = burn_disc_get_status(j->d);
	int erasable = burn_disc_erasable(j->d);

	*need_blank = 0;
	switch (st) {
	case BURN_DISC_BLANK:
		if (j->b->blank && j->role == ROLE_MMC && !j->quiet)
			fprintf(stderr, "%s: %s: medium is already blank, "
			        "not blanking\n", j->prog, j->drive_name);
		return 0;
	case BURN_DISC_EMPTY:
		return fail(j, "%sno medium in the drive", "");
	case BURN_DISC_APPENDABLE:
	case BURN_DISC_FULL:
		if (overwritable(j->profile)) {
			/* written in place from LBA 0, like a file */
			if (j->b->blank && !j->quiet)
				fprintf(stderr, "%s: %s: %s is overwritten in "
				        "place, not blanking\n", j->prog,
				        j->drive_name, j->profile_name);
			return 0;
		}
		if (!erasable)
			return fail(j, "medium (%s) is not blank and cannot "
			            "be blanked", j->profile_name);
		if (!j->b->blank)
			return fail(j, "medium (%s) is not blank; add --blank "
			            "fast to erase it", j->profile_name);
		*need_blank = 1;
		return 0;
	default:
		return fail(j, "medium (%s) is not usable", j->profile_name);
	}
}

/* Options the target cannot honour: refuse rather than pretend. */
static int check_options(struct job *j)
{
	if (j->b->dummy && j->role != ROLE_MMC)
		return fail(j, "%s--dummy (simulated burn) is not supported "
		            "on stdio: targets", "");
	if (j->b->multi && j->role != ROLE_MMC)
		return fail(j, "%s--multi (appendable medium) is not possible "
		            "on stdio: targets", "");
	if (j->b->blank && j->role != ROLE_MMC)
		return fail(j, "%s--blank is only for rewritable media in a "
		            "drive", "");
	if (j->b->verify && j->role == ROLE_STDIO_SEQ)
		return fail(j, "%s--verify needs a target that can be read "
		            "back (this one is write-only)", "");
	if (j->b->verify && j->role != ROLE_MMC && j->role != ROLE_STDIO_RW)
		return fail(j, "%s--verify is not possible on this target", "");
	return 0;
}

static int wait_idle(struct job *j, const char *what)
{
	struct burn_progress p;
	struct meter m = meter_start();

	while (burn_drive_get_status(j->d, NULL) == BURN_DRIVE_SPAWNING)
		usleep(1000);
	while (burn_drive_get_status(j->d, &p) != BURN_DRIVE_IDLE) {
		if (p.sectors > 0 && p.sector >= 0)
			meter_show(j, &m, what, p.sector, p.sectors, 0);
		usleep(POLL_US);
	}
	meter_end(j, &m);
	return 0;
}

static int blank(struct job *j)
{
	char why[BURN_MSGS_MESSAGE_LEN + 64];

	if (!j->quiet)
		fprintf(stderr, "%s: %s: blanking (%s); this cannot be "
		        "interrupted\n", j->prog, j->drive_name,
		        j->b->blank == 1 ? "fast" : "all");
	burn_disc_erase(j->d, j->b->blank == 1);
	wait_idle(j, "blanking");
	if (!burn_drive_wrote_well(j->d)) {
		libburn_reason(why, sizeof(why));
		return fail(j, "blanking failed%s", why);
	}
	burn_drive_re_assess(j->d, 0);
	return 0;
}

/* Flip one byte of a stdio: target (test hook, see CORRUPT_ENV). */
static void test_corrupt(struct job *j)
{
	const char *env = getenv(CORRUPT_ENV);
	unsigned char c;
	long long off;
	int fd;

	if (env == NULL || *env == '\0' || j->path == NULL)
		return;
	off = atoll(env);
	fd = open(j->path, O_RDWR);
	if (fd < 0)
		return;
	if (pread(fd, &c, 1, (off_t)off) == 1) {
		c ^= 0xff;
		if (pwrite(fd, &c, 1, (off_t)off) != 1)
			fprintf(stderr, "%s: test hook: write failed\n",
			        j->prog);
	}
	close(fd);
}

/* Read the image back through libburn and compare the chunk sums. */
static int verify(struct job *j)
{
	char *buf = malloc(VERIFY_CHUNK);
	char why[BURN_MSGS_MESSAGE_LEN + 64];
	struct meter m = meter_start();
	uint64_t off = 0;
	size_t i;
	int rc = 0;

	if (buf == NULL)
		return fail(j, "%sout of memory for verifying", "");
	if (j->tap.nomem || (j->tap.cur.len > 0 && tap_push_sum(&j->tap)))
		rc = fail(j, "%sout of memory for verifying", "");
	if (j->role == ROLE_MMC)
		burn_drive_re_assess(j->d, 0);
	test_corrupt(j);
	for (i = 0; rc == 0 && off < (uint64_t)j->size; i++) {
		uint64_t left = (uint64_t)j->size - off;
		off_t want = left < VERIFY_CHUNK ? (off_t)left : VERIFY_CHUNK;
		off_t got = 0;
		struct hsum h;

		if (got_signal) {
			rc = fail(j, "%sinterrupted while verifying", "");
			break;
		}
		if (burn_read_data(j->d, (off_t)off, buf, want, &got, 0) <= 0
		    || got != want) {
			libburn_reason(why, sizeof(why));
			snprintf(buf, VERIFY_CHUNK, "%llu%s",
			         (unsigned long long)(off + (uint64_t)got), why);
			rc = fail(j, "verify failed: cannot read back at byte "
			          "%s", buf);
			break;
		}
		hsum_init(&h);
		hsum_add(&h, (unsigned char *)buf, (size_t)want);
		if (i >= j->tap.nsums || hsum_final(&h) != j->tap.sums[i]) {
			snprintf(buf, VERIFY_CHUNK, "%llu-%llu",
			         (unsigned long long)off,
			         (unsigned long long)(off + want - 1));
			rc = fail(j, "verify failed: bytes %s differ from "
			          "what was written", buf);
			break;
		}
		off += (uint64_t)want;
		meter_show(j, &m, "verifying", (double)off, (double)j->size, 0);
	}
	meter_end(j, &m);
	if (rc == 0 && !j->quiet)
		fprintf(stderr, "%s: %s: verified %lld bytes\n", j->prog,
		        j->drive_name, (long long)j->size);
	free(buf);
	return rc;
}

/* ---- the burn ---- */

/* The fifo is for real drives; ELT_BURN_FIFO=1 or 0 forces it either way
 * (bench/burn.sh measures both on stdio:). */
static int use_fifo(const struct job *j)
{
	const char *env = getenv(FIFO_ENV);

	if (env != NULL && (env[0] == '0' || env[0] == '1'))
		return env[0] == '1';
	return j->role == ROLE_MMC;
}

static int make_disc(struct job *j, elt_stream *s, struct burn_disc **disc)
{
	struct burn_session *ses = NULL;
	struct burn_track *tr = NULL;
	struct burn_source *src = NULL, *tapped = NULL, *fifo = NULL;
	int err = 1, rc;

	rc = elt_burn_source_new(&src, s);
	if (rc != 0) {
		elt_stream_free(s);
		return fail(j, "%s", elt_strerror(rc));
	}
	j->tap.hashing = j->b->verify;
	hsum_init(&j->tap.cur);
	tapped = tap_new(&j->tap, src);
	if (tapped == NULL)
		goto out;
	/* Real drives need a steady flow that input hiccups must not break:
	 * libburn's fifo thread reads ahead.  stdio: targets skip it: its
	 * consumer polls with sleeps, and bench/burn.sh measured 4 x 512 MiB
	 * to a file at 1.5 s without the fifo and 15.3 s with it (to a pipe
	 * 0.9 s and 13.6 s), still far above any drive's speed. */
	if (use_fifo(j)) {
		/* flag 1: our source fills any buffer size, so the fifo may
		 * read 32 KiB at a time */
		fifo = burn_fifo_source_new(tapped, SECTOR,
		                            FIFO_BYTES / SECTOR, 1);
		if (fifo == NULL)
			goto out;
	}
	*disc = burn_disc_create();
	ses = burn_session_create();
	tr = burn_track_create();
	if (*disc == NULL || ses == NULL || tr == NULL)
		goto out;
	burn_disc_add_session(*disc, ses, BURN_POS_END);
	/* no offset, no tail padding: the bytes are the image's */
	burn_track_define_data(tr, 0, 0, 1, BURN_MODE1);
	if (burn_track_set_source(tr, fifo ? fifo : tapped) != BURN_SOURCE_OK)
		goto out;
	burn_session_add_track(ses, tr, BURN_POS_END);
	err = 0;
out:
	if (err)
		fail(j, "%scannot set up the burn (out of memory?)", "");
	/* the track (or nothing) holds the references from here on */
	if (tr)
		burn_track_free(tr);
	if (ses)
		burn_session_free(ses);
	if (fifo)
		burn_source_free(fifo);
	if (tapped)
		burn_source_free(tapped);
	burn_source_free(src);
	if (err && *disc) {
		burn_disc_free(*disc);
		*disc = NULL;
	}
	return err;
}

/* libburn's reason lists end in ", " or a newline: trim for one line. */
static const char *trim_reasons(char *r)
{
	size_t n = strlen(r);
	char *p;

	for (p = r; *p; p++)
		if (*p == '\n')
			*p = ' ';
	while (n > 0 && (r[n - 1] == ' ' || r[n - 1] == ','))
		r[--n] = '\0';
	return r;
}

static int setup_opts(struct job *j, struct burn_disc *disc,
                      struct burn_write_opts **out)
{
	struct burn_write_opts *wo = burn_write_opts_new(j->d);
	char reasons[BURN_REASONS_LEN];
	char num[96];
	off_t avail;

	*out = wo;
	if (wo == NULL)
		return fail(j, "%sout of memory", "");
	burn_write_opts_set_perform_opc(wo, 0);
	burn_write_opts_set_multi(wo, j->b->multi);
	burn_write_opts_set_simulate(wo, j->b->dummy);
	burn_write_opts_set_underrun_proof(wo, 1);
	/* libburn fsync()s stdio: targets every 16 MiB by default, which
	 * costs a regular file a third of its speed (bench/burn.sh) and buys
	 * nothing over -o; block devices keep that rhythm so that a slow
	 * stick does not fill the page cache. */
	if (j->is_regular || j->new_file)
		burn_write_opts_set_stdio_fsync(wo, -1);
	burn_drive_set_speed(j->d, 0, speed_of(j, j->b->speed_kbs));
	/* The image's LBAs start at 0: overwritable media must be written
	 * from there (appendable sequential media were refused earlier). */
	if (j->role == ROLE_MMC && overwritable(j->profile))
		burn_write_opts_set_start_byte(wo, 0);
	if (burn_write_opts_auto_write_type(wo, disc, reasons, 0) ==
	    BURN_WRITE_NONE) {
		libburn_reason(num, sizeof(num));
		return fail(j, "no write mode fits this medium: %s",
		            trim_reasons(reasons));
	}
	if (burn_precheck_write(wo, disc, reasons, 1) <= 0)
		return fail(j, "cannot write: %s", trim_reasons(reasons));
	avail = burn_disc_available_space(j->d, wo);
	if (j->is_regular) {
		/* the old content is truncated before writing */
		struct stat st;

		if (stat(j->path, &st) == 0)
			avail += st.st_size;
	}
	if (j->size > (int64_t)avail) {
		snprintf(num, sizeof(num), "%lld bytes, only %lld are free",
		         (long long)j->size, (long long)avail);
		return fail(j, "image larger than the free space: %s", num);
	}
	return 0;
}

static int run_burn(struct job *j, struct burn_write_opts *wo,
                    struct burn_disc *disc)
{
	char why[BURN_MSGS_MESSAGE_LEN + 64];
	struct burn_progress p;
	struct meter m = meter_start();
	double el;
	int cancelled = 0;

	if (j->is_regular && truncate(j->path, 0) != 0)
		return fail(j, "cannot truncate: %s", strerror(errno));
	drain_msgs();
	burn_disc_write(wo, disc);
	while (burn_drive_get_status(j->d, NULL) == BURN_DRIVE_SPAWNING)
		usleep(1000);
	while (burn_drive_get_status(j->d, &p) != BURN_DRIVE_IDLE) {
		if (got_signal && !cancelled) {
			burn_drive_cancel(j->d);
			cancelled = 1;
		}
		if (p.sectors > 0 && p.sector >= 0)
			meter_show(j, &m, "writing", (double)p.sector * SECTOR,
			           (double)j->size, 0);
		usleep(POLL_US);
	}
	meter_end(j, &m);
	if (got_signal) {
		fprintf(stderr, "%s: %s: interrupted by signal %d; burn "
		        "cancelled, the target is incomplete\n", j->prog,
		        j->drive_name, (int)got_signal);
		return 1;
	}
	if (j->tap.failed) {
		/* the image's own error (an input that vanished or failed)
		 * says more than libburn's "read error on fifo input" */
		drain_msgs();
		return fail(j, "burn failed: %s", elt_image_errmsg(j->img));
	}
	if (!burn_drive_wrote_well(j->d) ||
	    j->tap.bytes != (uint64_t)j->size) {
		libburn_reason(why, sizeof(why));
		return fail(j, "burn failed%s", why);
	}
	el = now_s() - m.start;
	if (!j->quiet)
		fprintf(stderr, "%s: %s: wrote %lld bytes in %.1f s "
		        "(%.1f MB/s)%s\n", j->prog, j->drive_name,
		        (long long)j->size, el,
		        el > 0 ? (double)j->size / el / 1e6 : 0.0,
		        j->b->dummy ? " (simulated)" : "");
	return 0;
}

int cli_burn(const char *prog, elt_image *img, const elt_write_opts *o,
             const struct cli_burn_opts *b, int quiet)
{
	struct job j;
	struct sigsave save;
	struct burn_disc *disc = NULL;
	struct burn_write_opts *wo = NULL;
	elt_stream *s = NULL;
	int need_blank = 0, rc, signals = 0;

	memset(&j, 0, sizeof(j));
	j.prog = prog;
	j.drive_name = b->drive ? b->drive : "";
	j.b = b;
	j.img = img;
	j.quiet = quiet;
	j.tty = isatty(2);
	if (b->drive == NULL || b->drive[0] == '\0') {
		fprintf(stderr, "%s: --burn needs a drive\n", prog);
		return 2;
	}
	/* The plan first: a bad image never touches the drive. */
	rc = elt_stream_new(&s, img, o);
	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", prog, elt_image_errmsg(img));
		return 1;
	}
	j.size = elt_stream_size(s);
	if (!burn_initialize()) {
		elt_stream_free(s);
		fprintf(stderr, "%s: %s: cannot initialize libburn\n", prog,
		        j.drive_name);
		return 1;
	}
	/* libburn's messages are queued and printed by us, one line each */
	burn_msgs_set_severities("SORRY", "NEVER", (char *)prog);
	rc = acquire(&j);
	if (rc == 0) {
		signals_catch(&save);
		signals = 1;
		rc = check_options(&j);
	}
	if (rc == 0)
		rc = check_medium(&j, &need_blank);
	if (rc == 0 && need_blank)
		rc = blank(&j);
	if (rc == 0) {
		rc = make_disc(&j, s, &disc);
		s = NULL;   /* owned by the disc's source now, or freed */
	}
	if (rc == 0)
		rc = setup_opts(&j, disc, &wo);
	if (rc == 0 && got_signal)
		rc = fail(&j, "%sinterrupted before writing", "");
	if (rc == 0)
		rc = run_burn(&j, wo, disc);
	if (rc == 0 && b->verify)
		rc = verify(&j);
	if (wo)
		burn_write_opts_free(wo);
	if (disc)
		burn_disc_free(disc);
	elt_stream_free(s);
	release(&j, b->eject && rc == 0);
	burn_finish();
	if (signals)
		signals_restore(&save);
	free(j.tap.sums);
	return rc;
}

int cli_burn_devices(void)
{
	struct burn_drive_info *infos = NULL;
	unsigned int n = 0, i;
	char adr[BURN_DRIVE_ADR_LEN];
	int ret;

	if (!burn_initialize()) {
		fprintf(stderr, "cannot initialize libburn\n");
		return 1;
	}
	burn_msgs_set_severities("NEVER", "NEVER", "");
	while ((ret = burn_drive_scan(&infos, &n)) == 0)
		usleep(1000);
	if (ret > 0) {
		for (i = 0; i < n; i++) {
			if (burn_drive_get_adr(&infos[i], adr) <= 0)
				snprintf(adr, sizeof(adr), "?");
			printf("%s\t%s\t%s\n", adr, infos[i].vendor,
			       infos[i].product);
		}
		burn_drive_info_free(infos);
	}
	if (n == 0)
		fprintf(stderr, "no drives found (stdio:PATH burns to a file,"
		        " pipe or block device)\n");
	burn_finish();
	return 0;
}

#endif /* HAVE_LIBBURN */
