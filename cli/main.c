/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * eltorito-mkisofs: a drop-in for genisoimage/mkisofs on libeltorito.
 *
 * Flow: parse the whole command line into a struct cli_state (options.c),
 * then open the output, register patterns, add the sources, add the boot
 * entries, and stream the image to the output (or to a drive through
 * cli/burn.c). Exit status: 0 ok, 1 the image failed, 2 usage.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

#define ISO_BLOCK        2048u          /* ECMA-119 6.1.2: logical block */
#define SYSTEM_AREA_SIZE (16u * ISO_BLOCK) /* ECMA-119 6.2.1: blocks 0-15 */
#define COPY_BUF         (1024u * 1024u)  /* 1 MiB writes, ARCHITECTURE 6 */
#define PROGRESS_STEP    5000u  /* genisoimage: a line every 5000 blocks */
#define PROGRESS_STEP_GUI 500u  /* ... and every 500 with -gui */

/* The temporary output file, removed if a signal ends the program. */
static char *volatile tmp_path;

static void on_fatal_signal(int sig)
{
	char *p = tmp_path;

	if (p)
		unlink(p);
	signal(sig, SIG_DFL);
	raise(sig);
}

struct output {
	int fd;
	const char *name;     /* as the user named it, for messages */
	char *target;         /* the path renamed to, NULL without temp file */
	char *tmp;            /* temporary file in the target's directory */
	mode_t mode;          /* of the finished file */
	int existed;          /* the target was a regular file already */
};

struct sort_rule {
	char *glob;
	int32_t weight;
};

struct run {
	struct cli_state *st;
	elt_image *img;
	struct output out;
	unsigned char *system_area;
	int no_paths;              /* an empty -path-list was all we had */
	struct sort_rule *sorts;   /* -sort rules in file order */
	size_t nsorts, sorts_cap;
};

static int usage_error(const struct cli_state *st, const char *text)
{
	fprintf(stderr, "%s: error: %s (see '%s -help')\n", st->prog, text,
	        st->prog);
	return CLI_EXIT_USAGE;
}

/* ------------------------------------------------------------------
 * Output
 */
static int out_fail(const char *path, const char *what)
{
	cli_msg(ELT_MSG_ERROR, path, "%s: %s", what, strerror(errno));
	return -1;
}

static char *tmp_name_for(const char *target)
{
	const char *slash = strrchr(target, '/');
	size_t dirlen = slash ? (size_t)(slash - target) + 1 : 0;
	const char *base = slash ? slash + 1 : target;
	size_t n = dirlen + strlen(base) + 16;
	char *t = malloc(n);

	if (t)
		snprintf(t, n, "%.*s.%s.XXXXXX", (int)dirlen, target, base);
	return t;
}

static int exclude_fd(elt_image *img, int fd)
{
	struct stat sb;
	int err;

	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode))
		return 0;
	err = elt_image_exclude_inode(img, (uint64_t)sb.st_dev,
	                              (uint64_t)sb.st_ino);
	if (err < 0)
		cli_msg_lib(img, err);
	return err;
}

/* Before the scan. Devices and FIFOs are written in place; a regular
 * file (new or old) is written under a temporary name and renamed on
 * success. An existing output file is left out of the image: genisoimage
 * would take it in with its old size and read it back while overwriting
 * it. */
/* A pipe holds 64 KiB by default: with our 1 MiB writes the reader
 * would be woken sixteen times per write. Ask for 1 MiB (best effort:
 * the system limit may refuse it, which changes nothing else). */
static void widen_pipe(int fd)
{
#ifdef F_SETPIPE_SZ
	struct stat sb;

	if (fstat(fd, &sb) == 0 && S_ISFIFO(sb.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, COPY_BUF);
#else
	(void)fd;
#endif
}

static int out_prepare(struct run *r)
{
	struct output *o = &r->out;
	const char *path = r->st->output;
	struct stat sb, lsb;
	int err;

	o->fd = -1;
	o->mode = 0666;
	if (!path) {
		o->fd = STDOUT_FILENO;
		o->name = "stdout";
		widen_pipe(o->fd);
		return exclude_fd(r->img, o->fd) < 0 ? -1 : 0;
	}
	o->name = path;
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			errno = EISDIR;
			return out_fail(path, "cannot write the image");
		}
		if (!S_ISREG(sb.st_mode)) {
			o->fd = open(path, O_WRONLY | O_CLOEXEC);
			if (o->fd < 0)
				return out_fail(path, "cannot open");
			return 0;
		}
		o->existed = 1;
		o->mode = sb.st_mode & 07777;
		err = elt_image_exclude_inode(r->img, (uint64_t)sb.st_dev,
		                              (uint64_t)sb.st_ino);
		if (err < 0) {
			cli_msg_lib(r->img, err);
			return -1;
		}
	} else if (errno != ENOENT) {
		return out_fail(path, "cannot write the image");
	}
	/* Replace the file a symbolic link points to, not the link. */
	if (o->existed && lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode))
		o->target = realpath(path, NULL);
	else
		o->target = strdup(path);
	if (!o->target)
		return out_fail(path, "cannot resolve");
	return 0;
}

/* After the scan, so that the temporary file is neither in the tree nor
 * changes the date of the directory it is in before that is read. */
static int out_create(struct run *r)
{
	struct output *o = &r->out;
	mode_t mask;

	if (!o->target)
		return 0;
	o->tmp = tmp_name_for(o->target);
	if (!o->tmp) {
		errno = ENOMEM;
		return out_fail(o->name, "cannot create");
	}
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0)
		return out_fail(o->name, "cannot create");
	tmp_path = o->tmp;
	if (!o->existed) {
		mask = umask(0);
		umask(mask);
		o->mode &= ~mask;
	}
	if (fchmod(o->fd, o->mode) < 0)
		return out_fail(o->name, "cannot set the mode");
	return 0;
}

/* Success: close and move the temporary file into place. */
static int out_commit(struct output *o)
{
	int fd = o->fd;

	o->fd = -1;
	if (!o->tmp) {
		if (fd > STDERR_FILENO && close(fd) < 0)
			return out_fail(o->name, "write failed");
		return 0;
	}
	if (close(fd) < 0)
		return out_fail(o->name, "write failed");
	if (rename(o->tmp, o->target) < 0)
		return out_fail(o->name, "cannot rename the finished image");
	tmp_path = NULL;
	return 0;
}

/* Failure or -print-size: no trace of a temporary file. */
static void out_abort(struct output *o)
{
	if (o->fd > STDERR_FILENO)
		close(o->fd);
	o->fd = -1;
	if (o->tmp && tmp_path) {
		tmp_path = NULL;
		unlink(o->tmp);
	}
	free(o->tmp);
	free(o->target);
	o->tmp = o->target = NULL;
}

/* ------------------------------------------------------------------
 * Pattern lists, path lists, sort files
 */
static FILE *open_list(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");

	if (!f)
		cli_msg(ELT_MSG_ERROR, path, "cannot open: %s", strerror(errno));
	return f;
}

static void close_list(FILE *f)
{
	if (f && f != stdin)
		fclose(f);
}

/* Next line without its newline; NULL at the end. */
static char *next_line(FILE *f, char **buf, size_t *cap)
{
	ssize_t n = getline(buf, cap, f);

	if (n < 0)
		return NULL;
	if (n > 0 && (*buf)[n - 1] == '\n')
		(*buf)[--n] = '\0';
	return *buf;
}

static int apply_pattern(struct run *r, enum cli_pat_kind kind,
                         const char *glob, int32_t weight)
{
	int err;

	switch (kind) {
	case CLI_PAT_EXCLUDE:
		err = elt_image_add_exclude(r->img, glob);
		break;
	case CLI_PAT_HIDE:
		err = elt_image_add_hide(r->img, glob, ELT_NS_ISO);
		break;
	case CLI_PAT_HIDE_JOLIET:
		err = elt_image_add_hide(r->img, glob, ELT_NS_JOLIET);
		break;
	case CLI_PAT_HIDDEN:
		err = elt_image_add_hidden(r->img, glob);
		break;
	default:
		err = elt_image_add_sort_weight(r->img, glob, weight);
		break;
	}
	if (err < 0)
		cli_msg_lib(r->img, err);
	return err;
}

/* Sort rules are kept and added in reverse at the end: in genisoimage
 * the last matching rule wins, in libeltorito the first one. */
static int keep_sort(struct run *r, const char *glob, int32_t weight)
{
	struct sort_rule *n;

	if (r->nsorts == r->sorts_cap) {
		size_t cap = r->sorts_cap ? r->sorts_cap * 2 : 16;

		n = realloc(r->sorts, cap * sizeof *n);
		if (!n)
			goto oom;
		r->sorts = n;
		r->sorts_cap = cap;
	}
	n = &r->sorts[r->nsorts];
	n->glob = strdup(glob);
	if (!n->glob)
		goto oom;
	n->weight = weight;
	r->nsorts++;
	return 0;
oom:
	cli_msg(ELT_MSG_ERROR, glob, "%s", strerror(ENOMEM));
	return -1;
}

static int add_sorts(struct run *r)
{
	size_t i;

	for (i = r->nsorts; i > 0; i--)
		if (apply_pattern(r, CLI_PAT_SORT, r->sorts[i - 1].glob,
		                  r->sorts[i - 1].weight) < 0)
			return -1;
	return 0;
}

static void free_sorts(struct run *r)
{
	size_t i;

	for (i = 0; i < r->nsorts; i++)
		free(r->sorts[i].glob);
	free(r->sorts);
	r->sorts = NULL;
	r->nsorts = r->sorts_cap = 0;
}

/* A -sort line: "glob weight", the weight after the last blank. */
static int sort_line(struct run *r, const char *file, long lineno,
                     char *line)
{
	char *sp = line + strlen(line), *end;
	long w;

	while (sp > line && (sp[-1] == ' ' || sp[-1] == '\t'))
		*--sp = '\0';
	while (sp > line && sp[-1] != ' ' && sp[-1] != '\t')
		sp--;
	if (sp == line)
		goto bad;
	errno = 0;
	w = strtol(sp, &end, 10);
	if (errno || *end || w < INT32_MIN || w > INT32_MAX)
		goto bad;
	while (sp > line && (sp[-1] == ' ' || sp[-1] == '\t'))
		sp--;
	*sp = '\0';
	if (!*line)
		goto bad;
	return keep_sort(r, line, (int32_t)w);
bad:
	cli_msg(ELT_MSG_ERROR, file, "line %ld: expected 'pattern weight'",
	        lineno);
	return -1;
}

static int apply_list(struct run *r, const struct cli_pattern *p)
{
	FILE *f = open_list(p->value);
	char *buf = NULL, *line;
	size_t cap = 0;
	long lineno = 0;
	int err = 0;

	if (!f)
		return -1;
	while (err >= 0 && (line = next_line(f, &buf, &cap)) != NULL) {
		lineno++;
		if (!*line)
			continue;
		if (p->kind == CLI_PAT_SORT)
			err = sort_line(r, p->value, lineno, line);
		else
			err = apply_pattern(r, p->kind, line, 0);
	}
	if (err >= 0 && ferror(f)) {
		cli_msg(ELT_MSG_ERROR, p->value, "read failed: %s",
		        strerror(errno));
		err = -1;
	}
	free(buf);
	close_list(f);
	return err < 0 ? -1 : 0;
}

static int apply_patterns(struct run *r)
{
	size_t i;

	for (i = 0; i < r->st->npats; i++) {
		const struct cli_pattern *p = &r->st->pats[i];
		int err = p->is_list ? apply_list(r, p) :
		          apply_pattern(r, p->kind, p->value, 0);

		if (err < 0)
			return -1;
	}
	return add_sorts(r);
}

/* ------------------------------------------------------------------
 * Sources and graft points
 */

/* The first '=' not preceded by a backslash and not at the start, as
 * genisoimage looks for it. */
static const char *graft_eq(const char *s)
{
	const char *p = s;

	while ((p = strchr(p, '=')) != NULL) {
		if (p > s && p[-1] != '\\')
			return p;
		p++;
	}
	return NULL;
}

/* Copy n bytes of s, turning "\=" into "=" and "\\" into "\"; other
 * backslashes stay. */
static char *unescape(const char *s, size_t n)
{
	char *out = malloc(n + 1), *d = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '\\') {
			if (i + 1 >= n)
				break;
			if (s[i + 1] == '\\' || s[i + 1] == '=') {
				*d++ = s[++i];
				continue;
			}
		}
		*d++ = s[i];
	}
	*d = '\0';
	return out;
}

/* ISO path of a graft's left side: "/"-joined components, "." dropped,
 * ".." going up (never above the root). *dir_only is set when it ends in
 * '/' or is empty, which names a directory to put a file into. */
static char *graft_iso_path(const char *left, int *dir_only)
{
	size_t n = strlen(left);
	char *out = malloc(n + 2), *copy = strdup(left), *tok, *save = NULL;
	size_t len = 0;

	if (!out || !copy) {
		free(out);
		free(copy);
		return NULL;
	}
	out[0] = '\0';
	for (tok = strtok_r(copy, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (strcmp(tok, ".") == 0)
			continue;
		if (strcmp(tok, "..") == 0) {
			char *s = strrchr(out, '/');

			len = s ? (size_t)(s - out) : 0;
			out[len] = '\0';
			continue;
		}
		len += (size_t)sprintf(out + len, "/%s", tok);
	}
	*dir_only = len == 0 || left[n - 1] == '/';
	if (len == 0)
		strcpy(out, "/");
	free(copy);
	return out;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int add_source(struct run *r, const char *arg)
{
	const char *eq = r->st->graft_points ? graft_eq(arg) : NULL;
	char *disk = NULL, *left = NULL, *iso = NULL, *tmp;
	unsigned int flags = r->st->add_flags;
	struct stat sb;
	int dir_only = 1, rc = -1, err, s;

	if (eq) {
		left = unescape(arg, (size_t)(eq - arg));
		disk = unescape(eq + 1, strlen(eq + 1));
	} else {
		disk = r->st->graft_points ? unescape(arg, strlen(arg)) :
		       strdup(arg);
	}
	if (!disk || (eq && !left))
		goto oom;
	s = (flags & ELT_ADD_FOLLOW_LINKS) ? stat(disk, &sb) : lstat(disk, &sb);
	if (s < 0) {
		cli_msg(ELT_MSG_ERROR, disk, "%s", strerror(errno));
		goto out;
	}
	iso = left ? graft_iso_path(left, &dir_only) : strdup("/");
	if (!iso)
		goto oom;
	if (S_ISDIR(sb.st_mode)) {
		flags |= ELT_ADD_MERGE;
	} else if (dir_only) {
		size_t n = strlen(iso) + strlen(base_name(disk)) + 2;

		tmp = malloc(n);
		if (!tmp)
			goto oom;
		snprintf(tmp, n, "%s%s%s", iso, strcmp(iso, "/") ? "/" : "",
		         base_name(disk));
		free(iso);
		iso = tmp;
	}
	err = elt_image_add_tree(r->img, iso, disk, flags);
	if (err < 0) {
		cli_msg_lib(r->img, err);
		goto out;
	}
	rc = 0;
	goto out;
oom:
	cli_msg(ELT_MSG_ERROR, arg, "%s", strerror(ENOMEM));
out:
	free(disk);
	free(left);
	free(iso);
	return rc;
}

static int add_sources(struct run *r)
{
	FILE *f;
	char *buf = NULL, *line;
	size_t cap = 0;
	int i, rc = 0;

	for (i = 0; i < r->st->nsources; i++)
		if (add_source(r, r->st->sources[i]) < 0)
			return -1;
	if (!r->st->path_list)
		return 0;
	f = open_list(r->st->path_list);
	if (!f)
		return -1;
	while (rc == 0 && (line = next_line(f, &buf, &cap)) != NULL)
		if (*line) {
			rc = add_source(r, line);
			i++;
		}
	free(buf);
	close_list(f);
	if (rc == 0 && i == 0) {
		/* genisoimage: "No pathnames found", a usage error */
		cli_msg(ELT_MSG_ERROR, r->st->path_list, "no pathnames found");
		r->no_paths = 1;
		rc = -1;
	}
	return rc;
}

/* ------------------------------------------------------------------
 * El Torito and the system area
 */
static int add_boot(struct run *r)
{
	int i, err;

	for (i = 0; i < r->st->nboot; i++) {
		err = elt_image_add_boot(r->img, &r->st->boot[i]);
		if (err < 0)
			goto fail;
	}
	if (r->st->catalog) {
		err = elt_image_set_catalog(r->img, r->st->catalog, 0);
		if (err < 0)
			goto fail;
	}
	return 0;
fail:
	cli_msg_lib(r->img, err);
	return -1;
}

/* -G: the first 32 KiB of the file, zero-filled when shorter. */
static int load_system_area(struct run *r)
{
	const char *path = r->st->generic_boot;
	size_t got = 0;
	ssize_t n;
	int fd;

	if (!path)
		return 0;
	r->system_area = calloc(1, SYSTEM_AREA_SIZE);
	if (!r->system_area) {
		errno = ENOMEM;
		return out_fail(path, "cannot read");
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return out_fail(path, "cannot open");
	while (got < SYSTEM_AREA_SIZE) {
		n = read(fd, r->system_area + got, SYSTEM_AREA_SIZE - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return out_fail(path, "read failed");
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	r->st->opts.system_area = r->system_area;
	return 0;
}

/* ------------------------------------------------------------------
 * Writing
 */
static int write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* genisoimage's progress line, on standard error. */
static void progress(const struct cli_state *st, uint64_t done,
                     uint64_t total, time_t begun)
{
	double frac = (double)done / (double)total;
	time_t now = time(NULL), end;

	end = begun + (time_t)((double)(now - begun) / frac);
	fprintf(stderr, "%6.2f%% done, estimate finish %s", frac * 100.0,
	        ctime(&end));
	fflush(stderr);
	(void)st;
}

static int write_image(struct run *r, elt_stream *s)
{
	const struct cli_state *st = r->st;
	uint64_t total = (uint64_t)elt_stream_size(s) / ISO_BLOCK;
	uint64_t step = st->gui ? PROGRESS_STEP_GUI : PROGRESS_STEP;
	uint64_t done = 0, blocks, mark;
	unsigned char *buf = malloc(COPY_BUF);
	time_t begun = time(NULL);
	int64_t n;
	int rc = -1;

	if (!buf) {
		errno = ENOMEM;
		return out_fail(r->out.name, "cannot write");
	}
	while ((n = elt_stream_read(s, buf, COPY_BUF)) > 0) {
		if (write_all(r->out.fd, buf, (size_t)n) < 0) {
			out_fail(r->out.name, "write failed");
			goto out;
		}
		blocks = done + (uint64_t)n / ISO_BLOCK;
		/* One line at each multiple of the step, as genisoimage
		 * prints them (it writes 16 blocks at a time). */
		for (mark = (done / step + 1) * step;
		     st->verbose > 0 && mark <= blocks && mark < total;
		     mark += step)
			progress(st, mark, total, begun);
		done = blocks;
	}
	if (n < 0) {
		cli_msg_lib(r->img, (int)n);
		goto out;
	}
	if (done != total) {
		cli_msg(ELT_MSG_ERROR, r->out.name, "image ended after %llu of "
		        "%llu blocks (internal error, please report)",
		        (unsigned long long)done, (unsigned long long)total);
		goto out;
	}
	if (st->verbose > 0)
		fprintf(stderr, "%llu extents written (%llu MB)\n",
		        (unsigned long long)total,
		        (unsigned long long)(total >> 9));
	rc = 0;
out:
	free(buf);
	return rc;
}

/* ------------------------------------------------------------------
 * The run
 */
static int setup_env(struct cli_state *st)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (!sde)
		return 0;
	errno = 0;
	v = strtoll(sde, &end, 10);
	if (errno || !*sde || *end || v < 0) {
		fprintf(stderr, "%s: error: SOURCE_DATE_EPOCH: not a number of "
		        "seconds: '%s'\n", st->prog, sde);
		return -1;
	}
	st->opts.timestamp = v;
	st->opts.clamp_time = v;
	return 0;
}

static int redirect_log(const struct cli_state *st)
{
	int fd;

	if (!st->log_file)
		return 0;
	fd = open(st->log_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	          0666);
	if (fd < 0) {
		cli_msg(ELT_MSG_ERROR, st->log_file, "cannot open: %s",
		        strerror(errno));
		return -1;
	}
	fprintf(stderr, "re-directing all messages to %s\n", st->log_file);
	fflush(stderr);
	if (dup2(fd, STDERR_FILENO) < 0) {
		close(fd);
		cli_msg(ELT_MSG_ERROR, st->log_file, "cannot redirect: %s",
		        strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	struct sigaction sa;
	size_t i;

	/* A closed pipe is a write error (EPIPE) reported in one line. */
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
}

static int check_burn_args(struct cli_state *st)
{
	char msg[160];

	if (st->speed_arg &&
	    cli_burn_parse_speed(st->speed_arg, &st->burn.speed_kbs) < 0) {
		snprintf(msg, sizeof msg, "--speed: bad speed '%s' (N, Nx or "
		         "max)", st->speed_arg);
		return usage_error(st, msg);
	}
	if (st->blank_arg &&
	    cli_burn_parse_blank(st->blank_arg, &st->burn.blank) < 0) {
		snprintf(msg, sizeof msg, "--blank: bad mode '%s' (fast or all)",
		         st->blank_arg);
		return usage_error(st, msg);
	}
	return 0;
}

static int build(struct run *r)
{
	struct cli_state *st = r->st;
	elt_stream *s = NULL;
	int err, rc = CLI_EXIT_FAIL;

	err = elt_image_new(&r->img);
	if (err < 0) {
		cli_msg(ELT_MSG_ERROR, NULL, "%s", elt_strerror(err));
		return CLI_EXIT_FAIL;
	}
	elt_image_set_msg_fn(r->img, cli_msg_cb, NULL);
	if (!st->print_size && !st->burn.drive && out_prepare(r) < 0)
		goto out;
	if (apply_patterns(r) < 0 || add_sources(r) < 0 || add_boot(r) < 0 ||
	    load_system_area(r) < 0) {
		if (r->no_paths)
			rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (st->burn.drive && !st->print_size) {
		rc = cli_burn(st->prog, r->img, &st->opts, &st->burn,
		              st->verbose == 0);
		goto out;
	}
	err = elt_stream_new(&s, r->img, &st->opts);
	if (err < 0) {
		cli_msg_lib(r->img, err);
		goto out;
	}
	if (st->print_size) {
		uint64_t blocks = (uint64_t)elt_stream_size(s) / ISO_BLOCK;

		if (st->verbose > 0)
			fprintf(stderr, "Total extents scheduled to be written "
			        "= %llu\n", (unsigned long long)blocks);
		printf("%llu\n", (unsigned long long)blocks);
		rc = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
		goto out;
	}
	if (out_create(r) < 0 || write_image(r, s) < 0 ||
	    out_commit(&r->out) < 0)
		goto out;
	rc = CLI_EXIT_OK;
out:
	elt_stream_free(s);
	out_abort(&r->out);
	elt_image_free(r->img);
	free(r->system_area);
	free_sorts(r);
	return rc;
}

/* Front ends read the version of "genisoimage" or "mkisofs" to learn
 * which options exist: under those names the first word and number are
 * those of the genisoimage whose options we take. */
#define GENISOIMAGE_VERSION "1.1.11"

static void print_version(const struct cli_state *st)
{
	if (strcmp(st->prog, "genisoimage") == 0 ||
	    strcmp(st->prog, "mkisofs") == 0)
		printf("%s %s (eltorito-mkisofs %s, libeltorito %s)\n",
		       st->prog, GENISOIMAGE_VERSION, PACKAGE_VERSION,
		       elt_version());
	else
		printf("%s %s (libeltorito %s)\n", st->prog, PACKAGE_VERSION,
		       elt_version());
}

int main(int argc, char **argv)
{
	struct cli_state st;
	struct run r;
	int rc;

	cli_state_init(&st, argv[0]);
	if (cli_parse(&st, argc, argv) < 0 || cli_finish(&st) < 0) {
		rc = usage_error(&st, st.err);
		goto out;
	}
	cli_msg_setup(st.prog, st.verbose);
	rc = CLI_EXIT_OK;
	switch (st.action) {
	case CLI_ACT_HELP:
		cli_print_help(stderr, st.prog);
		goto out;
	case CLI_ACT_VERSION:
		print_version(&st);
		goto out;
	case CLI_ACT_PRINT_MAN:
		cli_print_man(stdout);
		goto out;
	case CLI_ACT_DEVICES:
		rc = cli_burn_devices();
		goto out;
	default:
		break;
	}
	if ((rc = check_burn_args(&st)) != 0)
		goto out;
	if (!st.output && !st.print_size && !st.burn.drive &&
	    isatty(STDOUT_FILENO)) {
		rc = usage_error(&st, "refusing to write the image to a "
		                 "terminal: use -o FILE or redirect stdout");
		goto out;
	}
	if (setup_env(&st) < 0) {
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (redirect_log(&st) < 0) {
		rc = CLI_EXIT_FAIL;
		goto out;
	}
	catch_signals();
	memset(&r, 0, sizeof r);
	r.st = &st;
	r.out.fd = -1;
	rc = build(&r);
out:
	cli_state_free(&st);
	return rc;
}
