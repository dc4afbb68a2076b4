/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The option table and parser of eltorito-mkisofs (cli/options.c):
 * table order, -help and man page coverage, getopt_long_only-style
 * spellings, El Torito entry order, and usage errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/CUnit.h>
#include "cli.h"
#include "util.h"

#define MAX_ARGS 64

static char *args_buf[MAX_ARGS + 2];
static struct cli_state st;

/* Parse "eltorito-mkisofs" + args (NULL-terminated) into st. */
static int parse(const char *const *args)
{
	int argc = 0, r;

	cli_state_free(&st);
	args_buf[argc++] = (char *)"eltorito-mkisofs";
	while (*args && argc < MAX_ARGS)
		args_buf[argc++] = (char *)*args++;
	args_buf[argc] = NULL;
	cli_state_init(&st, args_buf[0]);
	r = cli_parse(&st, argc, args_buf);
	if (r == 0)
		r = cli_finish(&st);
	return r;
}

#define PARSE(...) parse((const char *const[]){ __VA_ARGS__, NULL })

static void test_table_sorted(void)
{
	size_t i;

	CU_ASSERT_TRUE(cli_noptions > 100);
	for (i = 0; i < cli_noptions; i++) {
		const struct cli_opt *o = &cli_options[i];

		if (i > 0 && strcmp(cli_options[i - 1].name, o->name) >= 0) {
			fprintf(stderr, "table out of order at '%s'\n", o->name);
			CU_FAIL("table not sorted");
		}
		CU_ASSERT_PTR_NOT_NULL(o->help);
		if (o->flags & CLI_F_NOTIMPL) {
			CU_ASSERT_PTR_NULL(o->apply);
		} else {
			CU_ASSERT_PTR_NOT_NULL(o->apply);
		}
		CU_ASSERT_EQUAL(o->arg == CLI_NONE, o->argname == NULL);
		if (o->alias) {
			CU_ASSERT_EQUAL(strlen(o->alias), 1);
			CU_ASSERT_PTR_EQUAL(cli_find_short(o->alias[0]), o);
		}
	}
}

static char *capture(void (*fn)(FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fn(f);
	fclose(f);
	return buf;
}

static void help_to(FILE *f)
{
	cli_print_help(f, "eltorito-mkisofs");
}

/* Is `word` in text, delimited by a non-option character after it? */
static int has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p = text;

	while ((p = strstr(p, word)) != NULL) {
		char c = p[n];

		if (c == ' ' || c == ',' || c == '\n' || c == '\0' ||
		    c == '\\')
			return 1;
		p++;
	}
	return 0;
}

static void test_help_lists_every_entry(void)
{
	char *h = capture(help_to), word[80];
	size_t i;

	for (i = 0; i < cli_noptions; i++) {
		const struct cli_opt *o = &cli_options[i];

		if (o->flags & CLI_F_HIDDEN)
			continue;
		snprintf(word, sizeof word, "%s%s", cli_opt_dashes(o), o->name);
		if (!has_word(h, word)) {
			fprintf(stderr, "-help lacks %s\n", word);
			CU_FAIL("-help lacks an option");
		}
		if (o->alias) {
			snprintf(word, sizeof word, "-%s", o->alias);
			CU_ASSERT_TRUE(has_word(h, word));
		}
	}
	CU_ASSERT_PTR_NULL(strstr(h, "print-man"));
	free(h);
}

/* roff spelling: every '-' written as "\-". */
static void roff_name(char *out, size_t n, const char *dashes,
                      const char *name)
{
	size_t k = 0;
	const char *parts[2] = { dashes, name };
	int j;

	for (j = 0; j < 2; j++) {
		const char *s;

		for (s = parts[j]; *s && k + 3 < n; s++) {
			if (*s == '-')
				out[k++] = '\\';
			out[k++] = *s;
		}
	}
	out[k] = '\0';
}

static void test_man_lists_every_entry(void)
{
	char *m = capture(cli_print_man), word[120];
	size_t i;

	CU_ASSERT_PTR_NOT_NULL(strstr(m, ".TH ELTORITO-MKISOFS 1"));
	for (i = 0; i < cli_noptions; i++) {
		const struct cli_opt *o = &cli_options[i];

		if (o->flags & CLI_F_HIDDEN)
			continue;
		roff_name(word, sizeof word, cli_opt_dashes(o), o->name);
		if (!strstr(m, word)) {
			fprintf(stderr, "man page lacks %s\n", word);
			CU_FAIL("man page lacks an option");
		}
	}
	free(m);
}

static void test_basic(void)
{
	CU_ASSERT_EQUAL(PARSE("-o", "out.iso", "-V", "VOL", "-R", "-J", "dir"),
	                0);
	CU_ASSERT_STRING_EQUAL(st.output, "out.iso");
	CU_ASSERT_STRING_EQUAL(st.opts.volume_id, "VOL");
	CU_ASSERT_EQUAL(st.opts.ext, ELT_EXT_ROCKRIDGE | ELT_EXT_JOLIET);
	CU_ASSERT_EQUAL(st.nsources, 1);
	CU_ASSERT_STRING_EQUAL(st.sources[0], "dir");
	CU_ASSERT_EQUAL(st.opts.pad_blocks, 150);
	CU_ASSERT_EQUAL(st.opts.iso_level, 1);
	CU_ASSERT_EQUAL(st.opts.gmt_offset, ELT_GMTOFF_LOCAL);
	CU_ASSERT_EQUAL(st.opts.timestamp, -1);
	CU_ASSERT_EQUAL(st.verbose, 1);
	/* our own application id unless -A is given (docs/compat.md) */
	CU_ASSERT_EQUAL(strncmp(st.opts.app_id, "ELTORITO-MKISOFS ", 17), 0);
	CU_ASSERT_EQUAL(PARSE("-A", "mine", "d"), 0);
	CU_ASSERT_STRING_EQUAL(st.opts.app_id, "mine");
}

static void test_spellings(void)
{
	/* two dashes, =value, prefix, clusters, attached short argument */
	CU_ASSERT_EQUAL(PARSE("--output=a.iso", "-volid", "X", "-quie",
	                      "-JR", "d"), 0);
	CU_ASSERT_STRING_EQUAL(st.output, "a.iso");
	CU_ASSERT_STRING_EQUAL(st.opts.volume_id, "X");
	CU_ASSERT_EQUAL(st.verbose, 0);
	CU_ASSERT_EQUAL(st.opts.ext, ELT_EXT_ROCKRIDGE | ELT_EXT_JOLIET);
	CU_ASSERT_EQUAL(PARSE("-ob.iso", "d"), 0);
	CU_ASSERT_STRING_EQUAL(st.output, "b.iso");
	/* "-bogus" is -b with "ogus", as getopt_long_only parses it */
	CU_ASSERT_EQUAL(PARSE("-bogus", "d"), 0);
	CU_ASSERT_EQUAL(st.nboot, 1);
	CU_ASSERT_STRING_EQUAL(st.boot[0].image_path, "ogus");
	CU_ASSERT_EQUAL(PARSE("-nobak", "-no-bak", "-ldots", "-L", "d"), 0);
	CU_ASSERT_TRUE(st.add_flags & ELT_ADD_NO_BAK);
	CU_ASSERT_TRUE(st.opts.relax & ELT_RELAX_LEADING_DOTS);
	/* our additions never make a genisoimage abbreviation ambiguous */
	CU_ASSERT_EQUAL(PARSE("-pri", "-gr", "d"), 0);
	CU_ASSERT_EQUAL(st.print_size, 1);
	CU_ASSERT_EQUAL(st.graft_points, 1);
	CU_ASSERT_EQUAL(PARSE("-skip", "-bu", "/dev/sr0", "d"), 0);
	CU_ASSERT_TRUE(st.add_flags & ELT_ADD_SKIP_UNREADABLE);
	CU_ASSERT_STRING_EQUAL(st.burn.drive, "/dev/sr0");
	CU_ASSERT_EQUAL(PARSE("-v", "-verbose", "-v", "d"), 0);
	CU_ASSERT_EQUAL(st.verbose, 4);
	CU_ASSERT_EQUAL(PARSE("-no-pad", "d"), 0);
	CU_ASSERT_EQUAL(st.opts.pad_blocks, 0);
}

static void test_operands_end_options(void)
{
	CU_ASSERT_EQUAL(PARSE("-o", "x", "dir", "-R"), 0);
	CU_ASSERT_EQUAL(st.nsources, 2);
	CU_ASSERT_STRING_EQUAL(st.sources[1], "-R");
	CU_ASSERT_EQUAL(st.opts.ext, 0);
	CU_ASSERT_EQUAL(PARSE("--", "-odd"), 0);
	CU_ASSERT_EQUAL(st.nsources, 1);
	CU_ASSERT_STRING_EQUAL(st.sources[0], "-odd");
	CU_ASSERT_PTR_NULL(st.output);
	CU_ASSERT_EQUAL(PARSE("-", "x"), 0);
	CU_ASSERT_EQUAL(st.nsources, 2);
}

static void test_usage_errors(void)
{
	CU_ASSERT_EQUAL(PARSE("--frobnicate", "d"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.err, "unknown option"));
	CU_ASSERT_EQUAL(PARSE("-S", "d"), -1);
	CU_ASSERT_EQUAL(PARSE("-vol", "x", "d"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.err, "ambiguous"));
	CU_ASSERT_EQUAL(PARSE("-udf", "d"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.err, "not implemented"));
	CU_ASSERT_EQUAL(PARSE("-z", "d"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.err, "not implemented"));
	CU_ASSERT_EQUAL(PARSE("-hfs", "d"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.err, "not implemented"));
	CU_ASSERT_EQUAL(PARSE("-o"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.err, "requires an argument"));
	CU_ASSERT_EQUAL(PARSE("-R=1", "d"), -1);
	CU_ASSERT_EQUAL(PARSE("-iso-level", "5", "d"), -1);
	CU_ASSERT_EQUAL(PARSE("-iso-level", "4", "d"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.err, "not implemented"));
	CU_ASSERT_EQUAL(PARSE("-iso-level", "3", "d"), 0);
	CU_ASSERT_EQUAL(st.opts.iso_level, 3);
	CU_ASSERT_EQUAL(PARSE("-iso-level", "2x", "d"), -1);
	CU_ASSERT_EQUAL(PARSE("-V", "123456789012345678901234567890123", "d"),
	                -1);
	CU_ASSERT_EQUAL(PARSE("-V", "12345678901234567890123456789012", "d"),
	                0);
	CU_ASSERT_EQUAL(PARSE("-abstract", "12345678901234567890123456789012"
	                      "3456789", "d"), -1);
	CU_ASSERT_EQUAL(PARSE("-boot-load-size", "65536", "-b", "x", "d"), -1);
	CU_ASSERT_EQUAL(PARSE("-ucs-level", "0", "d"), -1);
	CU_ASSERT_EQUAL(PARSE("-dir-mode", "0999", "d"), -1);
	CU_ASSERT_EQUAL(PARSE("-input-charset", "", "d"), -1);
	CU_ASSERT_EQUAL(PARSE("-R"), -1);
	CU_ASSERT_PTR_NOT_NULL(strstr(st.err, "pathspec"));
	CU_ASSERT_EQUAL(PARSE("--speed", "4", "d"), -1);
	CU_ASSERT_EQUAL(PARSE("--burn", "/dev/sr0", "-o", "x", "d"), -1);
	CU_ASSERT_EQUAL(PARSE("-volset-seqno", "2", "d"), -1);
	CU_ASSERT_EQUAL(PARSE("-volset-size", "2", "-volset-seqno", "2", "d"),
	                0);
	CU_ASSERT_EQUAL(PARSE("-no-emul-boot", "d"), -1);
}

static void test_help_and_version_stop(void)
{
	CU_ASSERT_EQUAL(PARSE("-help", "--bogus"), 0);
	CU_ASSERT_EQUAL(st.action, CLI_ACT_HELP);
	CU_ASSERT_EQUAL(PARSE("--version"), 0);
	CU_ASSERT_EQUAL(st.action, CLI_ACT_VERSION);
	CU_ASSERT_EQUAL(PARSE("--print-man"), 0);
	CU_ASSERT_EQUAL(st.action, CLI_ACT_PRINT_MAN);
}

static void test_rock_ridge_switches(void)
{
	CU_ASSERT_EQUAL(PARSE("-uid", "0", "d"), 0);
	CU_ASSERT_EQUAL(st.opts.ext, ELT_EXT_ROCKRIDGE);
	CU_ASSERT_EQUAL(st.opts.uid, 0);
	CU_ASSERT_EQUAL(st.opts.gid, -1);
	CU_ASSERT_EQUAL(PARSE("-file-mode", "0444", "d"), 0);
	CU_ASSERT_EQUAL(st.opts.file_mode, 0444);
	CU_ASSERT_EQUAL(st.opts.ext, ELT_EXT_ROCKRIDGE);
	CU_ASSERT_EQUAL(PARSE("-new-dir-mode", "0755", "d"), 0);
	CU_ASSERT_EQUAL(st.opts.ext, 0);
	CU_ASSERT_EQUAL(st.opts.new_dir_mode, 0755);
	CU_ASSERT_EQUAL(PARSE("-r", "-R", "d"), 0);
	CU_ASSERT_EQUAL(st.opts.rr_mode, ELT_RR_RATIONAL);
	CU_ASSERT_EQUAL(PARSE("-hide-joliet", "x", "d"), 0);
	CU_ASSERT_EQUAL(st.opts.ext, ELT_EXT_JOLIET);
	CU_ASSERT_EQUAL(PARSE("-U", "d"), 0);
	CU_ASSERT_TRUE(st.opts.relax & ELT_RELAX_UNTRANSLATED);
	CU_ASSERT_TRUE(st.opts.relax & ELT_RELAX_OMIT_VERSION);
	CU_ASSERT_TRUE(st.opts.relax & ELT_RELAX_MULTIDOT);
	CU_ASSERT_EQUAL(PARSE("-joliet-long", "d"), 0);
	CU_ASSERT_TRUE(st.opts.flags & ELT_WRITE_JOLIET_LONG);
	CU_ASSERT_EQUAL(st.opts.ext, ELT_EXT_JOLIET);
}

static void test_boot_entries(void)
{
	CU_ASSERT_EQUAL(PARSE("-b", "a.bin", "-no-emul-boot", "-boot-load-size",
	                      "4", "-boot-info-table", "-eltorito-alt-boot",
	                      "-e", "efi.img", "-no-emul-boot", "d"), 0);
	CU_ASSERT_EQUAL_FATAL(st.nboot, 2);
	CU_ASSERT_STRING_EQUAL(st.boot[0].image_path, "a.bin");
	CU_ASSERT_EQUAL(st.boot[0].emulation, ELT_EMUL_NONE);
	CU_ASSERT_EQUAL(st.boot[0].load_sectors, 4);
	CU_ASSERT_EQUAL(st.boot[0].flags, ELT_BOOT_INFO_TABLE);
	CU_ASSERT_EQUAL(st.boot[0].platform, ELT_PLATFORM_X86);
	CU_ASSERT_STRING_EQUAL(st.boot[1].image_path, "efi.img");
	CU_ASSERT_EQUAL(st.boot[1].platform, ELT_PLATFORM_EFI);
	CU_ASSERT_EQUAL(st.boot[1].flags, ELT_BOOT_NEW_SECTION);
	/* options before -b edit the same entry; -e after -b replaces it */
	CU_ASSERT_EQUAL(PARSE("-no-emul-boot", "-b", "a", "-e", "b", "d"), 0);
	CU_ASSERT_EQUAL_FATAL(st.nboot, 1);
	CU_ASSERT_STRING_EQUAL(st.boot[0].image_path, "b");
	CU_ASSERT_EQUAL(st.boot[0].platform, ELT_PLATFORM_EFI);
	CU_ASSERT_EQUAL(st.boot[0].emulation, ELT_EMUL_NONE);
	/* a trailing -eltorito-alt-boot is dropped, as genisoimage does */
	CU_ASSERT_EQUAL(PARSE("-b", "a", "-eltorito-alt-boot", "d"), 0);
	CU_ASSERT_EQUAL(st.nboot, 1);
	/* an empty entry in the middle is an error */
	CU_ASSERT_EQUAL(PARSE("-b", "a", "-eltorito-alt-boot",
	                      "-eltorito-alt-boot", "-b", "c", "d"), -1);
	CU_ASSERT_EQUAL(PARSE("-b", "a", "-hard-disk-boot", "-no-boot",
	                      "-boot-load-seg", "0x7c0", "-eltorito-platform",
	                      "PPC", "-c", "boot/cat", "--grub2-boot-info",
	                      "d"), 0);
	CU_ASSERT_EQUAL(st.boot[0].emulation, ELT_EMUL_HDD);
	CU_ASSERT_EQUAL(st.boot[0].load_segment, 0x7c0);
	CU_ASSERT_EQUAL(st.boot[0].platform, ELT_PLATFORM_PPC);
	CU_ASSERT_EQUAL(st.boot[0].flags,
	                ELT_BOOT_NOT_BOOTABLE | ELT_BOOT_GRUB2_INFO);
	CU_ASSERT_STRING_EQUAL(st.catalog, "boot/cat");
	CU_ASSERT_EQUAL(PARSE("-b", "a", "-eltorito-platform", "0x42", "d"), 0);
	CU_ASSERT_EQUAL(st.boot[0].platform, 0x42);
	CU_ASSERT_EQUAL(PARSE("-b", "a", "-eltorito-platform", "sparc", "d"),
	                -1);
}

static void test_ignored_noted(void)
{
	CU_ASSERT_EQUAL(PARSE("-no-split-symlink-fields",
	                      "-no-split-symlink-components",
	                      "-input-charset", "koi8-r", "d"), 0);
	CU_ASSERT(st.opts.flags & ELT_WRITE_RR_NO_SPLIT_FIELDS);
	CU_ASSERT(st.opts.flags & ELT_WRITE_RR_NO_SPLIT_COMPONENTS);
	CU_ASSERT_STRING_EQUAL(st.opts.input_charset, "koi8-r");
	CU_ASSERT(st.opts.flags & ELT_WRITE_STRICT_INPUTS);
}

static void test_patterns_in_order(void)
{
	CU_ASSERT_EQUAL(PARSE("-m", "*.o", "-hide-list", "h.txt", "-x", "b",
	                      "-hidden", "z", "-sort", "s.txt", "d"), 0);
	CU_ASSERT_EQUAL_FATAL(st.npats, 5);
	CU_ASSERT_EQUAL(st.pats[0].kind, CLI_PAT_EXCLUDE);
	CU_ASSERT_EQUAL(st.pats[1].kind, CLI_PAT_HIDE);
	CU_ASSERT_EQUAL(st.pats[1].is_list, 1);
	CU_ASSERT_EQUAL(st.pats[2].kind, CLI_PAT_EXCLUDE);
	CU_ASSERT_EQUAL(st.pats[3].kind, CLI_PAT_HIDDEN);
	CU_ASSERT_EQUAL(st.pats[4].kind, CLI_PAT_SORT);
}

int register_tests(void)
{
	CU_pSuite s = CU_add_suite("cli_opts", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "table sorted", test_table_sorted) ||
	    !CU_add_test(s, "help lists every entry",
	                 test_help_lists_every_entry) ||
	    !CU_add_test(s, "man lists every entry",
	                 test_man_lists_every_entry) ||
	    !CU_add_test(s, "basic", test_basic) ||
	    !CU_add_test(s, "spellings", test_spellings) ||
	    !CU_add_test(s, "operands end options",
	                 test_operands_end_options) ||
	    !CU_add_test(s, "usage errors", test_usage_errors) ||
	    !CU_add_test(s, "help and version stop",
	                 test_help_and_version_stop) ||
	    !CU_add_test(s, "rock ridge switches", test_rock_ridge_switches) ||
	    !CU_add_test(s, "boot entries", test_boot_entries) ||
	    !CU_add_test(s, "patterns in order", test_patterns_in_order) ||
	    !CU_add_test(s, "symlink splitting, charsets, strict inputs", test_ignored_noted))
		return -1;
	return 0;
}
