/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * SUSP 1.12 system use entries and RRIP 1.09 (RRIP_1991A) Rock Ridge
 * entries, laid out as genisoimage 1.1.11 lays them out:
 *
 *   [SP] RR [NM...] PX [PN] [SL...] TF [RE] [PL] [CL] [CE->ER]
 *
 * Entries go into the directory record while they leave room for a CE
 * entry; the rest goes to continuation areas (at most 2040 bytes each,
 * chained by CE) in the directory's continuation extent, packed so that
 * no area crosses a block. The attributes follow genisoimage's sources
 * of truth: the node's stat data, rationalised by -r / -uid / -gid /
 * -file-mode / -dir-mode, with "made up" attributes (new_dir_mode, the
 * clock, the caller's uid) for directories invented for graft points.
 *
 * One deliberate difference: genisoimage lets an SL entry in a
 * continuation area grow past 255 bytes, wrapping its length byte (the
 * image is corrupt, or genisoimage loops forever). Here an SL entry
 * never exceeds 255 bytes; a link that would overflow one continues in
 * a new SL entry. Links that genisoimage encodes correctly come out
 * byte for byte the same.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"


/* SUSP 1.12 5.1: every entry starts with signature, length, version */
#define SUE_LEN      2
#define SUE_VER      3
#define SUE_HDR      4
#define SUE_VERSION  1
#define SUE_MAXLEN   255   /* the length is one byte */

#define SP_LEN   7   /* SUSP 5.3: BE EF, LEN_SKP */
#define CE_LEN  28   /* SUSP 5.1: block, offset, length (both-byte) */
#define CE_BLOCK  4
#define CE_OFFSET 12
#define CE_SIZE   20
#define ER_HDR   8   /* SUSP 5.5: LEN_ID LEN_DES LEN_SRC EXT_VER */
#define RR_LEN   5   /* RRIP 1.09 4.1.x: flags of the entries present */
#define NM_HDR   5   /* RRIP 4.1.4: flags, name */
#define PX_LEN  36   /* RRIP 1.09 4.1.1: mode nlink uid gid */
#define PN_LEN  20   /* RRIP 4.1.2: dev high, dev low */
#define SL_HDR   5   /* RRIP 4.1.3: flags, component records */
#define TF_LEN  26   /* RRIP 4.1.6: flags + 3 short (7-byte) dates */
#define RE_LEN   4   /* RRIP 4.1.5.3 */
#define PL_LEN  12   /* RRIP 4.1.5.2 */
#define CL_LEN  12   /* RRIP 4.1.5.1 */

/* RR flag bits (RRIP 1.09): which entries the record carries */
#define RRF_PX 0x01
#define RRF_PN 0x02
#define RRF_SL 0x04
#define RRF_NM 0x08
#define RRF_CL 0x10
#define RRF_PL 0x20
#define RRF_RE 0x40
#define RRF_TF 0x80

#define NM_CONTINUE 0x01
#define SL_CONTINUE 0x01      /* entry flags and component flags */
#define SLC_CURRENT 0x02
#define SLC_PARENT  0x04
#define SLC_ROOT    0x08
#define TF_MODIFY_ACCESS_ATTR 0x0e

/* genisoimage's budgets: a record's system use may reach byte 254
 * (MAX_ISODIR) and assumes a name of at least 37 bytes; a continuation
 * area holds at most 2040 bytes; one NM or SL component piece at most
 * 248 bytes; checks size an SL entry as 20 bytes. */
#define REC_LIMIT    254
#define REC_MIN_USED 70      /* 33 + 37 */
#define AREA_LIMIT   (BLOCK - 8)
#define PIECE_MAX    248
#define SL_CHECK     20

#define ER_ID  "RRIP_1991A"
#define ER_DES "THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR " \
               "POSIX FILE SYSTEM SEMANTICS"
#define ER_SRC "PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  " \
               "SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR " \
               "CONTACT INFORMATION."

#define RR_BUF   24576   /* a 4095-byte link of slashes needs < 12 KiB */
#define MAX_AREAS 64

/* The attributes one record describes. */
struct rr_attr {
	uint32_t mode, nlink, uid, gid;
	int64_t mtime, atime, ctime;
	uint64_t rdev;
};

/* All entries of one record, built in one buffer; ce[] are the offsets
 * of the CE entries, each opening the continuation area that follows. */
struct rr_build {
	uint8_t buf[RR_BUF];
	size_t pos;
	size_t area;      /* start of the current area */
	size_t reserve;   /* directory record bytes counted against it */
	size_t limit;
	size_t ce[MAX_AREAS];
	size_t nce;
	int overflow;
};

/* ---- attributes ---- */

static int is_invented(const struct elt_stream *s, const struct elt_node *n)
{
	if (n == s->img->root)
		return !(n->flags & NODE_ROOT_READ);
	return (n->flags & NODE_INVENTED) && !(n->flags & NODE_GRAFT_DIR);
}

/* -uid / -gid, and -r's uid = gid = 0 */
static void owner(const struct elt_stream *s, uint32_t *uid, uint32_t *gid)
{
	if (s->w.o.uid >= 0)
		*uid = (uint32_t)s->w.o.uid;
	else if (s->w.o.rr_mode == ELT_RR_RATIONAL)
		*uid = 0;
	if (s->w.o.gid >= 0)
		*gid = (uint32_t)s->w.o.gid;
	else if (s->w.o.rr_mode == ELT_RR_RATIONAL)
		*gid = 0;
}

/* What genisoimage gives entries it makes up (its "fstatbuf"): the new
 * directory mode, the caller's owner (or -uid/-gid, -r), the clock. */
static void made_up(const struct elt_stream *s, struct rr_attr *a)
{
	int32_t m = s->w.o.new_dir_mode;

	memset(a, 0, sizeof *a);
	a->mode = S_IFDIR | (m >= 0 ? (uint32_t)m & 07777 : 0555);
	a->nlink = 2;
	a->uid = (uint32_t)getuid();
	a->gid = (uint32_t)getgid();
	owner(s, &a->uid, &a->gid);
	a->mtime = a->atime = a->ctime = s->now;
}

/* Attributes read from disk, rationalised as genisoimage's stat filter
 * does: -file-mode applies to files, -dir-mode to directories, and
 * either (or -r) makes other types "sane": all read bits, all execute
 * bits if any, no write or set-id bits. */
static void from_node(const struct elt_stream *s, const struct elt_node *n,
                      struct rr_attr *a)
{
	const elt_write_opts *o = &s->w.o;
	int rational = o->rr_mode == ELT_RR_RATIONAL;
	int adjust;

	if (is_invented(s, n)) {
		made_up(s, a);
		return;
	}
	a->mode = n->mode;
	a->nlink = n->nlink;
	a->uid = n->uid;
	a->gid = n->gid;
	a->mtime = n->mtime < 0 ? s->now : n->mtime;
	a->atime = n->atime < 0 ? s->now : n->atime;
	a->ctime = n->ctime < 0 ? s->now : n->ctime;
	a->rdev = n->rdev;
	owner(s, &a->uid, &a->gid);
	if (n->flags & NODE_TRANS_TBL)
		return;   /* genisoimage writes its tables 0444 whatever -file-mode says */
	if (S_ISREG(n->mode))
		adjust = rational || o->file_mode >= 0;
	else if (S_ISDIR(n->mode))
		adjust = rational || o->dir_mode >= 0;
	else
		adjust = rational || o->file_mode >= 0 || o->dir_mode >= 0;
	if (!adjust)
		return;
	if (S_ISREG(n->mode) && o->file_mode > 0) {
		a->mode = S_IFREG | ((uint32_t)o->file_mode & 07777);
	} else if (S_ISDIR(n->mode) && o->dir_mode > 0) {
		a->mode = S_IFDIR | ((uint32_t)o->dir_mode & 07777);
	} else {
		a->mode |= 0444;
		if (a->mode & 0111)
			a->mode |= 0111;
		a->mode &= ~(uint32_t)07222;
	}
}

/* genisoimage's directory link count: 2, plus the subdirectories listed
 * in the ISO tree (relocation stubs included, hidden ones not). */
static uint32_t dir_nlink(const struct elt_node *d)
{
	return 2 + d->iso_nsubdirs;   /* counted once by layout_plan */
}

static const struct elt_node *find_rr_moved(const struct elt_stream *s)
{
	const struct elt_node *c;

	if (s->rr_moved)
		return s->rr_moved;
	for (c = s->img->root->first_child; c; c = c->next)
		if (c->flags & NODE_RR_MOVED)
			return c;
	return NULL;
}

/* The ".." record of dir. genisoimage stats "dir/.." on disk, except
 * for directories it made (graft points, rr_moved), whose ".." gets the
 * made-up attributes when the parent is the root or made up itself;
 * the link count is always the ISO parent's. */
static void dotdot_attr(const struct elt_stream *s, const struct elt_node *dir,
                        const struct elt_node *iso_parent, struct rr_attr *a)
{
	const struct elt_node *root = s->img->root, *p;

	if (dir == root) {
		/* ".." of the root: the root's own attributes, with the link
		 * count it had on disk (one more with rr_moved) */
		from_node(s, root, a);
		if (!(root->flags & NODE_ROOT_READ))
			a->nlink = 2;
		if (find_rr_moved(s))
			a->nlink++;
		return;
	}
	if (dir->flags & NODE_RR_MOVED) {
		/* genisoimage's rr_moved/.. comes from an all-zero stat */
		memset(a, 0, sizeof *a);
		a->nlink = dir_nlink(iso_parent);
		return;
	}
	p = (dir->flags & NODE_RELOCATED) && dir->reloc ? dir->reloc
	                                                 : dir->parent;
	if (dir->dotdot)
		p = dir->dotdot;   /* merged from another source */
	if ((dir->flags & (NODE_GRAFT_DIR | NODE_INVENTED)) &&
	    (p == root || is_invented(s, p)))
		made_up(s, a);
	else
		from_node(s, p, a);
	a->nlink = dir_nlink(iso_parent);
}

static void record_attr(const struct elt_stream *s, const struct elt_node *dir,
                        const struct elt_node *node, int which,
                        struct rr_attr *a)
{
	if (which == 1) {
		dotdot_attr(s, dir, node, a);
		return;
	}
	if (which == 0)
		node = dir;
	from_node(s, node, a);
	/* genisoimage gives rr_moved (record and ".") a fixed 0555 */
	if (node->flags & NODE_RR_MOVED)
		a->mode = S_IFDIR | 0555;
	/* a relocation stub keeps the moved directory's disk link count */
	if (S_ISDIR(node->mode) && !(node->flags & NODE_RELOC_STUB))
		a->nlink = dir_nlink(node);
}

/* ---- the entry builder ---- */

static int room_for(const struct rr_build *b, size_t n)
{
	return n + CE_LEN + b->reserve + (b->pos - b->area) <= b->limit;
}

static uint8_t *grab(struct rr_build *b, size_t n)
{
	uint8_t *p;

	if (b->overflow || b->pos + n > sizeof b->buf) {
		b->overflow = 1;
		b->pos = 0;
		return b->buf;
	}
	p = b->buf + b->pos;
	memset(p, 0, n);
	b->pos += n;
	return p;
}

static uint8_t *entry(struct rr_build *b, const char sig[2], size_t len)
{
	uint8_t *p = grab(b, len);

	p[0] = (uint8_t)sig[0];
	p[1] = (uint8_t)sig[1];
	p[SUE_LEN] = (uint8_t)len;
	p[SUE_VER] = SUE_VERSION;
	return p;
}

/* Close the current area with a CE entry; the next one is a
 * continuation area (filled in when the record is placed). */
static void new_area(struct rr_build *b)
{
	if (b->nce == MAX_AREAS) {
		b->overflow = 1;
		return;
	}
	b->ce[b->nce++] = b->pos;
	entry(b, "CE", CE_LEN);
	b->area = b->pos;
	b->reserve = 0;
	b->limit = AREA_LIMIT;
}

static void need(struct rr_build *b, size_t n)
{
	if (!room_for(b, n))
		new_area(b);
}

static uint8_t put_nm(struct rr_build *b, const char *name)
{
	size_t left = strlen(name);

	need(b, NM_HDR + 1);
	while (left > 0) {
		size_t use = left;
		int split = 0;
		uint8_t *p;

		if (!room_for(b, NM_HDR + use)) {
			use = b->limit - NM_HDR - CE_LEN - b->reserve -
			      (b->pos - b->area);
			split = 1;
		}
		if (use > PIECE_MAX) {
			use = PIECE_MAX;
			split = 1;
		}
		p = entry(b, "NM", NM_HDR + use);
		p[4] = use != left ? NM_CONTINUE : 0;
		memcpy(p + NM_HDR, name, use);
		name += use;
		left -= use;
		if (left && split)
			new_area(b);
	}
	return RRF_NM;
}

static void put_px(struct rr_build *b, const struct rr_attr *a)
{
	uint8_t *p;

	need(b, PX_LEN);
	p = entry(b, "PX", PX_LEN);
	put_733(p + 4, a->mode);
	put_733(p + 12, a->nlink);
	put_733(p + 20, a->uid);
	put_733(p + 28, a->gid);
}

/* Linux dev_t: major in bits 8-19 and 32-43, minor in 0-7 and 20-31 */
static void put_pn(struct rr_build *b, uint64_t rdev)
{
	uint32_t major = (uint32_t)(((rdev >> 8) & 0xfff) |
	                            ((rdev >> 32) & ~(uint64_t)0xfff));
	uint32_t minor = (uint32_t)((rdev & 0xff) |
	                            ((rdev >> 12) & ~(uint64_t)0xff));
	uint8_t *p;

	need(b, PN_LEN);
	p = entry(b, "PN", PN_LEN);
	put_733(p + 4, major);
	put_733(p + 12, minor);
}

/* One SL component record, appended to the open SL entry at `sl`. */
static void sl_component(struct rr_build *b, size_t sl, uint8_t flags,
                         const char *text, size_t len)
{
	uint8_t *p = grab(b, 2 + len);

	if (b->overflow)
		return;
	p[0] = flags;
	p[1] = (uint8_t)len;
	if (len)   /* "." "..", "/" components have no text (RRIP 4.1.3.1) */
		memcpy(p + 2, text, len);
	b->buf[sl + SUE_LEN] = (uint8_t)(b->buf[sl + SUE_LEN] + 2 + len);
}

/* Room left in the current area for `extra` more bytes besides n. */
static long area_left(const struct rr_build *b, size_t extra)
{
	return (long)b->limit - (long)b->reserve - CE_LEN -
	       (long)(b->pos - b->area) - (long)extra;
}

/* Encode as many components of t (from *i) as fit into one SL entry.
 * Like genisoimage: "." and ".." and an empty component (a slash) are
 * flag-only records; a component that does not fit in what is left of
 * the area is split (flag CONTINUE) and goes on after a CE, unless the
 * no-split-components option asks to move it whole to the next area.
 * Returns with the entry closed (CONTINUE set when text is left). */
static void sl_entry(struct rr_build *b, const char *t, size_t n, size_t *i,
                     unsigned int flags)
{
	int whole = (flags & ELT_WRITE_RR_NO_SPLIT_COMPONENTS) != 0;
	size_t sl = b->pos;

	entry(b, "SL", SL_HDR);
	while (*i < n && !b->overflow) {
		const char *c = t + *i;
		const char *slash = memchr(c, '/', n - *i);
		size_t clen = slash ? (size_t)(slash - c) : n - *i;
		size_t used = b->buf[sl + SUE_LEN];
		uint8_t kind = 0;

		if (clen == 2 && c[0] == '.' && c[1] == '.')
			kind = SLC_PARENT;
		else if (clen == 1 && c[0] == '.')
			kind = SLC_CURRENT;
		else if (clen == 0)
			kind = SLC_ROOT;
		if (kind) {
			if (!room_for(b, 2)) {
				new_area(b);
				break;
			}
			if (used + 2 > SUE_MAXLEN)
				break;
			sl_component(b, sl, kind, NULL, 0);
			*i += clen + (slash ? 1 : 0);
			continue;
		}
		/* a component too large for a fresh area is split anyway */
		if (!room_for(b, whole ? 6 + clen : 6) &&
		    !(whole && b->reserve == 0 && sl == b->area &&
		      room_for(b, 6))) {
			new_area(b);
			break;
		}
		if (used + 3 > SUE_MAXLEN ||
		    (whole && clen <= PIECE_MAX && used + 2 + clen > SUE_MAXLEN))
			break;
		while (clen > 0 && !b->overflow) {
			size_t piece = clen < PIECE_MAX ? clen : PIECE_MAX;
			int to_area = 0, to_entry = 0;

			if (!room_for(b, piece + 2)) {
				long left = area_left(b, 2);
				if (left < 1) {
					new_area(b);
					goto out;
				}
				piece = (size_t)left;
				to_area = 1;
			}
			/* an SL entry ends at 255 bytes: go on in a new one */
			used = b->buf[sl + SUE_LEN];
			if (used + 2 >= SUE_MAXLEN)
				goto out;
			if (used + 2 + piece > SUE_MAXLEN) {
				piece = SUE_MAXLEN - used - 2;
				to_area = 0;
				to_entry = 1;
			}
			sl_component(b, sl, piece != clen ? SL_CONTINUE : 0,
			             c, piece);
			c += piece;
			clen -= piece;
			*i += piece;
			if (to_area) {
				new_area(b);
				goto out;
			}
			if (to_entry)
				goto out;
		}
		if (slash)
			*i += 1;
	}
out:
	if (*i < n)
		b->buf[sl + 4] = SL_CONTINUE;
}

/* RRIP 4.1.3: the link text in as many SL entries as it takes. */
static uint8_t put_sl(struct rr_build *b, const char *t, unsigned int flags)
{
	size_t n = t ? strlen(t) : 0, i = 0, k;

	if (flags & ELT_WRITE_RR_NO_SPLIT_FIELDS) {
		/* genisoimage sizes the whole link as one field: a slash
		 * counts 4, any other byte 1 */
		size_t want = 0;
		for (k = 0; k < n; k++)
			want += t[k] == '/' ? 4 : 1;
		need(b, SL_CHECK + want);
	}
	while (i < n && !b->overflow) {
		need(b, SL_CHECK);
		sl_entry(b, t, n, &i, flags);
	}
	return RRF_SL;
}

static void put_tf(struct rr_build *b, const struct elt_stream *s,
                   const struct rr_attr *a)
{
	uint8_t *p;

	need(b, TF_LEN);
	p = entry(b, "TF", TF_LEN);
	p[4] = TF_MODIFY_ACCESS_ATTR;
	put_dt7(p + 5, ecma_node_time(s, a->mtime), s->gmtoff_q);
	put_dt7(p + 12, ecma_node_time(s, a->atime), s->gmtoff_q);
	put_dt7(p + 19, ecma_node_time(s, a->ctime), s->gmtoff_q);
}

static void put_link(struct rr_build *b, const char sig[2], size_t len,
                     uint32_t lba)
{
	uint8_t *p;

	need(b, len);
	p = entry(b, sig, len);
	if (len > SUE_HDR)
		put_733(p + 4, lba);
}

/* Build every entry of one record into b. */
static void build(struct rr_build *b, struct elt_stream *s,
                  struct elt_node *dir, struct elt_node *node, int which)
{
	const struct elt_node *root = s->img->root;
	struct rr_attr a;
	size_t rr;
	uint8_t rrflags;
	uint32_t name_len = which == 2 ? node->iso_len : 1;

	record_attr(s, dir, node, which, &a);
	b->pos = b->area = 0;
	b->nce = 0;
	b->overflow = 0;
	b->limit = REC_LIMIT;
	/* genisoimage counts the record's fixed part and (even) name, at
	 * least as much as a 37-byte name takes */
	b->reserve = 33 + name_len + ((33 + name_len) & 1);
	if (b->reserve < REC_MIN_USED)
		b->reserve = REC_MIN_USED;

	if (which == 0 && dir == root) {
		uint8_t *p = entry(b, "SP", SP_LEN);
		p[4] = 0xbe;
		p[5] = 0xef;
	}
	need(b, RR_LEN);
	rr = b->pos;
	entry(b, "RR", RR_LEN);
	rrflags = RRF_PX | RRF_TF;
	if (which == 2)
		rrflags |= put_nm(b, node->name);
	put_px(b, &a);
	if (which == 2 && (S_ISCHR(a.mode) || S_ISBLK(a.mode))) {
		put_pn(b, a.rdev);
		rrflags |= RRF_PN;
	}
	if (which == 2 && S_ISLNK(node->mode))
		rrflags |= put_sl(b, node->link_target, s->w.o.flags);
	put_tf(b, s, &a);
	if (which == 2 && (node->flags & NODE_RELOCATED) &&
	    (dir->flags & NODE_RR_MOVED)) {
		put_link(b, "RE", RE_LEN, 0);
		rrflags |= RRF_RE;
	}
	if (which == 1 && (dir->flags & NODE_RELOCATED) && dir->reloc) {
		put_link(b, "PL", PL_LEN, dir->reloc->lba);
		rrflags |= RRF_PL;
	}
	if (which == 2 && (node->flags & NODE_RELOC_STUB) && node->reloc) {
		put_link(b, "CL", CL_LEN, node->reloc->lba);
		rrflags |= RRF_CL;
	}
	if (which == 0 && dir == root) {
		/* SUSP 5.5: the ER lives in its own block after the
		 * directories; the root's "." points there */
		uint8_t *p = entry(b, "CE", CE_LEN);
		put_733(p + CE_BLOCK, s->plan.er_lba);
		put_733(p + CE_SIZE, rr_encode_er(NULL, s));
	}
	if (!b->overflow)
		b->buf[rr + 4] = rrflags;
}

/* End of continuation area k (the next CE entry's end, or the end). */
static size_t area_end(const struct rr_build *b, size_t k)
{
	return k + 1 < b->nce ? b->ce[k + 1] + CE_LEN : b->pos;
}

int rr_encode_su(uint8_t *su, size_t room, uint8_t *ce_dst,
                 struct elt_stream *s, struct elt_node *dir,
                 struct elt_node *node, int which, uint32_t *ce_off)
{
	struct rr_build *b;
	uint32_t place[MAX_AREAS], off = *ce_off;
	size_t k, inrec;
	int ret;

	b = malloc(sizeof *b);
	if (!b)
		return err_set(s->img, ELT_ENOMEM, node->name, "out of memory");
	build(b, s, dir, node, which);
	if (b->overflow) {
		ret = err_set(s->img, ELT_ELIMIT, node->name,
		              "rock ridge entries exceed %u bytes", RR_BUF);
		goto out;
	}
	inrec = b->nce ? b->ce[0] + CE_LEN : b->pos;
	if (inrec > room) {
		ret = err_set(s->img, ELT_EINTERNAL, node->name,
		              "rock ridge entries of %zu bytes in a record "
		              "with room for %zu", inrec, room);
		goto out;
	}
	/* genisoimage packs the areas of a directory in record order; an
	 * area that would reach the end of its block starts the next one */
	for (k = 0; k < b->nce; k++) {
		uint8_t *ce = b->buf + b->ce[k];
		size_t len = area_end(b, k) - (b->ce[k] + CE_LEN);

		if ((off % BLOCK) + len >= BLOCK)
			off = (off + BLOCK - 1) / BLOCK * BLOCK;
		put_733(ce + CE_BLOCK, dir->ce_lba + off / BLOCK);
		put_733(ce + CE_OFFSET, off % BLOCK);
		put_733(ce + CE_SIZE, (uint32_t)len);
		place[k] = off;
		off += (uint32_t)len;
		off += off & 1;
	}
	if (ce_dst)
		for (k = 0; k < b->nce; k++) {
			size_t start = b->ce[k] + CE_LEN;
			memcpy(ce_dst + place[k], b->buf + start,
			       area_end(b, k) - start);
		}
	if (su)
		memcpy(su, b->buf, inrec);
	*ce_off = off;
	ret = (int)inrec;
out:
	free(b);
	return ret;
}

/* SUSP 5.5 extension reference, RRIP 1.09's identification; it sits
 * alone at the start of its block (dst NULL: just its length). */
int rr_encode_er(uint8_t *dst, const struct elt_stream *s)
{
	size_t id = strlen(ER_ID), des = strlen(ER_DES), src = strlen(ER_SRC);
	size_t len = ER_HDR + id + des + src;

	(void)s;
	if (!dst)
		return (int)len;
	memset(dst, 0, BLOCK);
	dst[0] = 'E';
	dst[1] = 'R';
	dst[SUE_LEN] = (uint8_t)len;
	dst[SUE_VER] = SUE_VERSION;
	dst[4] = (uint8_t)id;
	dst[5] = (uint8_t)des;
	dst[6] = (uint8_t)src;
	dst[7] = 1;   /* EXT_VER */
	memcpy(dst + ER_HDR, ER_ID, id);
	memcpy(dst + ER_HDR + id, ER_DES, des);
	memcpy(dst + ER_HDR + id + des, ER_SRC, src);
	return (int)len;
}
