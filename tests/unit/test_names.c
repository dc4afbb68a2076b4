/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ISO 9660 and Joliet names (names.c) against genisoimage 1.1.11.
 *
 * The tables below were MEASURED on the real genisoimage 1.1.11 (one
 * tree per case, names read back from the image's directory records by
 * an independent reader); they are never taken from our own output.
 * The live test runs genisoimage on random trees when it is installed
 * and compares every name and the record order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "internal.h"
#include "util.h"

/* ---------------------------------------------------------------- */
/* helpers                                                          */

static int n_msgs, n_charset_msgs, n_mangled_msgs, n_skipped_msgs;

static void on_msg(int severity, int code, const char *path,
                   const char *text, void *payload)
{
	(void)severity; (void)path; (void)text; (void)payload;
	n_msgs++;
	if (code == ELT_MSGC_CHARSET)
		n_charset_msgs++;
	if (code == ELT_MSGC_NAME_MANGLED)
		n_mangled_msgs++;
	if (code == ELT_MSGC_SKIPPED)
		n_skipped_msgs++;
}

static elt_image *new_image(void)
{
	elt_image *img = NULL;

	CU_ASSERT_FATAL(elt_image_new(&img) == 0);
	elt_image_set_msg_fn(img, on_msg, NULL);
	n_msgs = n_charset_msgs = n_mangled_msgs = n_skipped_msgs = 0;
	return img;
}

/* A stream-like context: names_compute() needs only img and options. */
static struct elt_stream *new_ctx(elt_image *img, int level,
                                  unsigned int relax, unsigned int ext,
                                  unsigned int flags)
{
	struct elt_stream *s = calloc(1, sizeof *s);

	CU_ASSERT_FATAL(s != NULL);
	CU_ASSERT_FATAL(elt_write_opts_init(&s->w.o, ELT_WRITE_OPTS_VERSION) == 0);
	s->img = img;
	s->w.o.iso_level = level;
	s->w.o.relax = relax;
	s->w.o.ext = ext;
	s->w.o.flags = flags;
	return s;
}

static void free_ctx(struct elt_stream *s)
{
	names_free(s->img->root);
	elt_image_free(s->img);
	free(s);
}

/* Add a file, or a directory that was read from disk (not invented). */
static struct elt_node *add(elt_image *img, const char *name, int dir)
{
	char path[1024];
	elt_node *n = NULL;

	snprintf(path, sizeof path, "/%s%s", name, dir ? "/zz" : "");
	CU_ASSERT_FATAL(elt_image_add_mem(img, path, "x", 1) == 0);
	snprintf(path, sizeof path, "/%s", name);
	CU_ASSERT_FATAL(elt_image_lookup(&n, img, path) == 0);
	if (dir)
		n->flags &= (uint16_t)~NODE_INVENTED;
	return n;
}

static int unhex(const char *h, char *out)
{
	int n = 0;
	unsigned int v;

	while (h[0] && h[1] && sscanf(h, "%2x", &v) == 1) {
		out[n++] = (char)v;
		h += 2;
	}
	return n;
}

static void show(const char *what, const char *name, const char *got,
                 size_t glen, const char *exp, size_t elen)
{
	size_t i;

	printf("\n  %s of \"%s\": got ", what, name);
	for (i = 0; i < glen; i++)
		printf("%02x", (unsigned char)got[i]);
	printf(" expected ");
	for (i = 0; i < elen; i++)
		printf("%02x", (unsigned char)exp[i]);
}

/* Compare a node's names with the expected ISO name and Joliet hex. */
static int check_names(const struct elt_node *n, const char *iso,
                       const char *jhex)
{
	char jexp[512];
	int ok = 1, jl;

	if (!n->iso_name || strcmp(n->iso_name, iso) != 0 ||
	    n->iso_len != strlen(iso)) {
		show("iso name", n->name, n->iso_name ? n->iso_name : "",
		     n->iso_name ? n->iso_len : 0, iso, strlen(iso));
		ok = 0;
	}
	if (jhex) {
		jl = unhex(jhex, jexp);
		if (!n->jname || n->jlen != jl || memcmp(n->jname, jexp, (size_t)jl)) {
			show("joliet name", n->name, n->jname ? n->jname : "",
			     n->jname ? n->jlen : 0, jexp, (size_t)jl);
			ok = 0;
		}
	}
	return ok;
}

static int iso_pos(const struct elt_node *dir, const struct elt_node *n)
{
	uint32_t i;

	for (i = 0; i < dir->n_iso_kids; i++)
		if (dir->iso_kids[i] == n)
			return (int)i;
	return -1;
}

/* ---------------------------------------------------------------- */
/* single names, each alone in a directory (measured)               */

struct name_case {
	int level;
	unsigned int relax, flags;
	int dir;
	const char *name, *iso, *jhex;   /* jhex: UCS-2BE as hex */
};

static const struct name_case name_cases[] = {
	{ 1, 0, 0, 0, "readme.txt", "README.TXT;1", "0072006500610064006d0065002e007400780074" },
	{ 1, 0, 0, 0, "README", "README.;1", "0052004500410044004d0045" },
	{ 1, 0, 0, 0, "Makefile", "MAKEFILE.;1", "004d0061006b006500660069006c0065" },
	{ 1, 0, 0, 0, "a.b.c.d", "A_B_C.D;1", "0061002e0062002e0063002e0064" },
	{ 1, 0, 0, 0, ".hidden", "_HIDDEN.;1", "002e00680069006400640065006e" },
	{ 1, 0, 0, 0, "noext", "NOEXT.;1", "006e006f006500780074" },
	{ 1, 0, 0, 0, "x-y+z~w.c", "X_Y_Z_W.C;1", "0078002d0079002b007a007e0077002e0063" },
	{ 1, 0, 0, 0, "caf\303\251.txt", "CAF__.TXT;1", "00630061006600e9002e007400780074" },
	{ 1, 0, 0, 0, "archive.tar.gz", "ARCHIVE.TGZ;1", "0061007200630068006900760065002e007400610072002e0067007a" },
	{ 1, 0, 0, 0, "doc.ps.gz", "DOC.PSZ;1", "0064006f0063002e00700073002e0067007a" },
	{ 1, 0, 0, 0, "x.tar.gz.bak", "X_TAR_GZ.BAK;1", "0078002e007400610072002e0067007a002e00620061006b" },
	{ 1, 0, 0, 0, "backup.c~", "BACKUP.C_;1", "006200610063006b00750070002e0063007e" },
	{ 1, 0, 0, 0, "file.c.~1~", "FILE.C__1;1", "00660069006c0065002e0063002e007e0031007e" },
	{ 1, 0, 0, 0, "name.", "NAME.;1", "006e0061006d0065002e" },
	{ 1, 0, 0, 0, "dots...", "DOTS_._;1", "0064006f00740073002e002e002e" },
	{ 1, 0, 0, 0, "..x", "_.X;1", "002e002e0078" },
	{ 1, 0, 0, 0, "a..b", "A_.B;1", "0061002e002e0062" },
	{ 1, 0, 0, 0, "UPPER.TXT", "UPPER.TXT;1", "00550050005000450052002e005400580054" },
	{ 1, 0, 0, 0, "MiXeD.TxT", "MIXED.TXT;1", "004d0069005800650044002e005400780054" },
	{ 1, 0, 0, 0, "12345678901.123456", "12345678.123;1", "00310032003300340035003600370038003900300031002e003100320033003400350036" },
	{ 1, 0, 0, 0, "spaces in name.txt", "SPACES_I.TXT;1", "00730070006100630065007300200069006e0020006e0061006d0065002e007400780074" },
	{ 1, 0, 0, 0, "semi;colon", "SEMI_COL.;1", "00730065006d0069005f0063006f006c006f006e" },
	{ 1, 0, 0, 0, "star*q?c:d", "STAR_Q_C.;1", "0073007400610072005f0071005f0063005f0064" },
	{ 1, 0, 0, 0, "tab\011here", "TAB_HERE.;1", "007400610062005f0068006500720065" },
	{ 1, 0, 0, 0, "del\177x", "DEL\177X.;1", "00640065006c005f0078" },
	{ 1, 0, 0, 0, "#hash#", "_HASH_.;1", "002300680061007300680023" },
	{ 1, 0, 0, 0, "emacs~", "EMACS_.;1", "0065006d006100630073007e" },
	{ 1, 0, 0, 0, "a%b=c+d,e", "A_B_C_D_.;1", "006100250062003d0063002b0064002c0065" },
	{ 1, 0, 0, 0, "[brackets]{}", "_BRACKET.;1", "005b0062007200610063006b006500740073005d007b007d" },
	{ 1, 0, 0, 0, "quote\"s'", "QUOTE_S_.;1", "00710075006f00740065002200730027" },
	{ 1, 0, 0, 0, "at@sign$", "AT_SIGN_.;1", "006100740040007300690067006e0024" },
	{ 1, 0, 0, 0, "caret^`|<>", "CARET___.;1", "00630061007200650074005e0060007c003c003e" },
	{ 1, 0, 0, 0, "a!b&c(d)", "A_B_C_D_.;1", "00610021006200260063002800640029" },
	{ 1, 0, 0, 0, "verylongfilename.verylongext", "VERYLONG.VER;1", "0076006500720079006c006f006e006700660069006c0065006e0061006d0065002e0076006500720079006c006f006e0067006500780074" },
	{ 1, 0, 0, 0, "x.y~", "X.Y_;1", "0078002e0079007e" },
	{ 1, 0, 0, 0, ".tar.gz", "_TGZ.;1", "002e007400610072002e0067007a" },
	{ 1, 0, 0, 0, "a.", "A.;1", "0061002e" },
	{ 1, 0, 0, 0, "\344\270\255\346\226\207.txt", "______.TXT;1", "4e2d6587002e007400780074" },
	{ 1, 0, 0, 0, "back\\slash", "BACK_SLA.;1", "006200610063006b005f0073006c006100730068" },
	{ 1, 0, 0, 0, "ctl\001\037z", "CTL__Z.;1", "00630074006c005f005f007a" },
	{ 1, 0, 0, 0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.txt", "AAAAAAAA.TXT;1", "0061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061006100610061" },
	{ 1, 0, 0, 0, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "BBBBBBBB.;1", "0062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062006200620062" },
	{ 1, 0, 0, 0, "ccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", "CCCCCCCC.;1", "0063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063006300630063" },
	{ 1, 0, 0, 0, "\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274\303\274", "________.;1", "00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc00fc" },
	{ 1, 0, 0, 0, "nbsp\302\240x", "NBSP__X.;1", "006e00620073007000a00078" },
	{ 1, 0, 0, 1, "dir.with.dots", "DIR_WITH.DOT", "006400690072002e0077006900740068002e0064006f00740073" },
	{ 1, 0, 0, 1, "LongDirectoryNameExceedingEight.d", "LONGDIRE.D", "004c006f006e0067004400690072006500630074006f00720079004e0061006d00650045007800630065006500640069006e006700450069006700680074002e0064" },
	{ 1, 0, 0, 1, ".git", "_GIT", "002e006700690074" },
	{ 1, 0, 0, 1, "a b", "A_B", "006100200062" },
	{ 1, 0, 0, 1, "x-y~z", "X_Y_Z", "0078002d0079007e007a" },
	{ 1, 0, 0, 1, "dir.", "DIR.", "006400690072002e" },
	{ 1, 0, 0, 1, "ab.cdefgh", "AB.CDE", "00610062002e006300640065006600670068" },
	{ 2, 0, 0, 0, "abcdefghijklmnopqrstuvwxyzABCDEFGH.extension", "ABCDEFGHIJKLMNOPQRSTU.EXTENSION;1", "006100620063006400650066006700680069006a006b006c006d006e006f0070007100720073007400750076007700780079007a00410042004300440045004600470048002e0065007800740065006e00730069006f006e" },
	{ 2, 0, 0, 0, "name.averyveryverylongextension", "NAME.AVERYVERYVERYLONGEXTENSION;1", "006e0061006d0065002e0061007600650072007900760065007200790076006500720079006c006f006e00670065007800740065006e00730069006f006e" },
	{ 2, 0, 0, 0, "nnnnnnnnnnnnnnnnnnnnnnnnnnnnn", "NNNNNNNNNNNNNNNNNNNNNNNNNNNNN.;1", "006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e" },
	{ 2, 0, 0, 0, "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", "NNNNNNNNNNNNNNNNNNNNNNNNNNNNN.;1", "006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e" },
	{ 2, 0, 0, 0, "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNN.;1", "006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e" },
	{ 2, 0, 0, 0, "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNN.;1", "006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e" },
	{ 2, 0, 0, 0, "ppppppppppppppppppppppppppppp.c", "PPPPPPPPPPPPPPPPPPPPPPPPPPPPP.C;1", "00700070007000700070007000700070007000700070007000700070007000700070007000700070007000700070007000700070007000700070002e0063" },
	{ 2, 0, 0, 0, "pppppppppppppppppppppppppppppp.c", "PPPPPPPPPPPPPPPPPPPPPPPPPPPPP.C;1", "007000700070007000700070007000700070007000700070007000700070007000700070007000700070007000700070007000700070007000700070002e0063" },
	{ 2, 0, 0, 0, ".hidden", "_HIDDEN.;1", "002e00680069006400640065006e" },
	{ 2, 0, 0, 0, "a.b.c.d", "A_B_C.D;1", "0061002e0062002e0063002e0064" },
	{ 2, 0, 0, 0, "x.tar.gz", "X.TGZ;1", "0078002e007400610072002e0067007a" },
	{ 2, 0, 0, 0, "eeeeeeeeeeeeee.ffffffffffffffff", "EEEEEEEEEEEEEE.FFFFFFFFFFFFFFFF;1", "00650065006500650065006500650065006500650065006500650065002e0066006600660066006600660066006600660066006600660066006600660066" },
	{ 2, 0, 0, 0, "eeeeeeeeeeeeee.fffffffffffffff", "EEEEEEEEEEEEEE.FFFFFFFFFFFFFFF;1", "00650065006500650065006500650065006500650065006500650065002e006600660066006600660066006600660066006600660066006600660066" },
	{ 2, 0, 0, 0, "ggg.hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh", "GGG.HHHHHHHHHHHHHHHHHHHHHHHHHHH;1", "006700670067002e0068006800680068006800680068006800680068006800680068006800680068006800680068006800680068006800680068006800680068006800680068006800680068006800680068006800680068" },
	{ 2, 0, 0, 1, "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD", "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD", "0044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044" },
	{ 2, 0, 0, 1, "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD", "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD", "00440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044" },
	{ 2, 0, 0, 1, "DirName.WithDot.x", "DIRNAME_WITHDOT.X", "004400690072004e0061006d0065002e00570069007400680044006f0074002e0078" },
	{ 2, 0, 0, 1, "LongDirectoryNameExceedingEight.d", "LONGDIRECTORYNAMEEXCEEDINGEIGHT", "004c006f006e0067004400690072006500630074006f00720079004e0061006d00650045007800630065006500640069006e006700450069006700680074002e0064" },
	{ 3, 0, 0, 0, "abcdefghijklmnopqrstuvwxyzABCDEFGH.extension", "ABCDEFGHIJKLMNOPQRSTU.EXTENSION;1", "006100620063006400650066006700680069006a006b006c006d006e006f0070007100720073007400750076007700780079007a00410042004300440045004600470048002e0065007800740065006e00730069006f006e" },
	{ 3, 0, 0, 0, "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNN.;1", "006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e" },
	{ 1, ELT_RELAX_LONG_NAMES, 0, 0, "abcdefghijklmnopqrstuvwxyzABCDEFGH.extension", "ABCDEFGHIJKLMNOPQRSTU.EXTENSION;1", "006100620063006400650066006700680069006a006b006c006d006e006f0070007100720073007400750076007700780079007a00410042004300440045004600470048002e0065007800740065006e00730069006f006e" },
	{ 1, ELT_RELAX_LONG_NAMES, 0, 0, "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNN.;1", "006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e" },
	{ 1, ELT_RELAX_LONG_NAMES, 0, 1, "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD", "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD", "0044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044" },
	{ 1, ELT_RELAX_LEADING_DOTS, 0, 0, ".hidden", ".HID;1", "002e00680069006400640065006e" },
	{ 1, ELT_RELAX_LEADING_DOTS, 0, 0, ".a.b", "_A.B;1", "002e0061002e0062" },
	{ 1, ELT_RELAX_LEADING_DOTS, 0, 0, "..x", "_.X;1", "002e002e0078" },
	{ 1, ELT_RELAX_LEADING_DOTS, 0, 0, ".tar.gz", ".TGZ;1", "002e007400610072002e0067007a" },
	{ 1, ELT_RELAX_LEADING_DOTS, 0, 1, ".git", ".GIT", "002e006700690074" },
	{ 1, ELT_RELAX_OMIT_VERSION, 0, 0, "a.c", "A.C", "0061002e0063" },
	{ 1, ELT_RELAX_OMIT_VERSION, 0, 0, "noext", "NOEXT.", "006e006f006500780074" },
	{ 1, ELT_RELAX_OMIT_PERIOD, 0, 0, "noext", "NOEXT;1", "006e006f006500780074" },
	{ 1, ELT_RELAX_OMIT_PERIOD, 0, 0, "a.c", "A.C;1", "0061002e0063" },
	{ 1, ELT_RELAX_OMIT_PERIOD, 0, 0, "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", "NNNNNNNN;1", "006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e" },
	{ 2, ELT_RELAX_OMIT_PERIOD, 0, 0, "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN;1", "006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e" },
	{ 1, ELT_RELAX_LOWERCASE, 0, 0, "MiXeD.TxT", "MiXeD.TxT;1", "004d0069005800650044002e005400780054" },
	{ 1, ELT_RELAX_LOWERCASE, 0, 0, "lower", "lower.;1", "006c006f007700650072" },
	{ 1, ELT_RELAX_MULTIDOT, 0, 0, "a.b.c.d", "A.B.C.D;1", "0061002e0062002e0063002e0064" },
	{ 1, ELT_RELAX_MULTIDOT, 0, 0, "x.tar.gz", "X.TAR.GZ;1", "0078002e007400610072002e0067007a" },
	{ 1, ELT_RELAX_MULTIDOT, 0, 0, "a..b", "A..B;1", "0061002e002e0062" },
	{ 1, ELT_RELAX_RELAXED_CHARS, 0, 0, "a+b=c.txt", "A+B=C.TXT;1", "0061002b0062003d0063002e007400780074" },
	{ 1, ELT_RELAX_RELAXED_CHARS, 0, 0, "semi;colon", "SEMI;COL.;1", "00730065006d0069005f0063006f006c006f006e" },
	{ 1, ELT_RELAX_RELAXED_CHARS, 0, 0, "tab\011here", "TAB\011HERE.;1", "007400610062005f0068006500720065" },
	{ 1, ELT_RELAX_RELAXED_CHARS, 0, 0, "star*q?c:d", "STAR*Q?C.;1", "0073007400610072005f0071005f0063005f0064" },
	{ 1, ELT_RELAX_RELAXED_CHARS, 0, 0, "sp ace", "SP ACE.;1", "007300700020006100630065" },
	{ 1, ELT_RELAX_RELAXED_CHARS, 0, 0, "ctl\001z", "CTL\001Z.;1", "00630074006c005f007a" },
	{ 1, ELT_RELAX_NO_TRANSLATE, 0, 0, "x-y+z~w.c", "X-Y_Z~W.C;1", "0078002d0079002b007a007e0077002e0063" },
	{ 1, ELT_RELAX_NO_TRANSLATE, 0, 0, "#h#", "#H#.;1", "002300680023" },
	{ 1, ELT_RELAX_MAX_NAMES, 0, 0, "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", "NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN.", "006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e" },
	{ 1, ELT_RELAX_MAX_NAMES, 0, 0, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM.extension", "ABCDEFGHIJKLMNOPQRSTUVWXYZA.EXTENSION", "006100620063006400650066006700680069006a006b006c006d006e006f0070007100720073007400750076007700780079007a004100420043004400450046004700480049004a004b004c004d002e0065007800740065006e00730069006f006e" },
	{ 1, ELT_RELAX_UNTRANSLATED, 0, 0, "a.b.c.d", "a.b.c.d", "0061002e0062002e0063002e0064" },
	{ 1, ELT_RELAX_UNTRANSLATED, 0, 0, ".hidden", ".hidden", "002e00680069006400640065006e" },
	{ 1, ELT_RELAX_UNTRANSLATED, 0, 0, "x-y+z~w.c", "x-y+z~w.c", "0078002d0079002b007a007e0077002e0063" },
	{ 1, ELT_RELAX_UNTRANSLATED, 0, 0, "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn", "006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e006e" },
	{ 1, ELT_RELAX_UNTRANSLATED, 0, 0, "MiXeD.TxT", "MiXeD.TxT", "004d0069005800650044002e005400780054" },
	{ 1, ELT_RELAX_UNTRANSLATED, 0, 0, "noext", "noext", "006e006f006500780074" },
	{ 1, ELT_RELAX_UNTRANSLATED, 0, 0, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee.ext", "eeeeeeeeeeeeeeeeeeeeeeeeeee.ext", "00650065006500650065006500650065006500650065006500650065006500650065006500650065006500650065006500650065006500650065006500650065006500650065002e006500780074" },
	{ 1, ELT_RELAX_UNTRANSLATED, 0, 1, "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD", "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD", "0044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044004400440044" },
	{ 1, 0, ELT_WRITE_JOLIET_LONG, 0, "jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj", "JJJJJJJJ.;1", "006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a006a" },
	{ 1, 0, ELT_WRITE_JOLIET_LONG, 0, "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk.txt", "KKKKKKKK.TXT;1", "006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b006b002e007400780074" },
	{ 1, 0, ELT_WRITE_JOLIET_LONG, 0, "\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251\303\251", "________.;1", "00e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e900e9" },
};

static void test_single_names(void)
{
	size_t i, bad = 0;

	for (i = 0; i < sizeof name_cases / sizeof name_cases[0]; i++) {
		const struct name_case *c = &name_cases[i];
		elt_image *img = new_image();
		struct elt_stream *s = new_ctx(img, c->level, c->relax,
		                               ELT_EXT_JOLIET, c->flags);
		struct elt_node *n = add(img, c->name, c->dir);
		CU_ASSERT_FATAL(names_compute(s) == 0);
		if (!check_names(n, c->iso, c->jhex)) {
			printf(" (case %zu)", i);
			bad++;
		}
		CU_ASSERT_EQUAL(img->root->n_iso_kids, 1);
		CU_ASSERT_EQUAL(img->root->n_j_kids, 1);
		free_ctx(s);
	}
	CU_ASSERT_EQUAL(bad, 0);
}

/* ---------------------------------------------------------------- */
/* clashes: groups in genisoimage's read (readdir) order (measured)  */

struct clash_case {
	int group, level;
	unsigned int relax, ext;
	int dir;
	const char *name, *iso;
	int pos;                 /* index among the ISO records */
	const char *jhex;
};

static const struct clash_case clash_cases[] = {
	{ 1, 1, 0, 2, 0, "abcdefghil.txt", "ABCDEFGH.TXT;1", 2, "006100620063006400650066006700680069006c002e007400780074" },
	{ 1, 1, 0, 2, 0, "abcdefghik.txt", "ABCDE001.TXT;1", 1, "006100620063006400650066006700680069006b002e007400780074" },
	{ 1, 1, 0, 2, 0, "abcdefghij.txt", "ABCDE000.TXT;1", 0, "006100620063006400650066006700680069006a002e007400780074" },
	{ 2, 1, 0, 0, 0, "collide_name_24.txt", "COLLIDE_.TXT;1", 39, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_10.txt", "COLLI012.TXT;1", 38, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_07.txt", "COLLI011.TXT;1", 37, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_12.txt", "COLLI010.TXT;1", 36, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_17.txt", "COLLI00Z.TXT;1", 35, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_35.txt", "COLLI00Y.TXT;1", 34, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_00.txt", "COLLI00X.TXT;1", 33, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_18.txt", "COLLI00W.TXT;1", 32, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_15.txt", "COLLI00V.TXT;1", 31, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_08.txt", "COLLI00U.TXT;1", 30, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_22.txt", "COLLI00T.TXT;1", 29, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_19.txt", "COLLI00S.TXT;1", 28, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_11.txt", "COLLI00R.TXT;1", 27, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_28.txt", "COLLI00Q.TXT;1", 26, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_36.txt", "COLLI00P.TXT;1", 25, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_34.txt", "COLLI00O.TXT;1", 24, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_38.txt", "COLLI00N.TXT;1", 23, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_21.txt", "COLLI00M.TXT;1", 22, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_26.txt", "COLLI00L.TXT;1", 21, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_37.txt", "COLLI00K.TXT;1", 20, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_20.txt", "COLLI00J.TXT;1", 19, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_39.txt", "COLLI00I.TXT;1", 18, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_16.txt", "COLLI00H.TXT;1", 17, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_32.txt", "COLLI00G.TXT;1", 16, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_29.txt", "COLLI00F.TXT;1", 15, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_30.txt", "COLLI00E.TXT;1", 14, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_27.txt", "COLLI00D.TXT;1", 13, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_14.txt", "COLLI00C.TXT;1", 12, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_04.txt", "COLLI00B.TXT;1", 11, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_23.txt", "COLLI00A.TXT;1", 10, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_05.txt", "COLLI009.TXT;1", 9, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_02.txt", "COLLI008.TXT;1", 8, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_13.txt", "COLLI007.TXT;1", 7, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_33.txt", "COLLI006.TXT;1", 6, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_31.txt", "COLLI005.TXT;1", 5, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_25.txt", "COLLI004.TXT;1", 4, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_09.txt", "COLLI003.TXT;1", 3, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_06.txt", "COLLI002.TXT;1", 2, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_03.txt", "COLLI001.TXT;1", 1, NULL },
	{ 2, 1, 0, 0, 0, "collide_name_01.txt", "COLLI000.TXT;1", 0, NULL },
	{ 3, 2, 0, 0, 0, "a_rather_long_file_name_for_tests_4.data", "A_RATHER_LONG_FILE_NAME_FO.DATA;1", 4, NULL },
	{ 3, 2, 0, 0, 0, "a_rather_long_file_name_for_tests_3.data", "A_RATHER_LONG_FILE_NAME003.DATA;1", 3, NULL },
	{ 3, 2, 0, 0, 0, "a_rather_long_file_name_for_tests_1.data", "A_RATHER_LONG_FILE_NAME002.DATA;1", 2, NULL },
	{ 3, 2, 0, 0, 0, "a_rather_long_file_name_for_tests_0.data", "A_RATHER_LONG_FILE_NAME001.DATA;1", 1, NULL },
	{ 3, 2, 0, 0, 0, "a_rather_long_file_name_for_tests_2.data", "A_RATHER_LONG_FILE_NAME000.DATA;1", 0, NULL },
	{ 4, 1, ELT_RELAX_OMIT_PERIOD, 0, 0, "Noext", "NOEXT;1", 0, NULL },
	{ 4, 1, ELT_RELAX_OMIT_PERIOD, 0, 1, "noExt", "NOEXT002;1", 3, NULL },
	{ 4, 1, ELT_RELAX_OMIT_PERIOD, 0, 0, "NOEXT", "NOEXT001", 2, NULL },
	{ 4, 1, ELT_RELAX_OMIT_PERIOD, 0, 0, "noext", "NOEXT000;1", 1, NULL },
	{ 5, 1, ELT_RELAX_OMIT_VERSION, 0, 0, "a.c", "A.C", 0, NULL },
	{ 5, 1, ELT_RELAX_OMIT_VERSION, 0, 0, "A.c", "A001.C", 2, NULL },
	{ 5, 1, ELT_RELAX_OMIT_VERSION, 0, 0, "a.C", "A000.C", 1, NULL },
	{ 6, 1, 0, 2, 0, "a*b", "A_B.;1", 0, "0061005f0062" },
	{ 6, 1, 0, 2, 0, "a?b", "A_B001.;1", 2, "0061005f0062" },
	{ 6, 1, 0, 2, 0, "a:b", "A_B000.;1", 1, "0061005f0062" },
	{ 7, 1, ELT_RELAX_LEADING_DOTS, 0, 0, ".abcdefghik", ".ABC;1", 0, NULL },
	{ 7, 1, ELT_RELAX_LEADING_DOTS, 0, 0, ".abcdefghil", "001.ABC;1", 2, NULL },
	{ 7, 1, ELT_RELAX_LEADING_DOTS, 0, 0, ".abcdefghij", "000.ABC;1", 1, NULL },
	{ 8, 1, ELT_RELAX_MULTIDOT, 0, 0, "abcdefgh.y.d", "ABCDEFGH.D;1", 2, NULL },
	{ 8, 1, ELT_RELAX_MULTIDOT, 0, 0, "abcdefgh.z.d", "ABCDE001.D;1", 1, NULL },
	{ 8, 1, ELT_RELAX_MULTIDOT, 0, 0, "abcdefgh.x.d", "ABCDE000.D;1", 0, NULL },
	{ 9, 1, 0, 2, 1, "subdirectory2", "SUBDIREC", 1, "007300750062006400690072006500630074006f007200790032" },
	{ 9, 1, 0, 2, 1, "subdirectory1", "SUBDI000", 0, "007300750062006400690072006500630074006f007200790031" },
	{ 9, 1, 0, 2, 0, "subdirectory3", "SUBDIREC.;1", 2, "007300750062006400690072006500630074006f007200790033" },
	{ 10, 2, ELT_RELAX_UNTRANSLATED, 0, 0, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx1", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 3, NULL },
	{ 10, 2, ELT_RELAX_UNTRANSLATED, 0, 0, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx2", "xxxxxxxxxxxxxxxxxxxxxxxxxxxx002", 2, NULL },
	{ 10, 2, ELT_RELAX_UNTRANSLATED, 0, 0, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx3", "xxxxxxxxxxxxxxxxxxxxxxxxxxxx001", 1, NULL },
	{ 10, 2, ELT_RELAX_UNTRANSLATED, 0, 0, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx0", "xxxxxxxxxxxxxxxxxxxxxxxxxxxx000", 0, NULL },
	{ 11, 1, ELT_RELAX_RELAXED_CHARS, 0, 0, "a;d", "A;D.;1", 2, NULL },
	{ 11, 1, ELT_RELAX_RELAXED_CHARS, 0, 0, "a;b", "A;B.;1", 1, NULL },
	{ 11, 1, ELT_RELAX_RELAXED_CHARS, 0, 0, "a;c", "A;C.;1", 0, NULL },
	{ 12, 1, 0, 2, 0, "semiXcolon", "SEMIXCOL.;1", 1, "00730065006d006900580063006f006c006f006e" },
	{ 12, 1, 0, 2, 0, "semi-colon", "SEMI_COL.;1", 4, "00730065006d0069002d0063006f006c006f006e" },
	{ 12, 1, 0, 2, 0, "semi_colon", "SEMI_001.;1", 3, "00730065006d0069005f0063006f006c006f006e" },
	{ 12, 1, 0, 2, 0, "semi", "SEMI.;1", 0, "00730065006d0069" },
	{ 12, 1, 0, 2, 0, "semi;colon", "SEMI_000.;1", 2, "00730065006d0069005f0063006f006c006f006e" },
};

static void test_clashes(void)
{
	size_t i = 0, n = sizeof clash_cases / sizeof clash_cases[0];
	int groups = 0;

	while (i < n) {
		const struct clash_case *g = &clash_cases[i];
		elt_image *img = new_image();
		struct elt_stream *s = new_ctx(img, g->level, g->relax, g->ext, 0);
		struct elt_node *nodes[64];
		size_t j, k;

		for (j = i; j < n && clash_cases[j].group == g->group; j++)
			nodes[j - i] = add(img, clash_cases[j].name,
			                   clash_cases[j].dir);
		CU_ASSERT_FATAL(names_compute(s) == 0);
		for (k = i; k < j; k++) {
			const struct clash_case *c = &clash_cases[k];
			struct elt_node *nd = nodes[k - i];
			int ok = check_names(nd, c->iso, c->jhex);
			CU_ASSERT(ok);
			CU_ASSERT_EQUAL(iso_pos(img->root, nd), c->pos);
			if (!ok || iso_pos(img->root, nd) != c->pos)
				printf("\n  group %d: %s -> %s at %d (want %s at %d)",
				       c->group, c->name, nd->iso_name,
				       iso_pos(img->root, nd), c->iso, c->pos);
		}
		free_ctx(s);
		groups++;
		i = j;
	}
	CU_ASSERT(groups >= 10);
}

/* A directory genisoimage invents for a graft point keeps its name in a
 * clash; measured with `genisoimage -graft-points t abcdefghij/x=f`
 * where t holds the directories abcdefghil and abcdefghik (read in that
 * order). */
static void test_invented_priority(void)
{
	elt_image *img = new_image();
	struct elt_stream *s = new_ctx(img, 1, 0, 0, 0);
	struct elt_node *l = add(img, "abcdefghil", 1);
	struct elt_node *k = add(img, "abcdefghik", 1);
	struct elt_node *j;

	CU_ASSERT_FATAL(elt_image_add_mem(img, "/abcdefghij/x", "x", 1) == 0);
	CU_ASSERT_FATAL(elt_image_lookup(&j, img, "/abcdefghij") == 0);
	CU_ASSERT(j->flags & NODE_INVENTED);
	CU_ASSERT_FATAL(names_compute(s) == 0);
	CU_ASSERT(check_names(l, "ABCDE001", NULL));
	CU_ASSERT(check_names(k, "ABCDE000", NULL));
	CU_ASSERT(check_names(j, "ABCDEFGH", NULL));
	/* without the invented flag, the first read would keep the name */
	names_free(img->root);
	j->flags &= (uint16_t)~NODE_INVENTED;
	CU_ASSERT_FATAL(names_compute(s) == 0);
	CU_ASSERT(check_names(l, "ABCDEFGH", NULL));
	free_ctx(s);
}

/* Names that are never looked up (relaxed, with ';') and come out equal:
 * genisoimage stops ("same ISO9660 name", "Unable to sort directory"). */
static void test_same_iso_name_refused(void)
{
	elt_image *img = new_image();
	struct elt_stream *s = new_ctx(img, 1, ELT_RELAX_RELAXED_CHARS, 0, 0);

	add(img, "a;b", 0);
	add(img, "A;b", 0);
	CU_ASSERT_EQUAL(names_compute(s), ELT_EEXIST);
	CU_ASSERT_PTR_NULL(img->root->iso_kids);
	free_ctx(s);
}

/* genisoimage fails when two names agree in their first 64 bytes ("same
 * Joliet name"); the library renames the later one and warns. */
static void test_joliet_same_name(void)
{
	char a[80], b[80];
	elt_image *img = new_image();
	struct elt_stream *s = new_ctx(img, 1, 0, ELT_EXT_JOLIET, 0);
	struct elt_node *x, *y, *z;

	memset(a, 'a', 70);
	strcpy(a + 70, "xxx1");
	memcpy(b, a, sizeof a);
	b[73] = '2';
	x = add(img, a, 0);
	y = add(img, b, 0);
	b[73] = '3';
	z = add(img, b, 0);
	CU_ASSERT_FATAL(names_compute(s) == 0);
	CU_ASSERT_EQUAL(x->jlen, 128);
	CU_ASSERT_EQUAL(y->jlen, 128);
	CU_ASSERT_EQUAL(z->jlen, 128);
	CU_ASSERT(memcmp(x->jname, y->jname, 128) != 0);
	CU_ASSERT(memcmp(x->jname, z->jname, 128) != 0);
	CU_ASSERT(memcmp(y->jname, z->jname, 128) != 0);
	CU_ASSERT_EQUAL(n_mangled_msgs, 2 + 2); /* 2 ISO renames, 2 Joliet */
	free_ctx(s);
	/* with -joliet-long the names fit and nothing is renamed */
	img = new_image();
	s = new_ctx(img, 1, 0, ELT_EXT_JOLIET, ELT_WRITE_JOLIET_LONG);
	x = add(img, a, 0);
	CU_ASSERT_FATAL(names_compute(s) == 0);
	CU_ASSERT_EQUAL(x->jlen, 2 * 74);
	free_ctx(s);
}

/* What genisoimage writes when iconv stops early (measured): a name cut
 * at a character outside the BMP or an incomplete tail; an invalid byte
 * (where genisoimage aborts) gives a charset warning. Where nothing is
 * left genisoimage writes an empty identifier; we write "_" (compat.md). */
static void test_joliet_charset(void)
{
	static const struct { const char *name, *jhex; int charset; } c[] = {
		{ "abc\xf0\x9f\x98\x80", "006100620063", 0 },
		{ "\xf0\x9f\x98\x80" "abc", "005f", 0 },
		{ "abc\xc3", "006100620063", 0 },
		{ "abc\xe4\xb8", "006100620063", 0 },
		{ "a\xff" "b", "0061", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		elt_image *img = new_image();
		struct elt_stream *s = new_ctx(img, 1, 0, ELT_EXT_JOLIET, 0);
		struct elt_node *n = add(img, c[i].name, 0);
		char exp[64];
		int l;

		CU_ASSERT_FATAL(names_compute(s) == 0);
		l = unhex(c[i].jhex, exp);
		CU_ASSERT_EQUAL(n->jlen, l);
		CU_ASSERT(n->jname && memcmp(n->jname, exp, (size_t)l) == 0);
		CU_ASSERT_EQUAL(n_charset_msgs, c[i].charset);
		free_ctx(s);
	}
}

/* Where genisoimage stops with "Incorrectly encoded string" (measured):
 * its sort meets a character outside the BMP when another name shares
 * the characters before it; alone, the name is only cut. */
static void test_joliet_abort(void)
{
	static const struct { const char *a, *b; int aborts; } c[] = {
		{ "\xf0\x9f\x98\x80" "abc", "xyz", 1 },
		{ "abc\xf0\x9f\x98\x80" "1", "abc\xf0\x9f\x98\x80" "2", 1 },
		{ "abc\xf0\x9f\x98\x80", "xyz", 0 },
		{ "abc\xc3", "abc", 0 },
		{ "latin1-caf\xe9.txt", "other", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		elt_image *img = new_image();
		struct elt_stream *s = new_ctx(img, 1, 0, ELT_EXT_JOLIET, 0);
		add(img, c[i].a, 0);
		add(img, c[i].b, 0);
		CU_ASSERT_FATAL(names_compute(s) == 0);
		CU_ASSERT_EQUAL(n_charset_msgs > 0, c[i].aborts);
		free_ctx(s);
	}
}

/* Joliet order: whole names compared in UCS-2, ';' first and an
 * incomplete tail before any character (measured: abc, abc;, abc\xc3,
 * abc\\xc3, abcd). */
static void test_joliet_order(void)
{
	static const char *want[] = { "abc", "abc;", "abc\xc3", "abc\\xc3", "abcd" };
	static const char *ins[] = { "abcd", "abc\\xc3", "abc;", "abc\xc3", "abc" };
	elt_image *img = new_image();
	struct elt_stream *s = new_ctx(img, 1, 0, ELT_EXT_JOLIET, 0);
	size_t i;

	for (i = 0; i < 5; i++)
		add(img, ins[i], 0);
	CU_ASSERT_FATAL(names_compute(s) == 0);
	CU_ASSERT_EQUAL_FATAL(img->root->n_j_kids, 5);
	for (i = 0; i < 5; i++)
		CU_ASSERT_STRING_EQUAL(img->root->j_kids[i]->name, want[i]);
	free_ctx(s);
}

/* Hidden entries stay out of the namespace they are hidden from. */
static void test_hidden(void)
{
	elt_image *img = new_image();
	struct elt_stream *s = new_ctx(img, 1, 0, ELT_EXT_JOLIET, 0);
	struct elt_node *a = add(img, "abcdefghij", 0);
	struct elt_node *b = add(img, "abcdefghik", 0);
	struct elt_node *d = add(img, "sub", 1);
	struct elt_node *inner;

	CU_ASSERT_FATAL(elt_image_lookup(&inner, img, "/sub/zz") == 0);
	CU_ASSERT(elt_node_set_hidden(a, ELT_NS_ISO) == 0);
	CU_ASSERT(elt_node_set_hidden(d, ELT_NS_JOLIET) == 0);
	CU_ASSERT_FATAL(names_compute(s) == 0);
	/* the hidden one takes no part in the clash */
	CU_ASSERT(check_names(b, "ABCDEFGH.;1", NULL));
	CU_ASSERT_EQUAL(img->root->n_iso_kids, 2);
	CU_ASSERT_EQUAL(img->root->n_j_kids, 2);
	CU_ASSERT_EQUAL(iso_pos(img->root, a), -1);
	CU_ASSERT_EQUAL(d->n_iso_kids, 1);
	CU_ASSERT_EQUAL(d->n_j_kids, 0);
	CU_ASSERT_PTR_NULL(inner->jname);
	free_ctx(s);
}

/* Thousands of clashes and a huge directory: every name unique, records
 * in order (genisoimage itself is compared in the live test). */
static void check_sorted_unique(const struct elt_node *dir)
{
	uint32_t i;
	int bad = 0;

	for (i = 1; i < dir->n_iso_kids; i++) {
		const char *p = dir->iso_kids[i - 1]->iso_name;
		const char *q = dir->iso_kids[i]->iso_name;
		/* ';' before '.' before anything else */
		while (*p && *p == *q)
			p++, q++;
		if (!(*p == ';' || (*p == '.' && *q != ';') ||
		      (*q != ';' && *q != '.' && (unsigned char)*p < (unsigned char)*q)))
			bad++;
	}
	CU_ASSERT_EQUAL(bad, 0);
}

static void test_many(void)
{
	elt_image *img = new_image();
	struct elt_stream *s = new_ctx(img, 1, 0, ELT_EXT_JOLIET, 0);
	char name[64];
	uint32_t i;

	/* 3000 names sharing one 8.3 name, 100,000 in the directory */
	for (i = 0; i < 100000; i++) {
		struct elt_node *n;
		if (i < 3000)
			snprintf(name, sizeof name, "collide_name_%04u.txt", i);
		else
			snprintf(name, sizeof name, "f%07u", i);
		n = tree_new_node(img, img->root, name, strlen(name));
		CU_ASSERT_FATAL(n != NULL);
		n->mode = S_IFREG | 0644;
	}
	CU_ASSERT_FATAL(names_compute(s) == 0);
	CU_ASSERT_EQUAL(img->root->n_iso_kids, 100000);
	CU_ASSERT_EQUAL(img->root->n_j_kids, 100000);
	check_sorted_unique(img->root);
	/* the first read keeps the name, the last read gets counter 000 */
	CU_ASSERT_STRING_EQUAL(img->root->first_child->iso_name, "COLLIDE_.TXT;1");
	free_ctx(s);
}

/* 36^3 names per template at most: one more is an error, not a loop. */
static void test_rename_limit(void)
{
	elt_image *img = new_image();
	struct elt_stream *s = new_ctx(img, 1, 0, 0, 0);
	char name[64];
	uint32_t i;

	for (i = 0; i < 36 * 36 * 36 + 2; i++) {
		struct elt_node *n;
		snprintf(name, sizeof name, "samename%06u", i);
		n = tree_new_node(img, img->root, name, strlen(name));
		CU_ASSERT_FATAL(n != NULL);
		n->mode = S_IFREG | 0644;
	}
	CU_ASSERT_EQUAL(names_compute(s), ELT_ELIMIT);
	free_ctx(s);
}

/* ---------------------------------------------------------------- */
/* live: genisoimage on random trees                                 */

static int have_genisoimage(void)
{
	return system("genisoimage -version >/dev/null 2>&1") == 0;
}

struct grec {
	uint32_t size;           /* file size, or the size of a dir's "zz" */
	uint8_t len, flags;
	char id[256];
};

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Records of a directory after '.' and '..' (independent reader). */
static int read_recs(const uint8_t *img, size_t len, uint32_t lba,
                     uint32_t size, struct grec *out, int max)
{
	uint32_t off = 0;
	int n = 0, seen = 0;

	if ((uint64_t)lba * 2048 + size > len)
		return -1;
	while (off < size && n < max) {
		const uint8_t *r = img + (size_t)lba * 2048 + off;
		if (r[0] == 0) {
			off = (off / 2048 + 1) * 2048;
			continue;
		}
		if (seen++ >= 2) {
			out[n].size = le32(r + 10);
			out[n].flags = r[25];
			out[n].len = r[32];
			memcpy(out[n].id, r + 33, r[32]);
			if (r[25] & 2) {  /* a directory: its first entry */
				struct grec kid[1];
				if (read_recs(img, len, le32(r + 2), le32(r + 10),
				              kid, 1) == 1)
					out[n].size = kid[0].size;
			}
			n++;
		}
		off += r[0];
	}
	return n;
}

/* Root records of the primary (ns 0) or Joliet (ns 1) tree. */
static int read_root(const uint8_t *img, size_t len, int ns,
                     struct grec *out, int max)
{
	uint32_t lba;

	for (lba = 16; (lba + 1) * 2048 <= len; lba++) {
		const uint8_t *vd = img + (size_t)lba * 2048;
		if (vd[0] == 255)
			break;
		if ((ns == 0 && vd[0] == 1) ||
		    (ns == 1 && vd[0] == 2 && vd[88] == '%' && vd[89] == '/'))
			return read_recs(img, len, le32(vd + 156 + 2),
			                 le32(vd + 156 + 10), out, max);
	}
	return -1;
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0) {
		buf = malloc((size_t)n);
		rewind(f);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static uint32_t rnd_state;

static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

/* A random name: ASCII of every class mkisofs treats differently, a few
 * UTF-8 characters, dots in odd places, lengths around every limit. */
static void random_name(char *out)
{
	static const char *pieces[] = {
		"a", "b", "Z", "q", "0", "7", ".", ".", "_", "-", "~", "#", " ",
		"+", "=", "%", ",", ";", "!", "'", "(", "[", "{", "@", "$", "&",
		"*", "?", ":", "\\", "^", "`", "|", "\t", "\x7f", "\xc3\xa9",
		"\xe4\xb8\xad", ".tar.gz", ".c", ".TXT", "~1~", "x", "y", "m",
	};
	static const int lens[] = { 1, 3, 8, 9, 12, 13, 29, 30, 31, 33, 37,
	                            40, 63, 64, 65, 70, 103, 110 };
	int want = lens[rnd(sizeof lens / sizeof lens[0])], n = 0;

	while (n < want) {
		const char *p = pieces[rnd(sizeof pieces / sizeof pieces[0])];
		size_t l = strlen(p);
		if (n + l > 200)
			break;
		memcpy(out + n, p, l);
		n += (int)l;
	}
	if (rnd(10) == 0)
		out[n++] = '\xc3';        /* incomplete tail */
	out[n] = '\0';
	if (strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
		strcpy(out, "dot");
}

struct live_cfg {
	int level;
	unsigned int relax, ext, flags;
	const char *opts;
};

static const struct live_cfg live_cfgs[] = {
	{ 1, 0, ELT_EXT_JOLIET, 0, "-J" },
	{ 2, 0, ELT_EXT_JOLIET, ELT_WRITE_JOLIET_LONG, "-iso-level 2 -J -joliet-long" },
	{ 3, 0, ELT_EXT_JOLIET | ELT_EXT_ROCKRIDGE, 0, "-iso-level 3 -J -R" },
	{ 1, ELT_RELAX_LONG_NAMES | ELT_RELAX_OMIT_VERSION, ELT_EXT_JOLIET, 0, "-l -N -J" },
	{ 1, ELT_RELAX_LEADING_DOTS | ELT_RELAX_OMIT_PERIOD, ELT_EXT_JOLIET, 0,
	  "-allow-leading-dots -d -J" },
	{ 1, ELT_RELAX_LOWERCASE | ELT_RELAX_MULTIDOT, ELT_EXT_JOLIET, 0,
	  "-allow-lowercase -allow-multidot -J" },
	{ 2, ELT_RELAX_RELAXED_CHARS | ELT_RELAX_NO_TRANSLATE, ELT_EXT_JOLIET, 0,
	  "-iso-level 2 -relaxed-filenames -no-iso-translate -J" },
	{ 1, ELT_RELAX_MAX_NAMES, ELT_EXT_JOLIET, 0, "-max-iso9660-filenames -J" },
	{ 1, ELT_RELAX_UNTRANSLATED, ELT_EXT_JOLIET, 0, "-U -J" },
};

static int compare_tree(const char *src, const struct live_cfg *cfg,
                        const char *iso, int whole)
{
	struct grec *g = calloc(4096, sizeof *g);
	elt_image *img = new_image();
	struct elt_stream *s = new_ctx(img, cfg->level, cfg->relax, cfg->ext,
	                               cfg->flags);
	uint8_t *buf;
	size_t len = 0;
	int ng, ns, i, bad = 0;

	CU_ASSERT_FATAL(g != NULL);
	CU_ASSERT_FATAL(elt_image_add_tree(img, "/", src, 0) == 0);
	CU_ASSERT_FATAL(names_compute(s) == 0);
	buf = slurp(iso, &len);
	CU_ASSERT_FATAL(buf != NULL);
	for (ns = 0; ns < ((cfg->ext & ELT_EXT_JOLIET) ? 2 : 1); ns++) {
		struct elt_node **kids = ns ? img->root->j_kids : img->root->iso_kids;
		uint32_t nk = ns ? img->root->n_j_kids : img->root->n_iso_kids;
		ng = read_root(buf, len, ns, g, 4096);
		CU_ASSERT_EQUAL(ng, (int)nk);
		for (i = 0; i < ng && i < (int)nk; i++) {
			struct elt_node *n = kids[i];
			uint64_t sz = S_ISDIR(n->mode) ? n->first_child->size : n->size;
			const char *id = ns ? n->jname : n->iso_name;
			uint8_t il = ns ? n->jlen : n->iso_len;
			if (sz != g[i].size || il != g[i].len ||
			    memcmp(id, g[i].id, il) != 0) {
				if (bad++ < 5)
					show(ns ? "joliet record" : "iso record",
					     n->name, id, il, g[i].id, g[i].len);
			}
		}
	}
	free(buf);
	names_free(img->root);
	if (whole) {
		/* the same names through a whole image of ours */
		uint8_t *ours = NULL;
		size_t olen = 0;
		struct grec *o = calloc(4096, sizeof *o);
		elt_write_opts w = s->w.o;
		CU_ASSERT_FATAL(o != NULL);
		if (util_build(img, &w, &ours, &olen) == 0) {
			buf = slurp(iso, &len);
			for (ns = 0; buf && ns < ((cfg->ext & ELT_EXT_JOLIET) ? 2 : 1); ns++) {
				int no = read_root(ours, olen, ns, o, 4096);
				ng = read_root(buf, len, ns, g, 4096);
				CU_ASSERT_EQUAL(no, ng);
				for (i = 0; i < ng && i < no; i++)
					if (o[i].len != g[i].len ||
					    memcmp(o[i].id, g[i].id, g[i].len) ||
					    o[i].size != g[i].size) {
						if (bad++ < 5)
							show("record in our image", "", o[i].id,
							     o[i].len, g[i].id, g[i].len);
					}
			}
			free(buf);
			free(ours);
		} else {
			printf("\n  whole image not built: %s", elt_image_errmsg(img));
			bad++;
		}
		free(o);
	}
	free_ctx(s);
	free(g);
	return bad;
}

static void test_live(void)
{
	char *dir, path[1024], iso[1024], cmd[4096];
	size_t c;
	int round, bad = 0, runs = 0;
	const char *seed = getenv("ELT_NAMES_SEED");

	if (!have_genisoimage()) {
		printf("\n  skipped: genisoimage not installed");
		return;
	}
	rnd_state = seed ? (uint32_t)strtoul(seed, NULL, 0) : 20261129u;
	dir = util_tmpdir();
	CU_ASSERT_FATAL(dir != NULL);
	for (c = 0; c < sizeof live_cfgs / sizeof live_cfgs[0]; c++) {
		for (round = 0; round < 2; round++) {
			int i, files = 60;
			snprintf(path, sizeof path, "%s/t%zu_%d", dir, c, round);
			CU_ASSERT_FATAL(mkdir(path, 0755) == 0);
			for (i = 0; i < files; i++) {
				char name[256], p2[1536], data[256];
				random_name(name);
				snprintf(p2, sizeof p2, "%s/%s", path, name);
				memset(data, 'x', sizeof data);
				if (rnd(6) == 0) {
					if (mkdir(p2, 0755) != 0)
						continue;
					strcat(p2, "/zz");
				} else if (access(p2, F_OK) == 0) {
					continue;
				}
				/* sizes identify the records: i + 1 bytes */
				CU_ASSERT_FATAL(util_write_file(p2, data, (size_t)i + 1) == 0);
			}
			snprintf(iso, sizeof iso, "%s/g%zu_%d.iso", dir, c, round);
			snprintf(cmd, sizeof cmd,
			         "LC_ALL=C.UTF-8 genisoimage -quiet -input-charset utf-8 %s -o '%s' '%s' 2>/dev/null",
			         live_cfgs[c].opts, iso, path);
			if (system(cmd) != 0)
				continue;  /* genisoimage refused (e.g. 64-byte clash) */
			runs++;
			bad += compare_tree(path, &live_cfgs[c], iso, round == 0);
		}
	}
	/* 3000 names sharing an 8.3 name */
	snprintf(path, sizeof path, "%s/clash", dir);
	CU_ASSERT_FATAL(mkdir(path, 0755) == 0);
	for (c = 0; c < 3000; c++) {
		char p2[1536];
		snprintf(p2, sizeof p2, "%s/collide_name_%04zu.txt", path, c);
		CU_ASSERT_FATAL(util_write_file(p2, "xxxx", 0) == 0);
	}
	snprintf(iso, sizeof iso, "%s/clash.iso", dir);
	snprintf(cmd, sizeof cmd, "genisoimage -quiet -o '%s' '%s' 2>/dev/null",
	         iso, path);
	if (system(cmd) == 0) {
		static const struct live_cfg l1 = { 1, 0, 0, 0, "" };
		struct grec *g = calloc(4096, sizeof *g);
		elt_image *img = new_image();
		struct elt_stream *s = new_ctx(img, 1, 0, 0, 0);
		uint8_t *buf;
		size_t len = 0;
		int ng, i;
		(void)l1;
		CU_ASSERT_FATAL(elt_image_add_tree(img, "/", path, 0) == 0);
		CU_ASSERT_FATAL(names_compute(s) == 0);
		buf = slurp(iso, &len);
		ng = buf ? read_root(buf, len, 0, g, 4096) : -1;
		CU_ASSERT_EQUAL(ng, 3000);
		for (i = 0; i < ng && i < (int)img->root->n_iso_kids; i++)
			if (strncmp(img->root->iso_kids[i]->iso_name, g[i].id, g[i].len) ||
			    img->root->iso_kids[i]->iso_len != g[i].len)
				bad++;
		runs++;
		free(buf);
		free(g);
		free_ctx(s);
	}
	util_rm_rf(dir);
	free(dir);
	printf("\n  %d live comparisons with genisoimage", runs);
	CU_ASSERT(runs > 10);
	CU_ASSERT_EQUAL(bad, 0);
}

/* Symbolic links: left out of every namespace without Rock Ridge, as
 * genisoimage does ("Symlink ... ignored"); kept with it. */
static void test_symlinks(void)
{
	char *dir = util_tmpdir(), p[1024];
	int rr;

	CU_ASSERT_FATAL(dir != NULL);
	snprintf(p, sizeof p, "%s/file", dir);
	CU_ASSERT_FATAL(util_write_file(p, "x", 1) == 0);
	snprintf(p, sizeof p, "%s/link", dir);
	CU_ASSERT_FATAL(symlink("file", p) == 0);
	for (rr = 0; rr < 2; rr++) {
		elt_image *img = new_image();
		struct elt_stream *s = new_ctx(img, 1, 0, ELT_EXT_JOLIET |
		                               (rr ? ELT_EXT_ROCKRIDGE : 0), 0);
		CU_ASSERT_FATAL(elt_image_add_tree(img, "/", dir, 0) == 0);
		CU_ASSERT_FATAL(names_compute(s) == 0);
		CU_ASSERT_EQUAL(img->root->n_iso_kids, rr ? 2u : 1u);
		CU_ASSERT_EQUAL(img->root->n_j_kids, rr ? 2u : 1u);
		CU_ASSERT_EQUAL(n_skipped_msgs, rr ? 0 : 1);
		free_ctx(s);
	}
	util_rm_rf(dir);
	free(dir);
}

/* The Joliet SVD next to genisoimage's for the same options. */
static void test_svd(void)
{
	char *dir, p[1024], iso[1024], cmd[4096];
	elt_image *img;
	elt_write_opts o;
	uint8_t *g, *ours = NULL;
	size_t glen = 0, olen = 0;
	int i;
	static const struct { int off, len; } fields[] = {
		{ 8, 32 }, { 40, 32 }, { 88, 32 }, { 190, 128 }, { 318, 128 },
		{ 446, 128 }, { 574, 128 }, { 702, 37 }, { 739, 37 }, { 776, 37 },
	};

	if (!have_genisoimage()) {
		printf("\n  skipped: genisoimage not installed");
		return;
	}
	dir = util_tmpdir();
	CU_ASSERT_FATAL(dir != NULL);
	snprintf(p, sizeof p, "%s/t", dir);
	CU_ASSERT_FATAL(mkdir(p, 0755) == 0);
	snprintf(p, sizeof p, "%s/t/f", dir);
	CU_ASSERT_FATAL(util_write_file(p, "x", 1) == 0);
	snprintf(iso, sizeof iso, "%s/g.iso", dir);
	snprintf(cmd, sizeof cmd, "genisoimage -quiet -input-charset utf-8 -J "
	         "-V 'my:vol*x?' -sysid 'SYS;ID' -publisher 'Pub/lisher \xc3\xa9' "
	         "-p prep -A 'app (c) 1/2' -copyright copy.txt -abstract abs "
	         "-biblio bib -volset 'set\\one' -o '%s' '%s/t' 2>/dev/null",
	         iso, dir);
	CU_ASSERT_FATAL(system(cmd) == 0);
	g = slurp(iso, &glen);
	CU_ASSERT_FATAL(g != NULL);
	img = new_image();
	snprintf(p, sizeof p, "%s/t", dir);
	CU_ASSERT_FATAL(elt_image_add_tree(img, "/", p, 0) == 0);
	elt_write_opts_init(&o, ELT_WRITE_OPTS_VERSION);
	o.ext = ELT_EXT_JOLIET;
	o.volume_id = "my:vol*x?";
	o.system_id = "SYS;ID";
	o.publisher = "Pub/lisher \xc3\xa9";
	o.preparer = "prep";
	o.app_id = "app (c) 1/2";
	o.copyright_file = "copy.txt";
	o.abstract_file = "abs";
	o.biblio_file = "bib";
	o.volset_id = "set\\one";
	CU_ASSERT_FATAL(util_build(img, &o, &ours, &olen) == 0);
	CU_ASSERT_FATAL(olen > 18 * 2048 && glen > 18 * 2048);
	/* type, id, version, flags, escapes and the text fields */
	CU_ASSERT(memcmp(ours + 17 * 2048, g + 17 * 2048, 8) == 0);
	for (i = 0; i < (int)(sizeof fields / sizeof fields[0]); i++)
		if (memcmp(ours + 17 * 2048 + fields[i].off,
		           g + 17 * 2048 + fields[i].off, (size_t)fields[i].len)) {
			printf("\n  svd field at %d differs", fields[i].off);
			CU_FAIL("svd field");
		}
	/* the root record points at the Joliet root, as in genisoimage */
	CU_ASSERT(memcmp(ours + 17 * 2048 + 156, g + 17 * 2048 + 156, 18) == 0);
	/* level 1 and 2 escapes */
	for (i = 1; i <= 2; i++) {
		uint8_t *b = NULL;
		size_t bl = 0;
		o.ucs_level = i;
		CU_ASSERT_FATAL(util_build(img, &o, &b, &bl) == 0);
		CU_ASSERT_EQUAL(b[17 * 2048 + 90], i == 1 ? '@' : 'C');
		free(b);
	}
	free(ours);
	free(g);
	elt_image_free(img);
	util_rm_rf(dir);
	free(dir);
}

int register_tests(void)
{
	CU_pSuite s = CU_add_suite("names", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "single names (measured)", test_single_names) ||
	    !CU_add_test(s, "clashes (measured)", test_clashes) ||
	    !CU_add_test(s, "invented directories win clashes", test_invented_priority) ||
	    !CU_add_test(s, "same iso9660 name refused", test_same_iso_name_refused) ||
	    !CU_add_test(s, "joliet: same 64-byte prefix", test_joliet_same_name) ||
	    !CU_add_test(s, "joliet: charset stops", test_joliet_charset) ||
	    !CU_add_test(s, "joliet: order", test_joliet_order) ||
	    !CU_add_test(s, "joliet: where genisoimage aborts", test_joliet_abort) ||
	    !CU_add_test(s, "hidden entries", test_hidden) ||
	    !CU_add_test(s, "100,000 entries, 3,000 clashes", test_many) ||
	    !CU_add_test(s, "rename counter limit", test_rename_limit) ||
	    !CU_add_test(s, "symbolic links without rock ridge", test_symlinks) ||
	    !CU_add_test(s, "live genisoimage comparison", test_live) ||
	    !CU_add_test(s, "joliet svd", test_svd))
		return -1;
	return 0;
}
