/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The option table of eltorito-mkisofs and the parser built on it.
 *
 * One table, sorted by name, drives parsing (bsearch), -help and the man
 * page. Spellings follow genisoimage 1.1.11 exactly: it parses with
 * getopt_long_only(), so every long name works with one or two dashes, as
 * "-name=value" or "-name value", and as an unambiguous prefix; a word
 * that is no long option falls back to a cluster of short options
 * ("-JR", "-ofile"). Option parsing ends at the first operand or "--",
 * as in genisoimage, whose option string starts with '-'.
 *
 * Handlers only fill struct cli_state; the library is called by main.c
 * after parsing succeeded.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "cli.h"

/* Field limits genisoimage enforces on the command line (ECMA-119 8.4:
 * volume identifier 32 a-characters, system identifier 32, volume set,
 * publisher, preparer and application identifiers 128, file identifiers
 * of the copyright, abstract and bibliographic files 37). */
#define LIM_VOLUME_ID   32
#define LIM_SYSTEM_ID   32
#define LIM_LONG_ID     128
#define LIM_FILE_ID     37

/* genisoimage's -pad appends 150 zero blocks (measured with 1.1.11: the
 * image grows by exactly 150 blocks for any tree). */
#define CLI_PAD_BLOCKS  150

/* The application identifier when -A is not given (ECMA-119 8.4.22):
 * it names the program that recorded the volume, so ours, not
 * genisoimage's (docs/compat.md; the parity tests mask this field). */
#define CLI_APPID_DEFAULT "ELTORITO-MKISOFS " PACKAGE_VERSION " (LIBELTORITO)"

/* genisoimage's translation table name for -T (-table-name changes it). */
#define CLI_TRANS_TBL_DEFAULT "TRANS.TBL"

/* Largest 16-bit boot catalog field (El Torito 1.0, 2.2: load segment
 * and sector count are 16-bit words). */
#define BOOT_WORD_MAX   0xFFFF

static int fail(struct cli_state *st, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static int fail(struct cli_state *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(st->err, sizeof st->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* Whole-string integer in [min, max]; base 0 accepts 0x.. and 0... */
static int parse_num(const char *arg, int base, long min, long max,
                     long *out)
{
	char *end;
	long v;

	if (!arg || !*arg)
		return -1;
	errno = 0;
	v = strtol(arg, &end, base);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int set_text(struct cli_state *st, const char **field,
                    const char *arg, size_t max, const char *what)
{
	if (strlen(arg) > max)
		return fail(st, "%s is longer than %zu characters: '%s'",
		            what, max, arg);
	*field = arg;
	return 0;
}

static int add_pattern(struct cli_state *st, enum cli_pat_kind kind,
                       int is_list, const char *value)
{
	struct cli_pattern *p;

	if (st->npats == st->pats_cap) {
		size_t cap = st->pats_cap ? st->pats_cap * 2 : 16;

		p = realloc(st->pats, cap * sizeof *p);
		if (!p)
			return fail(st, "out of memory");
		st->pats = p;
		st->pats_cap = cap;
	}
	p = &st->pats[st->npats++];
	p->kind = kind;
	p->is_list = is_list;
	p->value = value;
	return 0;
}

/* ------------------------------------------------------------------
 * Volume descriptor text
 */
static int opt_abstract(struct cli_state *st, const char *a)
{
	return set_text(st, &st->opts.abstract_file, a, LIM_FILE_ID,
	                "-abstract");
}

static int opt_appid(struct cli_state *st, const char *a)
{
	return set_text(st, &st->opts.app_id, a, LIM_LONG_ID, "-appid");
}

static int opt_biblio(struct cli_state *st, const char *a)
{
	return set_text(st, &st->opts.biblio_file, a, LIM_FILE_ID,
	                "-biblio");
}

static int opt_copyright(struct cli_state *st, const char *a)
{
	return set_text(st, &st->opts.copyright_file, a, LIM_FILE_ID,
	                "-copyright");
}

static int opt_preparer(struct cli_state *st, const char *a)
{
	return set_text(st, &st->opts.preparer, a, LIM_LONG_ID, "-preparer");
}

static int opt_publisher(struct cli_state *st, const char *a)
{
	return set_text(st, &st->opts.publisher, a, LIM_LONG_ID,
	                "-publisher");
}

static int opt_sysid(struct cli_state *st, const char *a)
{
	return set_text(st, &st->opts.system_id, a, LIM_SYSTEM_ID, "-sysid");
}

static int opt_volid(struct cli_state *st, const char *a)
{
	return set_text(st, &st->opts.volume_id, a, LIM_VOLUME_ID, "-volid");
}

static int opt_volset(struct cli_state *st, const char *a)
{
	return set_text(st, &st->opts.volset_id, a, LIM_LONG_ID, "-volset");
}

static int opt_volset_size(struct cli_state *st, const char *a)
{
	long v;

	if (parse_num(a, 10, 1, 65535, &v) < 0)
		return fail(st, "-volset-size: bad volume set size '%s'", a);
	st->opts.volset_size = (uint32_t)v;
	return 0;
}

static int opt_volset_seqno(struct cli_state *st, const char *a)
{
	long v;

	if (parse_num(a, 10, 1, 65535, &v) < 0)
		return fail(st, "-volset-seqno: bad sequence number '%s'", a);
	st->opts.volset_seqno = (uint32_t)v;
	return 0;
}

/* ------------------------------------------------------------------
 * ISO 9660 names
 */
#define RELAX_U (ELT_RELAX_LONG_NAMES | ELT_RELAX_OMIT_PERIOD | \
	ELT_RELAX_LEADING_DOTS | ELT_RELAX_OMIT_VERSION | \
	ELT_RELAX_RELAXED_CHARS | ELT_RELAX_LOWERCASE | ELT_RELAX_MULTIDOT)

static int opt_iso_level(struct cli_state *st, const char *a)
{
	long v;

	if (parse_num(a, 10, 1, 4, &v) < 0)
		return fail(st, "-iso-level: illegal level '%s', use 1..3 or 4",
		            a);
	/* Level 4 is ISO 9660:1999 with an enhanced volume descriptor,
	 * which libeltorito does not write. */
	if (v == 4)
		return fail(st, "-iso-level 4 (ISO 9660:1999) is not "
		            "implemented in eltorito-mkisofs");
	st->opts.iso_level = (int)v;
	return 0;
}

#define RELAX_OPT(fn, bits) \
	static int fn(struct cli_state *st, const char *a) \
	{ (void)a; st->opts.relax |= (bits); return 0; }

RELAX_OPT(opt_full_names, ELT_RELAX_LONG_NAMES)
RELAX_OPT(opt_leading_dots, ELT_RELAX_LEADING_DOTS)
RELAX_OPT(opt_omit_version, ELT_RELAX_OMIT_VERSION)
RELAX_OPT(opt_omit_period, ELT_RELAX_OMIT_PERIOD)
RELAX_OPT(opt_deep, ELT_RELAX_DEEP_DIRS)
RELAX_OPT(opt_lowercase, ELT_RELAX_LOWERCASE)
RELAX_OPT(opt_multidot, ELT_RELAX_MULTIDOT)
RELAX_OPT(opt_relaxed, ELT_RELAX_RELAXED_CHARS)
RELAX_OPT(opt_no_translate, ELT_RELAX_NO_TRANSLATE)
/* -max-iso9660-filenames forces -l and -N in genisoimage. */
RELAX_OPT(opt_max_names, ELT_RELAX_MAX_NAMES | ELT_RELAX_LONG_NAMES |
	ELT_RELAX_OMIT_VERSION)
/* -U forces -l -d -N -allow-leading-dots -relaxed-filenames
 * -allow-lowercase -allow-multidot. */
RELAX_OPT(opt_untranslated, RELAX_U | ELT_RELAX_UNTRANSLATED)

/* ------------------------------------------------------------------
 * Sources, excludes, hiding
 */
static int opt_graft_points(struct cli_state *st, const char *a)
{
	(void)a;
	st->graft_points = 1;
	return 0;
}

static int opt_path_list(struct cli_state *st, const char *a)
{
	st->path_list = a;
	return 0;
}

static int opt_exclude(struct cli_state *st, const char *a)
{
	return add_pattern(st, CLI_PAT_EXCLUDE, 0, a);
}

static int opt_exclude_list(struct cli_state *st, const char *a)
{
	return add_pattern(st, CLI_PAT_EXCLUDE, 1, a);
}

static int opt_hide(struct cli_state *st, const char *a)
{
	return add_pattern(st, CLI_PAT_HIDE, 0, a);
}

static int opt_hide_list(struct cli_state *st, const char *a)
{
	return add_pattern(st, CLI_PAT_HIDE, 1, a);
}

static int opt_hidden(struct cli_state *st, const char *a)
{
	return add_pattern(st, CLI_PAT_HIDDEN, 0, a);
}

static int opt_hidden_list(struct cli_state *st, const char *a)
{
	return add_pattern(st, CLI_PAT_HIDDEN, 1, a);
}

/* genisoimage turns Joliet on when anything is hidden from it. */
static int opt_hide_joliet(struct cli_state *st, const char *a)
{
	st->opts.ext |= ELT_EXT_JOLIET;
	return add_pattern(st, CLI_PAT_HIDE_JOLIET, 0, a);
}

static int opt_hide_joliet_list(struct cli_state *st, const char *a)
{
	st->opts.ext |= ELT_EXT_JOLIET;
	return add_pattern(st, CLI_PAT_HIDE_JOLIET, 1, a);
}

static int opt_sort(struct cli_state *st, const char *a)
{
	return add_pattern(st, CLI_PAT_SORT, 1, a);
}

#define ADD_FLAG_OPT(fn, set, clear) \
	static int fn(struct cli_state *st, const char *a) \
	{ (void)a; st->add_flags = (st->add_flags & ~(unsigned)(clear)) | \
	  (set); return 0; }

ADD_FLAG_OPT(opt_no_bak, ELT_ADD_NO_BAK, 0)
ADD_FLAG_OPT(opt_follow, ELT_ADD_FOLLOW_LINKS, 0)
ADD_FLAG_OPT(opt_cache_inodes, 0, ELT_ADD_NO_CACHE_INODES)
ADD_FLAG_OPT(opt_no_cache_inodes, ELT_ADD_NO_CACHE_INODES, 0)
ADD_FLAG_OPT(opt_skip_unreadable, ELT_ADD_SKIP_UNREADABLE, 0)

/* ------------------------------------------------------------------
 * Attributes (Rock Ridge)
 */
static int parse_mode(struct cli_state *st, const char *a, const char *what,
                      int32_t *out)
{
	long v;

	if (parse_num(a, 8, 0, 07777, &v) < 0)
		return fail(st, "%s: bad mode '%s'", what, a);
	*out = (int32_t)v;
	return 0;
}

/* -dir-mode, -file-mode, -uid and -gid switch Rock Ridge on in
 * genisoimage. */
static int opt_dir_mode(struct cli_state *st, const char *a)
{
	st->opts.ext |= ELT_EXT_ROCKRIDGE;
	return parse_mode(st, a, "-dir-mode", &st->opts.dir_mode);
}

static int opt_file_mode(struct cli_state *st, const char *a)
{
	st->opts.ext |= ELT_EXT_ROCKRIDGE;
	return parse_mode(st, a, "-file-mode", &st->opts.file_mode);
}

static int opt_new_dir_mode(struct cli_state *st, const char *a)
{
	return parse_mode(st, a, "-new-dir-mode", &st->opts.new_dir_mode);
}

static int parse_id(struct cli_state *st, const char *a, const char *what,
                    int64_t *out)
{
	long v;

	if (parse_num(a, 0, 0, INT32_MAX, &v) < 0)
		return fail(st, "%s: bad value '%s'", what, a);
	*out = v;
	st->opts.ext |= ELT_EXT_ROCKRIDGE;
	return 0;
}

static int opt_uid(struct cli_state *st, const char *a)
{
	return parse_id(st, a, "-uid", &st->opts.uid);
}

static int opt_gid(struct cli_state *st, const char *a)
{
	return parse_id(st, a, "-gid", &st->opts.gid);
}

static int opt_rock(struct cli_state *st, const char *a)
{
	(void)a;
	st->opts.ext |= ELT_EXT_ROCKRIDGE;
	return 0;
}

/* -r stays in force when -R follows, as in genisoimage. */
static int opt_rational_rock(struct cli_state *st, const char *a)
{
	(void)a;
	st->opts.ext |= ELT_EXT_ROCKRIDGE;
	st->opts.rr_mode = ELT_RR_RATIONAL;
	return 0;
}

static int opt_hide_rr_moved(struct cli_state *st, const char *a)
{
	(void)a;
	st->opts.flags |= ELT_WRITE_HIDE_RR_MOVED;
	return 0;
}

static int opt_no_split_sl_comp(struct cli_state *st, const char *a)
{
	(void)a;
	st->opts.flags |= ELT_WRITE_RR_NO_SPLIT_COMPONENTS;
	return 0;
}

static int opt_no_split_sl_field(struct cli_state *st, const char *a)
{
	(void)a;
	st->opts.flags |= ELT_WRITE_RR_NO_SPLIT_FIELDS;
	return 0;
}

/* -hide-joliet-trans-tbl: without -T it has no effect, and it does not
 * switch Joliet on (genisoimage 1.1.11). */
static int opt_hide_trans_tbl(struct cli_state *st, const char *a)
{
	(void)a;
	st->opts.flags |= ELT_WRITE_HIDE_JOLIET_TRANS;
	return 0;
}

/* -T: tables named TRANS.TBL unless -table-name named them already. */
static int opt_trans_tbl(struct cli_state *st, const char *a)
{
	(void)a;
	if (!st->opts.trans_tbl)
		st->opts.trans_tbl = CLI_TRANS_TBL_DEFAULT;
	return 0;
}

/* -table-name NAME: implies -T (genisoimage 1.1.11). */
static int opt_table_name(struct cli_state *st, const char *a)
{
	st->opts.trans_tbl = a;
	return 0;
}

/* ------------------------------------------------------------------
 * Joliet and character sets
 */
static int opt_joliet(struct cli_state *st, const char *a)
{
	(void)a;
	st->opts.ext |= ELT_EXT_JOLIET;
	return 0;
}

static int opt_joliet_long(struct cli_state *st, const char *a)
{
	(void)a;
	st->opts.ext |= ELT_EXT_JOLIET;
	st->opts.flags |= ELT_WRITE_JOLIET_LONG;
	return 0;
}

static int opt_ucs_level(struct cli_state *st, const char *a)
{
	long v;

	if (parse_num(a, 10, 1, 3, &v) < 0)
		return fail(st, "-ucs-level: illegal level '%s', use 1..3", a);
	st->opts.ucs_level = (int)v;
	return 0;
}

/* The charset of names on disk, any name iconv knows; the library
 * checks it when the image is planned. */
static int opt_input_charset(struct cli_state *st, const char *a)
{
	if (!*a)
		return fail(st, "-input-charset: empty charset name");
	st->input_charset = a;
	st->opts.input_charset = a;
	return 0;
}

static int opt_jcharset(struct cli_state *st, const char *a)
{
	st->opts.ext |= ELT_EXT_JOLIET;
	return opt_input_charset(st, a);
}

/* ------------------------------------------------------------------
 * Output and messages
 */
static int opt_output(struct cli_state *st, const char *a)
{
	if (!*a)
		return fail(st, "-o: empty file name");
	st->output = a;
	return 0;
}

static int opt_pad(struct cli_state *st, const char *a)
{
	(void)a;
	st->opts.pad_blocks = CLI_PAD_BLOCKS;
	return 0;
}

static int opt_no_pad(struct cli_state *st, const char *a)
{
	(void)a;
	st->opts.pad_blocks = 0;
	return 0;
}

static int opt_print_size(struct cli_state *st, const char *a)
{
	(void)a;
	st->print_size = 1;
	return 0;
}

static int opt_quiet(struct cli_state *st, const char *a)
{
	(void)a;
	st->verbose = 0;
	return 0;
}

static int opt_verbose(struct cli_state *st, const char *a)
{
	(void)a;
	st->verbose++;
	return 0;
}

static int opt_gui(struct cli_state *st, const char *a)
{
	(void)a;
	st->gui = 1;
	return 0;
}

static int opt_log_file(struct cli_state *st, const char *a)
{
	st->log_file = a;
	return 0;
}

/* -help and -version end parsing at once, as in genisoimage. */
static int opt_help(struct cli_state *st, const char *a)
{
	(void)a;
	st->action = CLI_ACT_HELP;
	return 1;
}

static int opt_version(struct cli_state *st, const char *a)
{
	(void)a;
	st->action = CLI_ACT_VERSION;
	return 1;
}

static int opt_print_man(struct cli_state *st, const char *a)
{
	(void)a;
	st->action = CLI_ACT_PRINT_MAN;
	return 1;
}

/* ------------------------------------------------------------------
 * El Torito: order-sensitive, as in mkisofs. Options edit the current
 * entry, creating it if there is none; -eltorito-alt-boot starts a new
 * one.
 */
static elt_boot_entry *new_boot(struct cli_state *st)
{
	static const elt_boot_entry init = ELT_BOOT_ENTRY_INIT;

	st->boot_opts_seen = 1;
	if (st->nboot == CLI_MAX_BOOT) {
		fail(st, "too many El Torito boot entries (at most %d)",
		     CLI_MAX_BOOT);
		return NULL;
	}
	st->boot[st->nboot] = init;
	st->cur_boot = st->nboot++;
	return &st->boot[st->cur_boot];
}

static elt_boot_entry *cur_boot(struct cli_state *st)
{
	st->boot_opts_seen = 1;
	if (st->cur_boot < 0)
		return new_boot(st);
	return &st->boot[st->cur_boot];
}

static int opt_boot(struct cli_state *st, const char *a)
{
	elt_boot_entry *e = cur_boot(st);

	if (!e)
		return -1;
	if (!*a)
		return fail(st, "-b: empty boot image path");
	e->image_path = a;
	return 0;
}

static int opt_efi_boot(struct cli_state *st, const char *a)
{
	elt_boot_entry *e = cur_boot(st);

	if (!e)
		return -1;
	if (!*a)
		return fail(st, "-e: empty boot image path");
	e->image_path = a;
	e->platform = ELT_PLATFORM_EFI;
	return 0;
}

static int opt_alt_boot(struct cli_state *st, const char *a)
{
	(void)a;
	return new_boot(st) ? 0 : -1;
}

#define BOOT_OPT(fn, stmt) \
	static int fn(struct cli_state *st, const char *a) \
	{ elt_boot_entry *e = cur_boot(st); (void)a; \
	  if (!e) \
		return -1; \
	  stmt; \
	  return 0; }

BOOT_OPT(opt_no_emul_boot, e->emulation = ELT_EMUL_NONE)
BOOT_OPT(opt_hard_disk_boot, e->emulation = ELT_EMUL_HDD)
BOOT_OPT(opt_no_boot, e->flags |= ELT_BOOT_NOT_BOOTABLE)
BOOT_OPT(opt_boot_info_table, e->flags |= ELT_BOOT_INFO_TABLE)
BOOT_OPT(opt_grub2_boot_info, e->flags |= ELT_BOOT_GRUB2_INFO)

static int opt_boot_load_seg(struct cli_state *st, const char *a)
{
	elt_boot_entry *e = cur_boot(st);
	long v;

	if (!e)
		return -1;
	if (parse_num(a, 0, 0, BOOT_WORD_MAX, &v) < 0)
		return fail(st, "-boot-load-seg: invalid load segment '%s'", a);
	e->load_segment = (uint16_t)v;
	return 0;
}

static int opt_boot_load_size(struct cli_state *st, const char *a)
{
	elt_boot_entry *e = cur_boot(st);
	long v;

	if (!e)
		return -1;
	if (parse_num(a, 0, 0, BOOT_WORD_MAX, &v) < 0)
		return fail(st, "-boot-load-size: invalid sector count '%s'", a);
	e->load_sectors = (uint16_t)v;
	return 0;
}

/* Platform names as xorriso's mkisofs emulation spells them. */
static int opt_platform(struct cli_state *st, const char *a)
{
	static const struct { const char *name; int id; } names[] = {
		{ "x86", ELT_PLATFORM_X86 }, { "PPC", ELT_PLATFORM_PPC },
		{ "Mac", ELT_PLATFORM_MAC }, { "efi", ELT_PLATFORM_EFI },
	};
	elt_boot_entry *e = cur_boot(st);
	size_t i;
	long v;

	if (!e)
		return -1;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(a, names[i].name) == 0) {
			e->platform = names[i].id;
			return 0;
		}
	if (parse_num(a, 0, 0, 0xFF, &v) < 0)
		return fail(st, "-eltorito-platform: unknown platform '%s' "
		            "(x86, PPC, Mac, efi or 0x00..0xff)", a);
	e->platform = (int)v;
	return 0;
}

static int opt_catalog(struct cli_state *st, const char *a)
{
	st->boot_opts_seen = 1;
	if (!*a)
		return fail(st, "-c: empty boot catalog path");
	st->catalog = a;
	return 0;
}

static int opt_generic_boot(struct cli_state *st, const char *a)
{
	st->generic_boot = a;
	return 0;
}

/* ------------------------------------------------------------------
 * Burning (values checked by main.c through cli/burn.c)
 */
static int opt_burn(struct cli_state *st, const char *a)
{
	st->burn.drive = a;
	return 0;
}

static int opt_devices(struct cli_state *st, const char *a)
{
	(void)a;
	st->burn.devices = 1;
	st->action = CLI_ACT_DEVICES;
	return 0;
}

static int opt_speed(struct cli_state *st, const char *a)
{
	st->burn_opts_seen = 1;
	st->speed_arg = a;
	return 0;
}

static int opt_blank(struct cli_state *st, const char *a)
{
	st->burn_opts_seen = 1;
	st->blank_arg = a;
	return 0;
}

#define BURN_FLAG(fn, field) \
	static int fn(struct cli_state *st, const char *a) \
	{ (void)a; st->burn_opts_seen = 1; st->burn.field = 1; return 0; }

BURN_FLAG(opt_dummy, dummy)
BURN_FLAG(opt_eject, eject)
BURN_FLAG(opt_multi, multi)
BURN_FLAG(opt_verify, verify)

/* ------------------------------------------------------------------
 * The table, sorted by name (strcmp). Rows with CLI_F_NOTIMPL are the
 * rest of genisoimage 1.1.11's options: recognised, refused.
 */
#define NI CLI_F_NOTIMPL
#define D2 CLI_F_DASH2
#define EXT CLI_F_EXT
const struct cli_opt cli_options[] = {
	{ "XA", NULL, CLI_NONE, NULL, NULL,
	  "Generate XA directory attributes", NI },
	{ "abstract", NULL, CLI_STR, opt_abstract, "FILE",
	  "Set Abstract filename", 0 },
	{ "allow-leading-dots", "L", CLI_NONE, opt_leading_dots, NULL,
	  "Allow ISO9660 filenames to start with '.' (violates ISO9660)", 0 },
	{ "allow-limited-size", NULL, CLI_NONE, NULL, NULL,
	  "Allow different file sizes in ISO9660/UDF on large files", NI },
	{ "allow-lowercase", NULL, CLI_NONE, opt_lowercase, NULL,
	  "Allow lower case characters in addition to the current character "
	  "set (violates ISO9660)", 0 },
	{ "allow-multidot", NULL, CLI_NONE, opt_multidot, NULL,
	  "Allow more than one dot in filenames (e.g. .tar.gz) "
	  "(violates ISO9660)", 0 },
	{ "alpha-boot", NULL, CLI_PATH, NULL, "FILE",
	  "Set alpha boot image name", NI },
	{ "appid", "A", CLI_STR, opt_appid, "ID",
	  "Set Application ID", 0 },
	{ "apple", "g", CLI_NONE, NULL, NULL,
	  "Add Apple ISO9660 extensions", NI },
	{ "auto", NULL, CLI_PATH, NULL, "FILE",
	  "Set HFS AutoStart file name", NI },
	{ "biblio", NULL, CLI_STR, opt_biblio, "FILE",
	  "Set Bibliographic filename", 0 },
	{ "blank", NULL, CLI_STR, opt_blank, "fast|all",
	  "Blank a rewritable medium before burning", D2 | EXT },
	{ "boot-hfs-file", NULL, CLI_PATH, NULL, "FILE",
	  "Set HFS boot image name", NI },
	{ "boot-info-table", NULL, CLI_NONE, opt_boot_info_table, NULL,
	  "Patch boot image with info table", 0 },
	{ "boot-load-seg", NULL, CLI_INT, opt_boot_load_seg, "#",
	  "Set load segment for boot image", 0 },
	{ "boot-load-size", NULL, CLI_INT, opt_boot_load_size, "#",
	  "Set numbers of load sectors", 0 },
	{ "burn", NULL, CLI_STR, opt_burn, "DRIVE",
	  "Burn the image to DRIVE through libburn instead of writing a file",
	  D2 | EXT },
	{ "cache-inodes", NULL, CLI_NONE, opt_cache_inodes, NULL,
	  "Cache inodes (needed to detect hard links)", 0 },
	{ "cap", NULL, CLI_NONE, NULL, NULL,
	  "Look for AUFS CAP Macintosh files", NI | D2 },
	{ "cdrecord-params", "C", CLI_STR, NULL, "PARAMS",
	  "Magic parameters from cdrecord", NI },
	{ "check-oldnames", NULL, CLI_NONE, NULL, NULL,
	  "Check all imported ISO9660 names from old session", NI },
	{ "check-session", NULL, CLI_PATH, NULL, "FILE",
	  "Check all ISO9660 names from previous session", NI },
	{ "checksum_algorithm_iso", NULL, CLI_STR, NULL, "alg1,alg2,...",
	  "Specify the checksum types desired for the output image", NI },
	{ "checksum_algorithm_template", NULL, CLI_STR, NULL, "alg1,alg2,...",
	  "Specify the checksum types desired for the output jigdo template",
	  NI },
	{ "chrp-boot", NULL, CLI_NONE, NULL, NULL,
	  "Add CHRP boot header", NI },
	{ "cluster-size", NULL, CLI_INT, NULL, "SIZE",
	  "Cluster size for PC Exchange Macintosh files", NI },
	{ "copyright", NULL, CLI_STR, opt_copyright, "FILE",
	  "Set Copyright filename", 0 },
	{ "dave", NULL, CLI_NONE, NULL, NULL,
	  "Look for DAVE Macintosh files", NI | D2 },
	{ "debug", NULL, CLI_NONE, NULL, NULL,
	  "Set debug flag", NI },
	{ "dev", NULL, CLI_STR, NULL, "SCSIdev",
	  "Set path to previous session to merge", NI },
	{ "devices", NULL, CLI_NONE, opt_devices, NULL,
	  "List the drives libburn can use and exit", D2 | EXT },
	{ "dir-mode", NULL, CLI_STR, opt_dir_mode, "mode",
	  "Make the mode of all directories this mode (turns on -R)", 0 },
	{ "disable-deep-relocation", "D", CLI_NONE, opt_deep, NULL,
	  "Disable deep directory relocation (violates ISO9660)", 0 },
	{ "double", NULL, CLI_NONE, NULL, NULL,
	  "Look for AppleDouble Macintosh files", NI | D2 },
	{ "dummy", NULL, CLI_NONE, opt_dummy, NULL,
	  "Simulate burning with the laser off", D2 | EXT },
	{ "dvd-video", NULL, CLI_NONE, NULL, NULL,
	  "Generate DVD-Video compliant UDF file system", NI },
	{ "efi-boot", "e", CLI_PATH, opt_efi_boot, "FILE",
	  "Set EFI boot image name (an El Torito entry for platform 0xEF)", 0 },
	{ "eject", NULL, CLI_NONE, opt_eject, NULL,
	  "Eject the medium after burning", D2 | EXT },
	{ "eltorito-alt-boot", NULL, CLI_NONE, opt_alt_boot, NULL,
	  "Start specifying alternative El Torito boot parameters", 0 },
	{ "eltorito-boot", "b", CLI_PATH, opt_boot, "FILE",
	  "Set El Torito boot image name", 0 },
	{ "eltorito-catalog", "c", CLI_PATH, opt_catalog, "FILE",
	  "Set El Torito boot catalog name", 0 },
	{ "eltorito-platform", NULL, CLI_STR, opt_platform, "ID",
	  "Set the platform of the current boot entry: x86, PPC, Mac, efi "
	  "or a number", EXT },
	{ "ethershare", NULL, CLI_NONE, NULL, NULL,
	  "Look for Helios EtherShare Macintosh files", NI | D2 },
	{ "exchange", NULL, CLI_NONE, NULL, NULL,
	  "Look for PC Exchange Macintosh files", NI | D2 },
	{ "exclude", "m", CLI_STR, opt_exclude, "GLOBFILE",
	  "Exclude file name", 0 },
	{ "exclude-list", NULL, CLI_PATH, opt_exclude_list, "FILE",
	  "File with list of file names to exclude", 0 },
	{ "file-mode", NULL, CLI_STR, opt_file_mode, "mode",
	  "Make the mode of all plain files this mode (turns on -R)", 0 },
	{ "follow-links", "f", CLI_NONE, opt_follow, NULL,
	  "Follow symbolic links", 0 },
	{ "force-rr", NULL, CLI_NONE, NULL, NULL,
	  "Inhibit automatic Rock Ridge detection for previous session", NI },
	{ "full-iso9660-filenames", "l", CLI_NONE, opt_full_names, NULL,
	  "Allow full 31 character filenames for ISO9660 names", 0 },
	{ "generic-boot", "G", CLI_PATH, opt_generic_boot, "FILE",
	  "Set generic boot image name (the 32 KiB system area)", 0 },
	{ "gid", NULL, CLI_STR, opt_gid, "gid",
	  "Make the group owner of all files this gid (turns on -R)", 0 },
	{ "graft-points", NULL, CLI_NONE, opt_graft_points, NULL,
	  "Allow to use graft points for filenames", 0 },
	{ "grub2-boot-info", NULL, CLI_NONE, opt_grub2_boot_info, NULL,
	  "Patch the boot image with its GRUB2 boot information", D2 | EXT },
	{ "gui", NULL, CLI_NONE, opt_gui, NULL,
	  "Switch behaviour for GUI (progress every 500 blocks)", 0 },
	{ "hard-disk-boot", NULL, CLI_NONE, opt_hard_disk_boot, NULL,
	  "Boot image is a hard disk image", 0 },
	{ "help", NULL, CLI_NONE, opt_help, NULL,
	  "Print option help", 0 },
	{ "hfs", "h", CLI_NONE, NULL, NULL,
	  "Create ISO9660/HFS hybrid", NI },
	{ "hfs-bless", NULL, CLI_STR, NULL, "FOLDER_NAME",
	  "Name of Folder to be blessed", NI },
	{ "hfs-creator", NULL, CLI_STR, NULL, "CREATOR",
	  "Set HFS default CREATOR", NI },
	{ "hfs-parms", NULL, CLI_STR, NULL, "PARAMETERS",
	  "Comma separated list of HFS parameters", NI },
	{ "hfs-type", NULL, CLI_STR, NULL, "TYPE",
	  "Set HFS default TYPE", NI },
	{ "hfs-unlock", NULL, CLI_NONE, NULL, NULL,
	  "Leave HFS Volume unlocked", NI },
	{ "hfs-volid", NULL, CLI_STR, NULL, "HFS_VOLID",
	  "Volume name for the HFS partition", NI },
	{ "hidden", NULL, CLI_STR, opt_hidden, "GLOBFILE",
	  "Set hidden attribute on ISO9660 file", 0 },
	{ "hidden-list", NULL, CLI_PATH, opt_hidden_list, "FILE",
	  "File with list of ISO9660 files with hidden attribute", 0 },
	{ "hide", NULL, CLI_STR, opt_hide, "GLOBFILE",
	  "Hide ISO9660/RR file", 0 },
	{ "hide-hfs", NULL, CLI_STR, NULL, "GLOBFILE",
	  "Hide HFS file", NI },
	{ "hide-hfs-list", NULL, CLI_PATH, NULL, "FILE",
	  "List of HFS files to hide", NI },
	{ "hide-joliet", NULL, CLI_STR, opt_hide_joliet, "GLOBFILE",
	  "Hide Joliet file (turns on -J)", 0 },
	{ "hide-joliet-list", NULL, CLI_PATH, opt_hide_joliet_list, "FILE",
	  "File with list of Joliet files to hide (turns on -J)", 0 },
	{ "hide-joliet-trans-tbl", NULL, CLI_NONE, opt_hide_trans_tbl, NULL,
	  "Hide TRANS.TBL from Joliet tree", 0 },
	{ "hide-list", NULL, CLI_PATH, opt_hide_list, "FILE",
	  "File with list of ISO9660/RR files to hide", 0 },
	{ "hide-rr-moved", NULL, CLI_NONE, opt_hide_rr_moved, NULL,
	  "Rename RR_MOVED to .rr_moved in Rock Ridge tree", 0 },
	{ "hppa-bootloader", NULL, CLI_PATH, NULL, "FILE",
	  "Set hppa boot loader file name", NI },
	{ "hppa-cmdline", NULL, CLI_STR, NULL, "CMDLINE",
	  "Set hppa boot command line", NI },
	{ "hppa-kernel-32", NULL, CLI_PATH, NULL, "FILE",
	  "Set hppa 32-bit image name", NI },
	{ "hppa-kernel-64", NULL, CLI_PATH, NULL, "FILE",
	  "Set hppa 64-bit image name", NI },
	{ "hppa-ramdisk", NULL, CLI_PATH, NULL, "FILE",
	  "Set hppa ramdisk file name", NI },
	{ "i", "i", CLI_STR, NULL, "ADD_FILES",
	  "No longer supported", NI },
	{ "icon-position", NULL, CLI_NONE, NULL, NULL,
	  "Keep HFS icon position", NI },
	{ "input-charset", NULL, CLI_STR, opt_input_charset, "CHARSET",
	  "Local input charset for file name conversion", 0 },
	{ "input-hfs-charset", NULL, CLI_STR, NULL, "CHARSET",
	  "Local input charset for HFS file name conversion", NI },
	{ "iso-level", NULL, CLI_INT, opt_iso_level, "LEVEL",
	  "Set ISO9660 conformance level (1..3) or 4 for ISO9660 version 2",
	  0 },
	{ "jcharset", NULL, CLI_STR, opt_jcharset, "CHARSET",
	  "Local charset for Joliet directory information (turns on -J)", 0 },
	{ "jigdo-exclude", NULL, CLI_STR, NULL, "PATTERN",
	  "Pattern(s) to exclude from the jigdo file", NI },
	{ "jigdo-force-md5", NULL, CLI_STR, NULL, "PATTERN",
	  "Pattern(s) where files MUST match an externally-supplied MD5sum",
	  NI },
	{ "jigdo-jigdo", NULL, CLI_PATH, NULL, "FILE",
	  "Produce a jigdo .jigdo file as well as the .iso", NI },
	{ "jigdo-map", NULL, CLI_STR, NULL, "PATTERN1=PATTERN2",
	  "Pattern(s) to map paths (e.g. Debian=/mirror/debian)", NI },
	{ "jigdo-min-file-size", NULL, CLI_INT, NULL, "SIZE",
	  "Minimum size for a file to be listed in the jigdo file", NI },
	{ "jigdo-template", NULL, CLI_PATH, NULL, "FILE",
	  "Produce a jigdo .template file as well as the .iso", NI },
	{ "jigdo-template-compress", NULL, CLI_STR, NULL, "ALGORITHM",
	  "Choose to use gzip or bzip2 compression for template data", NI },
	{ "joliet", "J", CLI_NONE, opt_joliet, NULL,
	  "Generate Joliet directory information", 0 },
	{ "joliet-long", NULL, CLI_NONE, opt_joliet_long, NULL,
	  "Allow Joliet file names to be 103 Unicode characters", 0 },
	{ "ldots", NULL, CLI_NONE, opt_leading_dots, NULL,
	  "Allow ISO9660 filenames to start with '.' (violates ISO9660)", 0 },
	{ "log-file", NULL, CLI_PATH, opt_log_file, "LOG_FILE",
	  "Re-direct messages to LOG_FILE", 0 },
	{ "mac-name", NULL, CLI_NONE, NULL, NULL,
	  "Use Macintosh name for ISO9660/Joliet/RockRidge file name", NI },
	{ "macbin", NULL, CLI_NONE, NULL, NULL,
	  "Look for MacBinary Macintosh files", NI | D2 },
	{ "magic", NULL, CLI_PATH, NULL, "FILE",
	  "Magic file for HFS TYPE/CREATOR", NI },
	{ "map", "H", CLI_PATH, NULL, "MAPPING_FILE",
	  "Map file extensions to HFS TYPE/CREATOR", NI },
	{ "max-iso9660-filenames", NULL, CLI_NONE, opt_max_names, NULL,
	  "Allow 37 character filenames for ISO9660 names (violates ISO9660)",
	  0 },
	{ "md5-list", NULL, CLI_PATH, NULL, "FILE",
	  "File containing MD5 sums of the files that should be checked", NI },
	{ "mips-boot", NULL, CLI_PATH, NULL, "FILE",
	  "Set mips boot image name", NI },
	{ "mipsel-boot", NULL, CLI_PATH, NULL, "FILE",
	  "Set mipsel boot image name", NI },
	{ "multi", NULL, CLI_NONE, opt_multi, NULL,
	  "Keep the medium appendable after burning", D2 | EXT },
	{ "netatalk", NULL, CLI_NONE, NULL, NULL,
	  "Look for NETATALK Macintosh files", NI | D2 },
	{ "new-dir-mode", NULL, CLI_STR, opt_new_dir_mode, "mode",
	  "Mode used when creating new directories", 0 },
	{ "no-bak", NULL, CLI_NONE, opt_no_bak, NULL,
	  "Do not include backup files", 0 },
	{ "no-boot", NULL, CLI_NONE, opt_no_boot, NULL,
	  "Boot image is not bootable", 0 },
	{ "no-cache-inodes", NULL, CLI_NONE, opt_no_cache_inodes, NULL,
	  "Do not cache inodes (if filesystem has no unique inodes)", 0 },
	{ "no-desktop", NULL, CLI_NONE, NULL, NULL,
	  "Do not create the HFS (empty) Desktop files", NI },
	{ "no-emul-boot", NULL, CLI_NONE, opt_no_emul_boot, NULL,
	  "Boot image is 'no emulation' image", 0 },
	{ "no-iso-translate", NULL, CLI_NONE, opt_no_translate, NULL,
	  "Do not translate illegal ISO characters '~', '-' and '#' "
	  "(violates ISO9660)", 0 },
	{ "no-mac-files", NULL, CLI_NONE, NULL, NULL,
	  "Do not look for Unix/Mac files (deprecated)", NI },
	{ "no-pad", NULL, CLI_NONE, opt_no_pad, NULL,
	  "Do not pad output with 150 zero blocks", 0 },
	{ "no-rr", NULL, CLI_NONE, NULL, NULL,
	  "Inhibit reading of Rock Ridge attributes from previous session",
	  NI },
	{ "no-split-symlink-components", NULL, CLI_NONE, opt_no_split_sl_comp,
	  NULL,
	  "Inhibit splitting symlink components", 0 },
	{ "no-split-symlink-fields", NULL, CLI_NONE, opt_no_split_sl_field,
	  NULL,
	  "Inhibit splitting symlink fields", 0 },
	{ "nobak", NULL, CLI_NONE, opt_no_bak, NULL,
	  "Do not include backup files", 0 },
	{ "old-exclude", "x", CLI_STR, opt_exclude, "FILE",
	  "Exclude file name (deprecated)", 0 },
	{ "old-root", NULL, CLI_STR, NULL, "DIR",
	  "Set root directory in previous session that is searched for files",
	  NI },
	{ "omit-period", "d", CLI_NONE, opt_omit_period, NULL,
	  "Omit trailing periods from filenames (violates ISO9660)", 0 },
	{ "omit-version-number", "N", CLI_NONE, opt_omit_version, NULL,
	  "Omit version number from ISO9660 filename (violates ISO9660)", 0 },
	{ "osx-double", NULL, CLI_NONE, NULL, NULL,
	  "Look for MacOS X AppleDouble Macintosh files", NI | D2 },
	{ "osx-hfs", NULL, CLI_NONE, NULL, NULL,
	  "Look for MacOS X HFS Macintosh files", NI | D2 },
	{ "output", "o", CLI_PATH, opt_output, "FILE",
	  "Set output file name (default: standard output)", 0 },
	{ "output-charset", NULL, CLI_STR, NULL, "CHARSET",
	  "Output charset for file name conversion", NI },
	{ "output-hfs-charset", NULL, CLI_STR, NULL, "CHARSET",
	  "Output charset for HFS file name conversion", NI },
	{ "pad", NULL, CLI_NONE, opt_pad, NULL,
	  "Pad output with 150 zero blocks (default)", 0 },
	{ "part", NULL, CLI_NONE, NULL, NULL,
	  "Generate HFS partition table", NI },
	{ "path-list", NULL, CLI_PATH, opt_path_list, "FILE",
	  "File with list of pathnames to process", 0 },
	{ "prep-boot", NULL, CLI_PATH, NULL, "FILE",
	  "PReP boot image file -- up to 4 are allowed", NI },
	{ "preparer", "p", CLI_STR, opt_preparer, "PREP",
	  "Set Volume preparer", 0 },
	{ "prev-session", "M", CLI_PATH, NULL, "FILE",
	  "Set path to previous session to merge", NI },
	{ "print-man", NULL, CLI_NONE, opt_print_man, NULL,
	  "Print the manual page (roff) and exit", D2 | CLI_F_HIDDEN | EXT },
	{ "print-size", NULL, CLI_NONE, opt_print_size, NULL,
	  "Print estimated filesystem size and exit", 0 },
	{ "probe", NULL, CLI_NONE, NULL, NULL,
	  "Probe all files for Apple/Unix file types", NI },
	{ "publisher", "P", CLI_STR, opt_publisher, "PUB",
	  "Set Volume publisher", 0 },
	{ "quiet", NULL, CLI_NONE, opt_quiet, NULL,
	  "Run quietly", 0 },
	{ "rational-rock", "r", CLI_NONE, opt_rational_rock, NULL,
	  "Generate rationalized Rock Ridge directory information", 0 },
	{ "relaxed-filenames", NULL, CLI_NONE, opt_relaxed, NULL,
	  "Allow 7 bit ASCII except lower case characters (violates ISO9660)",
	  0 },
	{ "rock", "R", CLI_NONE, opt_rock, NULL,
	  "Generate Rock Ridge directory information", 0 },
	{ "root", NULL, CLI_STR, NULL, "DIR",
	  "Set root directory for all new files and directories", NI },
	{ "root-info", NULL, CLI_PATH, NULL, "FILE",
	  "finderinfo for root folder", NI },
	{ "sectype", "s", CLI_STR, NULL, "TYPE",
	  "Set output sector type to e.g. data/xa1/raw", NI },
	{ "sfm", NULL, CLI_NONE, NULL, NULL,
	  "Look for SFM Macintosh files", NI | D2 },
	{ "sgi", NULL, CLI_NONE, NULL, NULL,
	  "Look for SGI Macintosh files", NI | D2 },
	{ "single", NULL, CLI_NONE, NULL, NULL,
	  "Look for AppleSingle Macintosh files", NI | D2 },
	{ "skip-unreadable", NULL, CLI_NONE, opt_skip_unreadable, NULL,
	  "Leave unreadable files out with a warning instead of failing",
	  D2 | EXT },
	{ "sort", NULL, CLI_PATH, opt_sort, "FILE",
	  "Sort file content locations according to rules in FILE", 0 },
	{ "sparc-boot", "B", CLI_STR, NULL, "FILES",
	  "Set sparc boot image names", NI },
	{ "sparc-label", NULL, CLI_STR, NULL, "label text",
	  "Set sparc boot disk label", NI },
	{ "speed", NULL, CLI_STR, opt_speed, "N|Nx|max",
	  "Burn speed in kB/s, as a multiple (Nx) or max", D2 | EXT },
	{ "split-output", NULL, CLI_NONE, NULL, NULL,
	  "Split output into files of approx. 1GB size", NI },
	{ "stream-file-name", NULL, CLI_STR, NULL, "FILE_NAME",
	  "Set the stream file ISO9660 name (incl. version)", NI },
	{ "stream-media-size", NULL, CLI_INT, NULL, "#",
	  "Set the size of your CD media in sectors", NI },
	{ "sunx86-boot", NULL, CLI_STR, NULL, "FILES",
	  "Set sunx86 boot image names", NI },
	{ "sunx86-label", NULL, CLI_STR, NULL, "label text",
	  "Set sunx86 boot disk label", NI },
	{ "sysid", NULL, CLI_STR, opt_sysid, "ID",
	  "Set System ID", 0 },
	{ "table-name", NULL, CLI_STR, opt_table_name, "TABLE_NAME",
	  "Translation table file name", 0 },
	{ "translation-table", "T", CLI_NONE, opt_trans_tbl, NULL,
	  "Generate translation tables for systems that don't understand "
	  "long filenames", 0 },
	{ "transparent-compression", "z", CLI_NONE, NULL, NULL,
	  "Enable transparent compression of files", NI },
	{ "ucs-level", NULL, CLI_INT, opt_ucs_level, "LEVEL",
	  "Set Joliet UCS level (1..3)", 0 },
	{ "udf", NULL, CLI_NONE, NULL, NULL,
	  "Generate UDF file system", NI },
	{ "uid", NULL, CLI_STR, opt_uid, "uid",
	  "Make the owner of all files this uid (turns on -R)", 0 },
	{ "untranslated-filenames", "U", CLI_NONE, opt_untranslated, NULL,
	  "Allow Untranslated filenames (violates ISO9660). Forces -l, -d, "
	  "-N, -allow-leading-dots, -relaxed-filenames, -allow-lowercase, "
	  "-allow-multidot", 0 },
	{ "use-fileversion", NULL, CLI_NONE, NULL, NULL,
	  "Use file version # from filesystem", NI },
	{ "ushare", NULL, CLI_NONE, NULL, NULL,
	  "Look for IPT UShare Macintosh files", NI | D2 },
	{ "verbose", "v", CLI_NONE, opt_verbose, NULL,
	  "Verbose", 0 },
	{ "verify", NULL, CLI_NONE, opt_verify, NULL,
	  "Read the burnt image back and compare it", D2 | EXT },
	{ "version", NULL, CLI_NONE, opt_version, NULL,
	  "Print the current version", 0 },
	{ "volid", "V", CLI_STR, opt_volid, "ID",
	  "Set Volume ID", 0 },
	{ "volset", NULL, CLI_STR, opt_volset, "ID",
	  "Set Volume set ID", 0 },
	{ "volset-seqno", NULL, CLI_INT, opt_volset_seqno, "#",
	  "Set Volume set sequence number", 0 },
	{ "volset-size", NULL, CLI_INT, opt_volset_size, "#",
	  "Set Volume set size", 0 },
	{ "xa", NULL, CLI_NONE, NULL, NULL,
	  "Generate rationalized XA directory attributes", NI },
	{ "xinet", NULL, CLI_NONE, NULL, NULL,
	  "Look for XINET Macintosh files", NI | D2 },
};
#undef NI
#undef D2
#undef EXT

const size_t cli_noptions = sizeof cli_options / sizeof cli_options[0];

/* ------------------------------------------------------------------
 * Lookup
 */
struct key {
	const char *s;
	size_t len;
};

static int cmp_key(const void *k, const void *e)
{
	const struct key *key = k;
	const struct cli_opt *o = e;
	int c = strncmp(key->s, o->name, key->len);

	if (c)
		return c;
	return o->name[key->len] ? -1 : 0;
}

/* Two rows are one option when they share a handler (-nobak, -no-bak). */
static int same_option(const struct cli_opt *a, const struct cli_opt *b)
{
	return a == b || (a->apply && a->apply == b->apply);
}

/* Unique prefix among the rows with (ext set) or without CLI_F_EXT. */
static const struct cli_opt *find_prefix(const char *name, size_t len,
                                         unsigned int ext, int *ambiguous)
{
	const struct cli_opt *found = NULL;
	size_t i;

	for (i = 0; i < cli_noptions; i++) {
		const struct cli_opt *o = &cli_options[i];

		if ((o->flags & CLI_F_EXT) != ext ||
		    strncmp(o->name, name, len) != 0 || strlen(o->name) == 1)
			continue;
		if (!found)
			found = o;
		else if (!same_option(found, o))
			*ambiguous = 1;
	}
	return found;
}

const struct cli_opt *cli_find_long(const char *name, size_t len,
                                    int *ambiguous)
{
	struct key key = { name, len };
	const struct cli_opt *hit;

	*ambiguous = 0;
	if (len == 0)
		return NULL;
	hit = bsearch(&key, cli_options, cli_noptions, sizeof cli_options[0],
	              cmp_key);
	if (hit)
		return hit;
	/* genisoimage's options first, so that our additions never make
	 * one of its abbreviations ambiguous. */
	hit = find_prefix(name, len, 0, ambiguous);
	if (!hit && !*ambiguous)
		hit = find_prefix(name, len, CLI_F_EXT, ambiguous);
	return *ambiguous ? NULL : hit;
}

const struct cli_opt *cli_find_short(int c)
{
	size_t i;

	for (i = 0; i < cli_noptions; i++) {
		const char *a = cli_options[i].alias;

		if (a && a[0] == c && a[1] == '\0')
			return &cli_options[i];
	}
	return NULL;
}

const char *cli_opt_dashes(const struct cli_opt *o)
{
	return (o->flags & CLI_F_DASH2) ? "--" : "-";
}

/* ------------------------------------------------------------------
 * Parsing
 */
void cli_state_init(struct cli_state *st, const char *argv0)
{
	static const elt_write_opts init = ELT_WRITE_OPTS_INIT;
	const char *slash;

	memset(st, 0, sizeof *st);
	st->prog = "eltorito-mkisofs";
	if (argv0 && *argv0) {
		slash = strrchr(argv0, '/');
		st->prog = slash ? slash + 1 : argv0;
	}
	st->opts = init;
	st->opts.pad_blocks = CLI_PAD_BLOCKS;   /* genisoimage default -pad */
	st->opts.app_id = CLI_APPID_DEFAULT;
	/* a build must fail, not ship a disc whose files changed under it */
	st->opts.flags |= ELT_WRITE_STRICT_INPUTS;
	st->verbose = 1;
	st->cur_boot = -1;
}

void cli_state_free(struct cli_state *st)
{
	free(st->pats);
	st->pats = NULL;
	st->npats = st->pats_cap = 0;
}

static int apply(struct cli_state *st, const struct cli_opt *o,
                 const char *shown, const char *arg)
{
	if (o->flags & CLI_F_NOTIMPL)
		return fail(st, "option '%s' is not implemented in "
		            "eltorito-mkisofs", shown);
	return o->apply(st, arg);
}

/* "-name", "--name", "-name=value", "-name value". *i may advance. */
static int parse_long(struct cli_state *st, int argc, char **argv, int *i,
                      const char *word, const struct cli_opt *o)
{
	const char *eq = strchr(word, '=');
	const char *arg = NULL;
	char shown[64];

	snprintf(shown, sizeof shown, "%s%s", cli_opt_dashes(o), o->name);
	if (o->arg == CLI_NONE) {
		if (eq)
			return fail(st, "option '%s' doesn't allow an argument",
			            shown);
	} else if (eq) {
		arg = eq + 1;
	} else if (*i + 1 < argc) {
		arg = argv[++*i];
	} else {
		return fail(st, "option '%s' requires an argument", shown);
	}
	return apply(st, o, shown, arg);
}

/* A cluster of short options: "-JR", "-ofile", "-o file". */
static int parse_short(struct cli_state *st, int argc, char **argv, int *i)
{
	const char *w = argv[*i];
	size_t j;
	int r;

	for (j = 1; w[j]; j++) {
		const struct cli_opt *o = cli_find_short((unsigned char)w[j]);
		const char *arg = NULL;
		char shown[3] = { '-', w[j], '\0' };

		if (!o)
			return fail(st, "unknown option '-%c'", w[j]);
		if (o->arg != CLI_NONE) {
			if (w[j + 1])
				arg = w + j + 1;
			else if (*i + 1 < argc)
				arg = argv[++*i];
			else
				return fail(st, "option '%s' requires an "
				            "argument", shown);
		}
		r = apply(st, o, shown, arg);
		if (r != 0 || arg)
			return r;
	}
	return 0;
}

/* "option '-vol' is ambiguous; possibilities: -volid -volset ..." */
static int ambiguous(struct cli_state *st, int two, const char *name,
                     size_t len)
{
	size_t i, n;

	fail(st, "option '%.*s%.*s' is ambiguous; possibilities:", two ? 2 : 1,
	     "--", (int)len, name);
	for (i = 0; i < cli_noptions; i++) {
		const struct cli_opt *o = &cli_options[i];

		if (strncmp(o->name, name, len) != 0 || strlen(o->name) == 1 ||
		    (o->flags & CLI_F_HIDDEN))
			continue;
		n = strlen(st->err);
		snprintf(st->err + n, sizeof st->err - n, " %s%s",
		         cli_opt_dashes(o), o->name);
	}
	return -1;
}

static int parse_one(struct cli_state *st, int argc, char **argv, int *i)
{
	const char *w = argv[*i];
	int two = w[1] == '-';
	const char *name = w + (two ? 2 : 1);
	size_t len = strcspn(name, "=");
	const struct cli_opt *o;
	int amb;

	/* A lone letter that is a short option is one (getopt_long_only). */
	if (!two && w[2] == '\0' && cli_find_short((unsigned char)w[1]))
		return parse_short(st, argc, argv, i);
	o = cli_find_long(name, len, &amb);
	if (amb)
		return ambiguous(st, two, name, len);
	if (o)
		return parse_long(st, argc, argv, i, name, o);
	if (!two && cli_find_short((unsigned char)w[1]))
		return parse_short(st, argc, argv, i);
	return fail(st, "unknown option '%s'", w);
}

int cli_parse(struct cli_state *st, int argc, char **argv)
{
	int i, r;

	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (w[0] != '-' || w[1] == '\0')
			break;                 /* first operand */
		if (strcmp(w, "--") == 0) {
			i++;
			break;
		}
		r = parse_one(st, argc, argv, &i);
		if (r < 0)
			return -1;
		if (r > 0)                     /* -help, -version */
			return 0;
	}
	st->sources = argv + i;
	st->nsources = argc - i;
	return 0;
}

/* Entries without an image: a trailing -eltorito-alt-boot is dropped, as
 * genisoimage does; any other one is an error. */
static int finish_boot(struct cli_state *st)
{
	int i;

	if (st->nboot > 0 && !st->boot[st->nboot - 1].image_path &&
	    st->nboot > 1 && st->boot[st->nboot - 1].emulation ==
	    ELT_EMUL_AUTO && st->boot[st->nboot - 1].flags == 0 &&
	    st->boot[st->nboot - 1].load_segment == 0 &&
	    st->boot[st->nboot - 1].load_sectors == 0)
		st->nboot--;
	for (i = 0; i < st->nboot; i++) {
		if (!st->boot[i].image_path)
			return fail(st, "El Torito boot entry %d has no boot "
			            "image: use -b FILE or -e FILE", i + 1);
		/* genisoimage gives every alternative entry a section of its
		 * own. */
		if (i > 0)
			st->boot[i].flags |= ELT_BOOT_NEW_SECTION;
	}
	if (st->boot_opts_seen && st->nboot == 0)
		return fail(st, "El Torito options need a boot image: use -b "
		            "FILE or -e FILE");
	return 0;
}

int cli_finish(struct cli_state *st)
{
	uint32_t size = st->opts.volset_size ? st->opts.volset_size : 1;

	if (st->action != CLI_ACT_BUILD)
		return 0;
	if (finish_boot(st) < 0)
		return -1;
	if (st->opts.volset_seqno > size)
		return fail(st, "-volset-seqno %u is larger than the volume set "
		            "size %u", st->opts.volset_seqno, size);
	if (st->burn.drive && st->output)
		return fail(st, "--burn and -o exclude each other");
	if (st->burn_opts_seen && !st->burn.drive)
		return fail(st, "--speed, --blank, --dummy, --eject, --multi "
		            "and --verify need --burn DRIVE");
	if (st->nsources == 0 && !st->path_list)
		return fail(st, "missing pathspec");
	return 0;
}

/* ------------------------------------------------------------------
 * -help, in genisoimage's layout: spellings in a 30-column field
 */
#define HELP_COL 30

static int spellings(char *buf, size_t n, const struct cli_opt *o)
{
	const char *sp = o->argname ? " " : "";
	const char *an = o->argname ? o->argname : "";

	if (strlen(o->name) == 1)
		return snprintf(buf, n, "-%s%s%s", o->name, sp, an);
	if (o->alias)
		return snprintf(buf, n, "-%s%s%s, %s%s%s%s", o->alias, sp, an,
		                cli_opt_dashes(o), o->name, sp, an);
	return snprintf(buf, n, "%s%s%s%s", cli_opt_dashes(o), o->name, sp,
	                an);
}

void cli_print_help(FILE *f, const char *prog)
{
	char buf[128];
	size_t i;
	int len;

	fprintf(f, "Usage: %s [options] [-o FILE] pathspec...\n", prog);
	fprintf(f, "Options:\n");
	for (i = 0; i < cli_noptions; i++) {
		const struct cli_opt *o = &cli_options[i];

		if (o->flags & CLI_F_HIDDEN)
			continue;
		len = spellings(buf, sizeof buf, o) + 2;
		fprintf(f, "  %s", buf);
		if (len >= HELP_COL) {
			fputc('\n', f);
			len = 0;
		}
		fprintf(f, "%*s%s%s\n", HELP_COL - len, "", o->help,
		        (o->flags & CLI_F_NOTIMPL) ? " (not implemented)" : "");
	}
	fprintf(f, "\nOptions stop at the first pathspec. Exit status: 0 ok, "
	        "1 the image failed, 2 usage error.\n");
}

/* ------------------------------------------------------------------
 * Manual page (roff), generated from the same table
 */
static void roff_text(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '-')
			fputs("\\-", f);
		else if (*s == '\\')
			fputs("\\e", f);
		else
			fputc(*s, f);
	}
}

static void man_spelling(FILE *f, const struct cli_opt *o)
{
	fputs(".TP\n", f);
	if (strlen(o->name) != 1 && o->alias) {
		fputs("\\fB\\-", f);
		roff_text(f, o->alias);
		fputs("\\fR", f);
		if (o->argname) {
			fputs(" \\fI", f);
			roff_text(f, o->argname);
			fputs("\\fR", f);
		}
		fputs(", ", f);
	}
	fputs("\\fB", f);
	roff_text(f, cli_opt_dashes(o));
	roff_text(f, o->name);
	fputs("\\fR", f);
	if (o->argname) {
		fputs(" \\fI", f);
		roff_text(f, o->argname);
		fputs("\\fR", f);
	}
	fputc('\n', f);
	roff_text(f, o->help);
	fputc('\n', f);
}

static const char *const man_head[] = {
	".TH ELTORITO-MKISOFS 1 \"\" \"libeltorito\" \"User Commands\"",
	".SH NAME",
	"eltorito\\-mkisofs \\- create ISO 9660 images, a drop\\-in for "
	"genisoimage and mkisofs",
	".SH SYNOPSIS",
	".B eltorito\\-mkisofs",
	"[\\fIoptions\\fR] [\\fB\\-o\\fR \\fIFILE\\fR] "
	"\\fIpathspec\\fR ...",
	".SH DESCRIPTION",
	".B eltorito\\-mkisofs",
	"writes an ISO 9660 file system image (levels 1 to 3, Rock Ridge, "
	"Joliet, El Torito) of the given files and directories, through "
	"libeltorito. It accepts the options of genisoimage 1.1.11 with "
	"their exact spellings and, for the same tree and options, writes "
	"the same image. It behaves the same when installed or linked as "
	"\\fBmkisofs\\fR or \\fBgenisoimage\\fR.",
	".PP",
	"Long options work with one or two dashes, as an unambiguous prefix, "
	"and as \\fB\\-name=value\\fR; short options can be combined "
	"(\\fB\\-JR\\fR). Options end at the first \\fIpathspec\\fR or at "
	"\\fB\\-\\-\\fR. Several pathspecs merge into the root directory. "
	"With \\fB\\-graft\\-points\\fR a pathspec \\fIiso/path\\fB=\\fIdisk/path"
	"\\fR puts a file or the contents of a directory at \\fIiso/path\\fR; "
	"\\fB\\e=\\fR and \\fB\\e\\e\\fR escape a literal equal sign and "
	"backslash.",
	".PP",
	"The El Torito options are order\\-sensitive: \\fB\\-b\\fR, "
	"\\fB\\-e\\fR, \\fB\\-no\\-emul\\-boot\\fR, \\fB\\-hard\\-disk\\-boot\\fR, "
	"\\fB\\-no\\-boot\\fR, \\fB\\-boot\\-load\\-size\\fR, "
	"\\fB\\-boot\\-load\\-seg\\fR, \\fB\\-boot\\-info\\-table\\fR and "
	"\\fB\\-eltorito\\-platform\\fR edit the current boot entry; "
	"\\fB\\-eltorito\\-alt\\-boot\\fR starts a new one.",
	".PP",
	"Without \\fB\\-o\\fR the image goes to standard output, which must "
	"not be a terminal. With \\fB\\-o\\fR a regular file is written "
	"under a temporary name in the same directory and renamed when "
	"complete, so a failure leaves no partial image and an existing "
	"file untouched; the output file itself is never put into the image.",
	".SH OPTIONS",
	NULL
};

static const char *const man_tail[] = {
	".SH ENVIRONMENT",
	".TP",
	".B SOURCE_DATE_EPOCH",
	"Seconds since 1970: the volume dates, and the upper limit of every "
	"file date, for reproducible images.",
	".SH \"EXIT STATUS\"",
	".TP",
	"0",
	"The image was written.",
	".TP",
	"1",
	"The image could not be made or written; one line on standard error "
	"names the path and the reason.",
	".TP",
	"2",
	"Usage error: unknown or unimplemented option, bad argument, missing "
	"pathspec.",
	".SH \"SEE ALSO\"",
	"\\fBgenisoimage\\fR(1), \\fBxorriso\\fR(1)",
	NULL
};

void cli_print_man(FILE *f)
{
	size_t i;
	int first = 1;

	for (i = 0; man_head[i]; i++)
		fprintf(f, "%s\n", man_head[i]);
	for (i = 0; i < cli_noptions; i++) {
		const struct cli_opt *o = &cli_options[i];

		if (!(o->flags & (CLI_F_HIDDEN | CLI_F_NOTIMPL)))
			man_spelling(f, o);
	}
	fputs(".SH \"NOT IMPLEMENTED\"\n", f);
	fputs("These genisoimage options are recognised and refused with "
	      "exit status 2:\n", f);
	for (i = 0; i < cli_noptions; i++) {
		const struct cli_opt *o = &cli_options[i];

		if (!(o->flags & CLI_F_NOTIMPL) || (o->flags & CLI_F_HIDDEN))
			continue;
		fputs(first ? "" : ",\n", f);
		first = 0;
		fputs("\\fB", f);
		if (o->alias && strlen(o->name) != 1) {
			fputs("\\-", f);
			roff_text(f, o->alias);
			fputs("\\fR, \\fB", f);
		}
		roff_text(f, cli_opt_dashes(o));
		roff_text(f, o->name);
		fputs("\\fR", f);
	}
	fputs(".\n", f);
	for (i = 0; man_tail[i]; i++)
		fprintf(f, "%s\n", man_tail[i]);
}
