/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Rock Ridge, checked on whole images by a SUSP 1.12 / RRIP 1.12 reader
 * written here from the specifications (it shares no code with
 * rockridge.c): every entry well formed, continuation areas inside one
 * block and not overlapping, RR flags matching the entries present,
 * names and link targets round-tripping, -r modes. When genisoimage is
 * installed, the system use areas of images it makes of the same tree
 * are compared entry by entry (continuation blocks and CL/PL targets,
 * which depend on the layout, left out).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "util.h"
#include "internal.h"

#define B 2048u

/* proposed public flags (mkisofs -no-split-symlink-components/-fields) */
#ifndef ELT_WRITE_RR_NO_SPLIT_COMPONENTS
#define ELT_WRITE_RR_NO_SPLIT_COMPONENTS 0x8u
#endif
#ifndef ELT_WRITE_RR_NO_SPLIT_FIELDS
#define ELT_WRITE_RR_NO_SPLIT_FIELDS 0x10u
#endif

/* ---- a reader from the specifications ---- */

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static int both32(const uint8_t *p, uint32_t *v)
{
	uint32_t be = (uint32_t)p[4] << 24 | p[5] << 16 | p[6] << 8 | p[7];
	*v = le32(p);
	return *v == be ? 0 : -1;
}

/* One directory record as a Rock Ridge reader sees it. */
struct rrec {
	char path[1024];
	int which;                 /* 0 ".", 1 "..", 2 a child */
	int has_sp, has_rr, has_px, has_pn, has_tf, has_re, has_cl, has_pl;
	int has_nm, has_sl, has_er;
	uint8_t rrflags;
	uint32_t mode, nlink, uid, gid, major, minor;
	char nm[1024];
	size_t nmlen;
	char sl[8192];
	size_t sllen;
	int sl_need_sep, sl_comp_open;
	uint8_t canon[16384];      /* entries, layout-dependent fields zeroed */
	size_t canon_len;
};

struct img {
	const uint8_t *p;
	size_t len;
	uint8_t *claimed;          /* continuation bytes already used */
	char err[512];
	struct rrec *recs;
	size_t n, cap;
};

static int fail(struct img *im, const char *path, const char *what)
{
	if (!im->err[0])
		snprintf(im->err, sizeof im->err, "%.200s: %.300s", path, what);
	return -1;
}

static void canon_add(struct rrec *r, const uint8_t *p, size_t n)
{
	if (r->canon_len + n <= sizeof r->canon) {
		memcpy(r->canon + r->canon_len, p, n);
		r->canon_len += n;
	}
}

static void sl_add(struct rrec *r, const char *s, size_t n)
{
	if (r->sllen + n < sizeof r->sl) {
		memcpy(r->sl + r->sllen, s, n);
		r->sllen += n;
		r->sl[r->sllen] = '\0';
	}
}

/* RRIP 4.1.3.1: component records; a component flagged CONTINUE goes
 * on in the next component record, even in the next SL entry. */
static int parse_sl(struct img *im, struct rrec *r, const uint8_t *e,
                    size_t len)
{
	size_t i = 5;

	r->has_sl = 1;
	while (i < len) {
		uint8_t f, n;
		if (i + 2 > len)
			return fail(im, r->path, "SL component header cut");
		f = e[i];
		n = e[i + 1];
		if (i + 2 + n > len)
			return fail(im, r->path, "SL component overruns entry");
		if ((f & 0x0e) && n)
			return fail(im, r->path, "SL flag component has text");
		if (f & 0x08) {
			sl_add(r, "/", 1);
			r->sl_need_sep = 0;
		} else {
			if (!r->sl_comp_open && r->sl_need_sep)
				sl_add(r, "/", 1);
			if (f & 0x02)
				sl_add(r, ".", 1);
			else if (f & 0x04)
				sl_add(r, "..", 2);
			else
				sl_add(r, (const char *)e + i + 2, n);
			r->sl_need_sep = 1;
		}
		r->sl_comp_open = f & 0x01;
		i += 2u + n;
	}
	return 0;
}

static int parse_area(struct img *im, struct rrec *r, const uint8_t *su,
                      size_t len, int depth);

static int parse_entry(struct img *im, struct rrec *r, const uint8_t *e,
                       size_t len, uint32_t *ce)
{
	uint8_t z[28];

	if (e[3] != 1)
		return fail(im, r->path, "entry version is not 1");
	if (!memcmp(e, "CE", 2)) {
		if (len != 28)
			return fail(im, r->path, "CE length");
		if (ce[2] || both32(e + 4, &ce[0]) || both32(e + 12, &ce[1]) ||
		    both32(e + 20, &ce[2]))
			return fail(im, r->path, "CE twice in an area, or halves differ");
		memcpy(z, e, 28);
		memset(z + 4, 0, 8);   /* the block depends on the layout */
		canon_add(r, z, 28);
		return 0;
	}
	if (!memcmp(e, "CL", 2) || !memcmp(e, "PL", 2)) {
		uint32_t v;
		if (len != 12 || both32(e + 4, &v))
			return fail(im, r->path, "CL/PL malformed");
		memcpy(z, e, 4);
		memset(z + 4, 0, 8);
		canon_add(r, z, 12);
		if (e[0] == 'C')
			r->has_cl = 1;
		else
			r->has_pl = 1;
		return 0;
	}
	canon_add(r, e, len);
	if (!memcmp(e, "SP", 2)) {
		if (len != 7 || e[4] != 0xbe || e[5] != 0xef)
			return fail(im, r->path, "SP malformed");
		r->has_sp = 1;
	} else if (!memcmp(e, "RR", 2)) {
		if (len != 5)
			return fail(im, r->path, "RR length");
		r->has_rr = 1;
		r->rrflags = e[4];
	} else if (!memcmp(e, "PX", 2)) {
		if ((len != 36 && len != 44) || both32(e + 4, &r->mode) ||
		    both32(e + 12, &r->nlink) || both32(e + 20, &r->uid) ||
		    both32(e + 28, &r->gid))
			return fail(im, r->path, "PX malformed");
		r->has_px = 1;
	} else if (!memcmp(e, "PN", 2)) {
		if (len != 20 || both32(e + 4, &r->major) ||
		    both32(e + 12, &r->minor))
			return fail(im, r->path, "PN malformed");
		r->has_pn = 1;
	} else if (!memcmp(e, "NM", 2)) {
		if (len < 5 || r->nmlen + len - 5 >= sizeof r->nm)
			return fail(im, r->path, "NM malformed");
		if (r->has_nm == 2)
			return fail(im, r->path, "NM after a final NM");
		memcpy(r->nm + r->nmlen, e + 5, len - 5);
		r->nmlen += len - 5;
		r->nm[r->nmlen] = '\0';
		r->has_nm = (e[4] & 1) ? 1 : 2;
	} else if (!memcmp(e, "SL", 2)) {
		if (len < 5)
			return fail(im, r->path, "SL malformed");
		return parse_sl(im, r, e, len);
	} else if (!memcmp(e, "TF", 2)) {
		int k, n = 0;
		for (k = 0; k < 7; k++)
			n += (e[4] >> k) & 1;
		if (len != 5u + (unsigned)n * ((e[4] & 0x80) ? 17 : 7))
			return fail(im, r->path, "TF length");
		r->has_tf = 1;
	} else if (!memcmp(e, "RE", 2)) {
		if (len != 4)
			return fail(im, r->path, "RE length");
		r->has_re = 1;
	} else if (!memcmp(e, "ER", 2)) {
		if (len < 8 || 8u + e[4] + e[5] + e[6] != len)
			return fail(im, r->path, "ER lengths");
		r->has_er = 1;
	}
	return 0;
}

/* SUSP 5.1/5.3: entries back to back; a length below 4 or the end of
 * the area ends it; a CE names the next area, inside one block. */
static int parse_area(struct img *im, struct rrec *r, const uint8_t *su,
                      size_t len, int depth)
{
	uint32_t ce[3] = { 0, 0, 0 };
	size_t i = 0, k;
	static const uint8_t mark[4] = { '-', '>', 0, 0 };

	if (depth > 64)
		return fail(im, r->path, "CE chain too long");
	while (i + 4 <= len && su[i + 2] >= 4) {
		if (i + su[i + 2] > len)
			return fail(im, r->path, "entry overruns its area");
		if (parse_entry(im, r, su + i, su[i + 2], ce) < 0)
			return -1;
		i += su[i + 2];
	}
	if (!ce[2])
		return 0;
	if (ce[1] + ce[2] > B)
		return fail(im, r->path, "continuation area crosses a block");
	if ((uint64_t)ce[0] * B + ce[1] + ce[2] > im->len)
		return fail(im, r->path, "continuation area past the image");
	if (r->has_sp && r->which == 0 && depth == 0 && ce[2] < B) {
		/* the root's ER block is shared by nothing else */
	}
	for (k = 0; k < ce[2]; k++) {
		size_t at = (size_t)ce[0] * B + ce[1] + k;
		if (im->claimed[at / 8] & (1u << (at % 8)))
			return fail(im, r->path, "continuation areas overlap");
		im->claimed[at / 8] |= (uint8_t)(1u << (at % 8));
	}
	canon_add(r, mark, 4);
	return parse_area(im, r, im->p + (size_t)ce[0] * B + ce[1], ce[2],
	                  depth + 1);
}

static struct rrec *new_rec(struct img *im)
{
	if (im->n == im->cap) {
		size_t cap = im->cap ? im->cap * 2 : 64;
		void *q = realloc(im->recs, cap * sizeof *im->recs);
		if (!q)
			return NULL;
		im->recs = q;
		im->cap = cap;
	}
	memset(&im->recs[im->n], 0, sizeof *im->recs);
	return &im->recs[im->n++];
}

static int walk(struct img *im, uint32_t lba, uint32_t size,
                const char *path, int depth)
{
	uint32_t off;

	if (depth > 64)
		return fail(im, path, "directory loop");
	for (off = 0; off < size; ) {
		const uint8_t *d = im->p + (size_t)lba * B + off;
		uint8_t len = d[0], nl;
		struct rrec *r;
		uint32_t ext, dsz;
		size_t sustart;

		if ((size_t)lba * B + off + 34 > im->len)
			return fail(im, path, "directory past the image");
		if (len == 0) {
			off = (off / B + 1) * B;
			continue;
		}
		nl = d[32];
		sustart = 33u + nl + ((nl & 1) ? 0 : 1);
		if (len < sustart || (off % B) + len > B)
			return fail(im, path, "bad directory record");
		if (!(r = new_rec(im)))
			return fail(im, path, "out of memory");
		r->which = nl == 1 && d[33] <= 1 ? d[33] : 2;
		snprintf(r->path, sizeof r->path, "%s/%s", path,
		         r->which == 0 ? "." : r->which == 1 ? ".." : "");
		if (r->which == 2)
			snprintf(r->path, sizeof r->path, "%s/%.*s", path, nl,
			         (const char *)d + 33);
		if (parse_area(im, r, d + sustart, len - sustart, 0) < 0)
			return -1;
		if (r->which == 2 && (d[25] & 2)) {
			char sub[1024];
			snprintf(sub, sizeof sub, "%s", r->path);
			if (both32(d + 2, &ext) || both32(d + 10, &dsz))
				return fail(im, path, "record halves differ");
			if (walk(im, ext, dsz, sub, depth + 1) < 0)
				return -1;
		}
		off += len;
	}
	return 0;
}

/* Checks every record; 0 when the image reads cleanly. */
static int read_image(struct img *im, const uint8_t *p, size_t len)
{
	const uint8_t *root = p + 16 * B + 156;
	uint32_t ext, size;

	memset(im, 0, sizeof *im);
	im->p = p;
	im->len = len;
	im->claimed = calloc(len / 8 + 1, 1);
	if (!im->claimed || both32(root + 2, &ext) || both32(root + 10, &size))
		return fail(im, "/", "bad root record");
	return walk(im, ext, size, "", 0);
}

static void free_image(struct img *im)
{
	free(im->claimed);
	free(im->recs);
}

static const struct rrec *find(const struct img *im, const char *name)
{
	size_t i;

	for (i = 0; i < im->n; i++)
		if (im->recs[i].which == 2 && im->recs[i].has_nm == 2 &&
		    !strcmp(im->recs[i].nm, name))
			return &im->recs[i];
	return NULL;
}

/* Every record: RR flags name exactly the RRIP entries present. */
static void check_flags(const struct img *im)
{
	size_t i;

	for (i = 0; i < im->n; i++) {
		const struct rrec *r = &im->recs[i];
		uint8_t want = (uint8_t)((r->has_px ? 0x01 : 0) |
		        (r->has_pn ? 0x02 : 0) | (r->has_sl ? 0x04 : 0) |
		        (r->has_nm ? 0x08 : 0) | (r->has_cl ? 0x10 : 0) |
		        (r->has_pl ? 0x20 : 0) | (r->has_re ? 0x40 : 0) |
		        (r->has_tf ? 0x80 : 0));
		CU_ASSERT(r->has_rr && r->has_px && r->has_tf);
		if (r->rrflags != want)
			fprintf(stderr, "%s: RR %02x, entries %02x\n", r->path,
			        r->rrflags, want);
		CU_ASSERT_EQUAL(r->rrflags, want);
		CU_ASSERT_EQUAL(r->has_nm != 0, r->which == 2);
		if (r->has_nm)
			CU_ASSERT_EQUAL(r->has_nm, 2);
		CU_ASSERT_EQUAL(r->has_sp, r->which == 0 && i == 0);
	}
}

/* ---- test trees ---- */

static char *tmp;

static void mk(const char *rel, mode_t mode)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", tmp, rel);
	if (S_ISDIR(mode))
		CU_ASSERT_EQUAL_FATAL(mkdir(p, mode & 07777), 0)
	else
		CU_ASSERT_EQUAL_FATAL(util_write_file(p, rel, strlen(rel)), 0);
	CU_ASSERT_EQUAL(chmod(p, mode & 07777), 0);
}

static void mklink(const char *target, const char *rel)
{
	char p[4096];
	snprintf(p, sizeof p, "%s/%s", tmp, rel);
	CU_ASSERT_EQUAL_FATAL(symlink(target, p), 0);
}

static char *joined(const char *fmt, int n, size_t *len)
{
	char *s = malloc((size_t)n * 16 + 1), *q = s;
	int i;

	for (i = 0; i < n; i++) {
		if (i)
			*q++ = '/';
		q += sprintf(q, fmt, i);
	}
	*q = '\0';
	*len = (size_t)(q - s);
	return s;
}

static int build(unsigned int flags, int rr_mode, uint8_t **out,
                 size_t *len)
{
	elt_image *img;
	elt_write_opts o;
	int err;

	if (elt_image_new(&img) < 0)
		return ELT_ENOMEM;
	elt_write_opts_init(&o, ELT_WRITE_OPTS_VERSION);
	o.ext = ELT_EXT_ROCKRIDGE;
	o.flags = flags;
	o.rr_mode = rr_mode;
	o.timestamp = 1700000000;
	o.gmt_offset = 0;
	err = elt_image_add_tree(img, "/", tmp, 0);
	if (err == 0)
		err = util_build(img, &o, out, len);
	elt_image_free(img);
	return err;
}

/* ---- tests ---- */

/* The ER genisoimage writes (read from block 27 of `genisoimage -R`
 * output of a small tree: 237 bytes, RRIP_1991A, EXT_VER 1). */
static void test_er(void)
{
	static const char *id = "RRIP_1991A";
	static const char *des = "THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES "
		"SUPPORT FOR POSIX FILE SYSTEM SEMANTICS";
	static const char *src = "PLEASE CONTACT DISC PUBLISHER FOR "
		"SPECIFICATION SOURCE.  SEE PUBLISHER IDENTIFIER IN PRIMARY "
		"VOLUME DESCRIPTOR FOR CONTACT INFORMATION.";
	static const uint8_t head[8] = { 'E', 'R', 0xed, 1, 10, 84, 135, 1 };
	uint8_t blk[B], want[B];

	memset(want, 0, sizeof want);
	memcpy(want, head, 8);
	memcpy(want + 8, id, 10);
	memcpy(want + 18, des, 84);
	memcpy(want + 102, src, 135);
	memset(blk, 0xaa, sizeof blk);
	CU_ASSERT_EQUAL(rr_encode_er(NULL, NULL), 237);
	CU_ASSERT(rr_encode_er(blk, NULL) >= 0);
	CU_ASSERT_EQUAL(util_diff(blk, want, B, "ER block"), -1);
}

/* Long names and links of 300, 1000 and 4000 bytes, hundreds of
 * components, components longer than a continuation area: every split
 * mode reads back exactly. */
static struct lk { char name[64]; char *target; } lks[16];
static size_t nlks;

static void add_link(const char *name, char *target)
{
	snprintf(lks[nlks].name, sizeof lks[nlks].name, "%s", name);
	lks[nlks].target = target;
	mklink(target, name);
	nlks++;
}

static void make_long_tree(void)
{
	size_t l;
	char *s;
	int i;

	tmp = util_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	nlks = 0;
	add_link("l300", joined("c%03d", 60, &l));            /* 299 bytes */
	add_link("l1000", joined("comp%05d", 100, &l));       /* 999 */
	add_link("l4000", joined("x%06d", 500, &l));          /* 3999 */
	s = malloc(3000);
	for (i = 0; i < 999; i++)
		memcpy(s + 3 * i, "../", 3);
	s[2996] = '\0';                                        /* 999 ".." */
	add_link("dots", s);
	s = malloc(4001);
	memset(s, 'b', 4000);
	s[0] = '/';
	s[4000] = '\0';
	add_link("onecomp", s);                                /* 3999 + root */
	s = malloc(301);
	memset(s, 'a', 300);
	s[300] = '\0';
	add_link("c300", s);
	add_link("slash", strdup("/"));
	add_link("mix", strdup("/usr/./lib/../x"));
	s = malloc(256);
	memset(s, 'n', 255);
	s[255] = '\0';
	mk(s, S_IFREG | 0644);
	s[200] = '\0';
	mk(s, S_IFDIR | 0755);
	free(s);
}

static void free_long_tree(void)
{
	size_t i;

	for (i = 0; i < nlks; i++)
		free(lks[i].target);
	util_rm_rf(tmp);
	free(tmp);
}

static void check_long(unsigned int flags)
{
	uint8_t *iso;
	size_t len, i;
	struct img im;
	char name[256];

	CU_ASSERT_EQUAL_FATAL(build(flags, ELT_RR_EXACT, &iso, &len), 0);
	if (read_image(&im, iso, len) < 0)
		fprintf(stderr, "flags %#x: %s\n", flags, im.err);
	CU_ASSERT_STRING_EQUAL(im.err, "");
	check_flags(&im);
	for (i = 0; i < nlks; i++) {
		const struct rrec *r = find(&im, lks[i].name);
		CU_ASSERT_PTR_NOT_NULL(r);
		if (!r)
			continue;
		CU_ASSERT(r->has_sl && S_ISLNK(r->mode));
		if (strcmp(r->sl, lks[i].target))
			fprintf(stderr, "%s: read back %zu bytes, want %zu\n",
			        lks[i].name, strlen(r->sl),
			        strlen(lks[i].target));
		CU_ASSERT_STRING_EQUAL(r->sl, lks[i].target);
		CU_ASSERT_FALSE(r->sl_comp_open);
	}
	memset(name, 'n', 255);
	name[255] = '\0';
	CU_ASSERT_PTR_NOT_NULL(find(&im, name));
	name[200] = '\0';
	CU_ASSERT_PTR_NOT_NULL(find(&im, name));
	free_image(&im);
	free(iso);
}

static void test_long_links(void)
{
	make_long_tree();
	check_long(0);
	check_long(ELT_WRITE_RR_NO_SPLIT_COMPONENTS);
	check_long(ELT_WRITE_RR_NO_SPLIT_FIELDS);
	check_long(ELT_WRITE_RR_NO_SPLIT_COMPONENTS |
	           ELT_WRITE_RR_NO_SPLIT_FIELDS);
	free_long_tree();
}

/* -r as genisoimage applies it (measured with genisoimage -r): uid and
 * gid 0, read for all, execute for all if any, no write or set-id. */
static void test_rational(void)
{
	static const struct { const char *name; mode_t mode; uint32_t want; }
	cases[] = {
		{ "suid", S_IFREG | 04751, S_IFREG | 0555 },
		{ "ro", S_IFREG | 0400, S_IFREG | 0444 },
		{ "rw", S_IFREG | 0666, S_IFREG | 0444 },
		{ "d700", S_IFDIR | 0700, S_IFDIR | 0555 },
		{ "d750", S_IFDIR | 02750, S_IFDIR | 0555 },
	};
	uint8_t *iso;
	size_t len, i;
	struct img im;

	tmp = util_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		mk(cases[i].name, cases[i].mode);
	mklink("suid", "link");
	CU_ASSERT_EQUAL_FATAL(build(0, ELT_RR_RATIONAL, &iso, &len), 0);
	CU_ASSERT_EQUAL(read_image(&im, iso, len), 0);
	check_flags(&im);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct rrec *r = find(&im, cases[i].name);
		CU_ASSERT_PTR_NOT_NULL_FATAL(r);
		CU_ASSERT_EQUAL(r->mode, cases[i].want);
		CU_ASSERT_EQUAL(r->uid, 0);
		CU_ASSERT_EQUAL(r->gid, 0);
		if (S_ISDIR(cases[i].mode))
			CU_ASSERT_EQUAL(r->nlink, 2);
	}
	CU_ASSERT_EQUAL(find(&im, "link")->mode, S_IFLNK | 0555);
	CU_ASSERT_STRING_EQUAL(find(&im, "link")->sl, "suid");
	free_image(&im);
	free(iso);
	util_rm_rf(tmp);
	free(tmp);
}

/* ---- parity with genisoimage ---- */

static int have(const char *prog)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

static void make_parity_tree(void)
{
	char p[4096], *s;
	struct timespec ts[2];
	size_t l;
	int i;

	tmp = util_tmpdir();
	CU_ASSERT_PTR_NOT_NULL_FATAL(tmp);
	snprintf(p, sizeof p, "%s/t", tmp);
	CU_ASSERT_EQUAL_FATAL(mkdir(p, 0755), 0);
	mk("t/a.txt", S_IFREG | 0644);
	mk("t/exec", S_IFREG | 04755);
	mk("t/sub", S_IFDIR | 0750);
	mk("t/sub/in", S_IFREG | 0600);
	mk("t/empty", S_IFDIR | 0755);
	snprintf(p, sizeof p, "%s/t/a.txt", tmp);
	{
		char q[4096];
		snprintf(q, sizeof q, "%s/t/sub/hard", tmp);
		CU_ASSERT_EQUAL(link(p, q), 0);
	}
	mklink("/usr/lib/x", "t/abs");
	mklink("../../nonexist/path/x", "t/sub/rel");
	mklink("./here/f", "t/dot");
	s = malloc(301);
	memset(s, 'a', 300);
	s[300] = '\0';
	mklink(s, "t/c300");           /* spills to a continuation area */
	s[0] = 't';
	s[1] = '/';
	memset(s + 2, 'n', 255);
	s[257] = '\0';
	mk(s, S_IFREG | 0644);         /* a 255-byte name */
	s[2 + 200] = '\0';
	mk(s, S_IFDIR | 0755);
	free(s);
	s = joined("c%02d", 30, &l);
	mklink(s, "t/l120");
	free(s);
	s = joined("component%02d", 25, &l);
	mklink(s, "t/l300");           /* CE in every split mode */
	free(s);
	s = joined("comp%09d", 14, &l);
	mklink(s, "t/l195");           /* one SL field that needs a CE */
	free(s);
	snprintf(p, sizeof p, "t/deep");
	mk(p, S_IFDIR | 0755);
	for (i = 1; i <= 10; i++) {
		size_t n = strlen(p);
		snprintf(p + n, sizeof p - n, "/d%d", i);
		mk(p, S_IFDIR | 0755);
	}
	mk("t/deep/d1/d2/d3/d4/d5/d6/d7/f", S_IFREG | 0644);
	if (geteuid() == 0) {
		snprintf(p, sizeof p, "%s/t/cdev", tmp);
		CU_ASSERT_EQUAL(mknod(p, S_IFCHR | 0644, makedev(4, 64)), 0);
		snprintf(p, sizeof p, "%s/t/bdev", tmp);
		CU_ASSERT_EQUAL(mknod(p, S_IFBLK | 0640, makedev(259, 70000)),
		                0);
	}
	snprintf(p, sizeof p, "%s/t/fifo", tmp);
	CU_ASSERT_EQUAL(mkfifo(p, 0644), 0);
	/* access times ahead of every change: reading the tree (both
	 * programs do) must not move them */
	ts[0].tv_sec = time(NULL) + 3600;
	ts[0].tv_nsec = 0;
	ts[1].tv_sec = 1600000000;
	ts[1].tv_nsec = 0;
	{
		char cmd[4200];
		FILE *f;
		snprintf(cmd, sizeof cmd, "find '%s/t'", tmp);
		f = popen(cmd, "r");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		while (fgets(p, sizeof p, f)) {
			p[strcspn(p, "\n")] = '\0';
			utimensat(AT_FDCWD, p, ts, AT_SYMLINK_NOFOLLOW);
		}
		pclose(f);
	}
}

static int run_genisoimage(const char *opts, const char *out)
{
	char cmd[8192];

	/* the clock of genisoimage (rr_moved, its "..") is the stream's */
	snprintf(cmd, sizeof cmd, "cd '%s' && TZ=UTC timeout 120 faketime -f "
	         "'@2023-11-14 22:13:20' genisoimage -quiet %s -o '%s' t "
	         ">/dev/null 2>&1", tmp, opts, out);
	return system(cmd);
}

static int build_ours(const char *opts, uint8_t **out, size_t *len)
{
	elt_image *img;
	elt_write_opts o;
	char path[4096];
	int err;

	if (elt_image_new(&img) < 0)
		return ELT_ENOMEM;
	elt_write_opts_init(&o, ELT_WRITE_OPTS_VERSION);
	o.ext = ELT_EXT_ROCKRIDGE;
	o.timestamp = 1700000000;
	o.gmt_offset = 0;
	o.pad_blocks = 150;
	if (strstr(opts, "-r"))
		o.rr_mode = ELT_RR_RATIONAL;
	if (strstr(opts, "-uid 5"))
		o.uid = 5;
	if (strstr(opts, "-gid 6"))
		o.gid = 6;
	if (strstr(opts, "-file-mode 0640"))
		o.file_mode = 0640;
	if (strstr(opts, "-dir-mode 0711"))
		o.dir_mode = 0711;
	if (strstr(opts, "-no-split-symlink-components"))
		o.flags |= ELT_WRITE_RR_NO_SPLIT_COMPONENTS;
	if (strstr(opts, "-no-split-symlink-fields"))
		o.flags |= ELT_WRITE_RR_NO_SPLIT_FIELDS;
	snprintf(path, sizeof path, "%s/t", tmp);
	err = elt_image_add_tree(img, "/", path, 0);
	if (err == 0)
		err = util_build(img, &o, out, len);
	elt_image_free(img);
	return err;
}

static int slurp(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	*out = malloc((size_t)n);
	*len = (size_t)n;
	if (!*out || fread(*out, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return -1;
	}
	fclose(f);
	return 0;
}

static void parity(const char *opts)
{
	char gpath[4200];
	uint8_t *g = NULL, *e = NULL;
	size_t glen = 0, elen = 0, i, j;
	struct img gi, ei;

	snprintf(gpath, sizeof gpath, "%s/g.iso", tmp);
	CU_ASSERT_EQUAL_FATAL(run_genisoimage(opts, gpath), 0);
	CU_ASSERT_EQUAL_FATAL(slurp(gpath, &g, &glen), 0);
	CU_ASSERT_EQUAL_FATAL(build_ours(opts, &e, &elen), 0);
	CU_ASSERT_EQUAL(read_image(&gi, g, glen), 0);
	CU_ASSERT_EQUAL(read_image(&ei, e, elen), 0);
	CU_ASSERT_STRING_EQUAL(ei.err, "");
	check_flags(&ei);
	CU_ASSERT_EQUAL(gi.n, ei.n);
	CU_ASSERT(gi.n > 40);
	for (i = 0; i < gi.n; i++) {
		const struct rrec *a = &gi.recs[i], *b = NULL;
		for (j = 0; j < ei.n; j++)
			if (!strcmp(ei.recs[j].path, a->path)) {
				b = &ei.recs[j];
				break;
			}
		if (!b) {
			fprintf(stderr, "%s [%s]: no such record\n", a->path, opts);
			CU_FAIL("record missing");
			continue;
		}
		if (a->canon_len != b->canon_len ||
		    memcmp(a->canon, b->canon, a->canon_len)) {
			fprintf(stderr, "%s [%s]: system use differs\n", a->path,
			        opts);
			util_diff(a->canon, b->canon, a->canon_len > b->canon_len ?
			          a->canon_len : b->canon_len, a->path);
			CU_FAIL("system use differs from genisoimage");
		}
	}
	free_image(&gi);
	free_image(&ei);
	free(g);
	free(e);
}

static void test_parity(void)
{
	if (!have("genisoimage") || !have("faketime")) {
		fprintf(stderr, "genisoimage or faketime missing: "
		        "parity not checked\n");
		return;
	}
	make_parity_tree();
	parity("-R");
	parity("-r");
	parity("-R -uid 5 -gid 6");
	parity("-R -file-mode 0640");
	parity("-R -dir-mode 0711");
	parity("-r -uid 5 -file-mode 0640 -dir-mode 0711");
	/* genisoimage -no-split-symlink-components writes a 309-byte SL
	 * entry for c300 (its length byte wraps): leave it out */
	{
		char p[4200];
		snprintf(p, sizeof p, "%s/t/c300", tmp);
		CU_ASSERT_EQUAL(unlink(p), 0);
	}
	parity("-R -no-split-symlink-components");
	/* genisoimage -no-split-symlink-fields loops forever on l300 */
	{
		char p[4200];
		snprintf(p, sizeof p, "%s/t/l300", tmp);
		CU_ASSERT_EQUAL(unlink(p), 0);
	}
	parity("-R -no-split-symlink-fields");
	parity("-R -no-split-symlink-fields -no-split-symlink-components");
	util_rm_rf(tmp);
	free(tmp);
}

int register_tests(void)
{
	CU_pSuite s = CU_add_suite("rockridge", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "ER block", test_er) ||
	    !CU_add_test(s, "long names and links read back", test_long_links) ||
	    !CU_add_test(s, "-r modes", test_rational) ||
	    !CU_add_test(s, "parity with genisoimage", test_parity))
		return -1;
	return 0;
}
