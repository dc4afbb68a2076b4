/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * eltorito-mkisofs: shared declarations of the command line program.
 *
 * options.c turns argv into a struct cli_state (no I/O, no library calls
 * beyond constants), msg.c prints messages, main.c drives the library.
 */
#ifndef ELT_CLI_H
#define ELT_CLI_H

#include <stddef.h>
#include <stdio.h>
#include "eltorito/eltorito.h"
#include "burn.h"

/* Exit status of the program. */
#define CLI_EXIT_OK    0
#define CLI_EXIT_FAIL  1   /* the image could not be made or written */
#define CLI_EXIT_USAGE 2   /* bad command line */

/* Argument type of an option (struct cli_opt.arg). */
enum cli_arg { CLI_NONE, CLI_STR, CLI_INT, CLI_PATH };

/* struct cli_opt.flags */
#define CLI_F_NOTIMPL 0x1u /* a genisoimage option we recognise and refuse */
#define CLI_F_DASH2   0x2u /* shown with two dashes: our extensions and
                             genisoimage's Macintosh file options */
#define CLI_F_HIDDEN  0x4u /* left out of -help and the man page */
#define CLI_F_EXT     0x8u /* not a genisoimage option: loses prefix
                              matches to genisoimage's ("-pri") */

struct cli_state;

/*
 * One row of the option table. `name` is the long spelling without
 * dashes; every long name is accepted with one or two dashes and as an
 * unambiguous prefix, as genisoimage's getopt_long_only() does. `alias`
 * is the one-letter short option or NULL. A name of one letter is a
 * short-only option.
 */
struct cli_opt {
	const char *name;
	const char *alias;
	enum cli_arg arg;
	int (*apply)(struct cli_state *st, const char *arg);
	const char *argname;   /* "FILE" for -help, NULL without argument */
	const char *help;      /* one line */
	unsigned int flags;    /* CLI_F_* */
};

/* What the program does after parsing. */
enum cli_action {
	CLI_ACT_BUILD = 0,
	CLI_ACT_HELP,
	CLI_ACT_VERSION,
	CLI_ACT_PRINT_MAN,
	CLI_ACT_DEVICES
};

/* Pattern options, kept in command line order. */
enum cli_pat_kind {
	CLI_PAT_EXCLUDE,       /* -m, -x, -exclude-list */
	CLI_PAT_HIDE,          /* -hide, -hide-list */
	CLI_PAT_HIDE_JOLIET,   /* -hide-joliet, -hide-joliet-list */
	CLI_PAT_HIDDEN,        /* -hidden, -hidden-list */
	CLI_PAT_SORT           /* -sort (always a file) */
};

struct cli_pattern {
	enum cli_pat_kind kind;
	int is_list;           /* value names a file with one pattern a line */
	const char *value;     /* borrowed from argv */
};

#define CLI_MAX_BOOT 64     /* boot entries; El Torito has no real limit */
#define CLI_ERRLEN   512

struct cli_state {
	const char *prog;          /* basename of argv[0] */
	enum cli_action action;
	elt_write_opts opts;
	unsigned int add_flags;    /* ELT_ADD_* for every source */
	const char *output;        /* -o, NULL = stdout */
	int graft_points;          /* -graft-points */
	int verbose;               /* 0 -quiet, 1 default, 2+ -v */
	int gui;                   /* -gui: progress every 500 blocks */
	int print_size;            /* -print-size */
	const char *log_file;      /* -log-file */
	const char *path_list;     /* -path-list, "-" = stdin */
	const char *input_charset; /* -input-charset / -jcharset */
	const char *generic_boot;  /* -G: system area file */
	const char *catalog;       /* -c */
	const char *bad_iso_level; /* kept to report after parsing */

	/* El Torito entries in command line order; cur is the entry the
	 * order-sensitive options edit, -1 before the first one. */
	elt_boot_entry boot[CLI_MAX_BOOT];
	int nboot;
	int cur_boot;
	int boot_opts_seen;        /* any El Torito option given */

	struct cli_pattern *pats;
	size_t npats, pats_cap;

	/* Operands (source paths and graft points), borrowed from argv. */
	char **sources;
	int nsources;

	/* Burning (cli/burn.c). Values are checked after parsing. */
	struct cli_burn_opts burn;
	const char *speed_arg, *blank_arg;
	int burn_opts_seen;        /* any burn option besides --devices */

	/* Options accepted without effect, for a note. */

	char err[CLI_ERRLEN];      /* usage error text of the last failure */
};

/* options.c */
extern const struct cli_opt cli_options[];
extern const size_t cli_noptions;

void cli_state_init(struct cli_state *st, const char *argv0);
void cli_state_free(struct cli_state *st);
/* Parse argv. Returns 0, or -1 with st->err set (a usage error). Options
 * end at the first operand or "--", as in genisoimage. */
int cli_parse(struct cli_state *st, int argc, char **argv);
/* After cli_parse: checks across options (boot entries, limits).
 * Returns 0 or -1 with st->err set. */
int cli_finish(struct cli_state *st);
/* Look up a long option: exact name or unique prefix. Returns NULL when
 * absent; *ambiguous is set when several options share the prefix. */
const struct cli_opt *cli_find_long(const char *name, size_t len,
                                    int *ambiguous);
const struct cli_opt *cli_find_short(int c);
void cli_print_help(FILE *f, const char *prog);
void cli_print_man(FILE *f);
/* "-name" or "--name" as the option is shown to users. */
const char *cli_opt_dashes(const struct cli_opt *o);

/* msg.c */
void cli_msg_setup(const char *prog, int verbose);
/* printf-like; severity ELT_MSG_*; path may be NULL. */
void cli_msg(int severity, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;
/* elt_msg_fn for elt_image_set_msg_fn. */
void cli_msg_cb(int severity, int code, const char *iso_path,
                const char *text, void *payload);
/* Report a failed library call on img. */
void cli_msg_lib(elt_image *img, int err);

#endif
