/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Names per namespace (ECMA-119 7.5, 9.3; Joliet 1995) and the on-disc
 * order of each directory's children.
 *
 * Everything here reproduces genisoimage 1.1.11 byte for byte; the rules
 * were measured on the real program (see tests/unit/test_names.c):
 *
 *  ISO 9660  Each name is mapped on its own (mkisofs' "8.3" mapper with
 *            the relax flags), then collisions are resolved per directory
 *            walking the children from the LAST read to the first: the
 *            entry seen later in that walk (i.e. read earlier) keeps the
 *            plain name and the one already holding it is renamed to
 *            ROOT<3 base-36 digits>EXT, the smallest free counter.  Names
 *            compare without their ";version" (so a directory FOO clashes
 *            with a file FOO;1).  Records sort bytewise except that ';'
 *            sorts first and '.' second.
 *  Joliet    The original name converted through iconv to UCS-2BE,
 *            forbidden characters and controls replaced by '_', cut to
 *            64 (103) characters, and cut early where iconv stops (a
 *            character outside the BMP, an invalid or incomplete
 *            sequence).  The sort compares the whole converted names,
 *            ';' first.  genisoimage never renames Joliet names; where it
 *            stops with "same Joliet name" we rename the later one.
 *  Omitted   Symbolic links without Rock Ridge (both namespaces), as
 *            genisoimage ("Symlink ... ignored"); devices, FIFOs and
 *            sockets stay, as empty files.
 */
#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

#define ISO_NAMELEN       31   /* mkisofs LEN_ISONAME: 30 + '.' (7.5.1) */
#define ISO_NAMELEN_MAX   37   /* -max-iso9660-filenames */
#define ISO_L1_BEFORE      8   /* level 1: 8.3 (ECMA-119 10.1) */
#define ISO_L1_AFTER       3
#define ISO_L1_ROOT        5   /* level 1 rename keeps 5 + 3 digits */
#define ISO_NAME_BUF     128
#define RENAME_DIGITS      3
#define RENAME_RADIX      36
#define RENAME_MAX  (RENAME_RADIX * RENAME_RADIX * RENAME_RADIX)
#define VERSION_MAX    32767   /* ECMA-119 7.5.2: 1..32767 */
#define VERSION_DIGITS     5
#define PRIO_PLAIN     32767   /* mkisofs priority of ordinary entries */
#define PRIO_INVENTED  32768   /* graft directories, rr_moved */
#define JOLIET_CHARS      64   /* Joliet 1995: 128 bytes */
#define JOLIET_LONG_CHARS 103  /* -joliet-long */
#define UCS_BAD          '_'

/* The mapping options, resolved from the write options as mkisofs does. */
struct nopt {
	int level;
	int namelen;          /* cap on mapped characters (31 or 37) */
	bool full;            /* level >= 2 or -l: long names */
	bool omit_version, omit_period, leading_dots, lowercase, multidot;
	bool relaxed, translate, rr, joliet;
	unsigned int jchars;  /* Joliet characters kept */
};

/* ------------------------------------------------------------------ */
/* Hash table of byte strings (not owned) -> value, with deletion.    */

struct hent {
	const char *key;
	size_t klen;
	uintptr_t val;
	uint32_t next;        /* entry index + 1, 0 ends the chain */
};

struct htab {
	uint32_t *heads;      /* bucket -> entry index + 1 */
	uint32_t mask;
	struct hent *ents;
	uint32_t n, cap, free1; /* free1: free list, entry index + 1 */
};

static uint32_t hash_bytes(const char *k, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)k[i];
		h *= 16777619u;
	}
	return h;
}

static int htab_init(struct htab *t, size_t expect)
{
	uint32_t nb = 16;

	memset(t, 0, sizeof *t);
	while (nb < expect * 2 && nb < (1u << 30))
		nb <<= 1;
	t->heads = calloc(nb, sizeof *t->heads);
	if (!t->heads)
		return ELT_ENOMEM;
	t->mask = nb - 1;
	return 0;
}

static void htab_free(struct htab *t)
{
	free(t->heads);
	free(t->ents);
	memset(t, 0, sizeof *t);
}

static struct hent *htab_find(const struct htab *t, const char *k, size_t len)
{
	uint32_t i = t->heads[hash_bytes(k, len) & t->mask];

	while (i) {
		struct hent *e = &t->ents[i - 1];
		if (e->klen == len && memcmp(e->key, k, len) == 0)
			return e;
		i = e->next;
	}
	return NULL;
}

static int htab_add(struct htab *t, const char *k, size_t len, uintptr_t val)
{
	uint32_t b = hash_bytes(k, len) & t->mask, i;
	struct hent *e;

	if (t->free1) {
		i = t->free1;
		t->free1 = t->ents[i - 1].next;
	} else {
		if (t->n == t->cap) {
			uint32_t nc = t->cap ? t->cap * 2 : 64;
			struct hent *ne = realloc(t->ents, nc * sizeof *ne);
			if (!ne)
				return ELT_ENOMEM;
			t->ents = ne;
			t->cap = nc;
		}
		i = ++t->n;
	}
	e = &t->ents[i - 1];
	e->key = k;
	e->klen = len;
	e->val = val;
	e->next = t->heads[b];
	t->heads[b] = i;
	return 0;
}

/* Remove the entry of key k whose value is val. */
static void htab_del(struct htab *t, const char *k, size_t len, uintptr_t val)
{
	uint32_t *link = &t->heads[hash_bytes(k, len) & t->mask];

	while (*link) {
		uint32_t i = *link;
		struct hent *e = &t->ents[i - 1];
		if (e->val == val && e->klen == len &&
		    memcmp(e->key, k, len) == 0) {
			*link = e->next;
			e->next = t->free1;
			t->free1 = i;
			return;
		}
		link = &e->next;
	}
}

/* ------------------------------------------------------------------ */
/* ISO 9660 identifiers                                                */

static bool is_dir(const struct elt_node *n)
{
	return S_ISDIR(n->mode);
}

/* Characters mkisofs replaces by '_' in strict (non-relaxed) names. */
static bool iso_forbidden(unsigned char c)
{
	if (c >= 1 && c <= 31)
		return true;
	return strchr("+=%:;.,\t /\"[]><|!$&'()*?@\\^`{}", c) != NULL &&
	       c != '\0';
}

static char iso_char(unsigned char c, const struct nopt *o)
{
	if (c & 0x80)
		return '_';     /* 8-bit characters only at level 4 */
	if (!o->lowercase && c >= 'a' && c <= 'z')
		c = (unsigned char)(c - 'a' + 'A');
	if (o->relaxed)
		return c == '/' ? '_' : (char)c;
	if (c == '#' || c == '-' || c == '~')
		return o->translate ? '_' : (char)c;
	return iso_forbidden(c) ? '_' : (char)c;
}

/* The dot that starts the extension: the last one, unless it ends the
 * name or is followed by '~' and an earlier dot exists. */
static const char *ext_dot(const char *name)
{
	const char *d = strrchr(name, '.'), *p;

	if (!d || (d[1] != '~' && d[1] != '\0'))
		return d;
	for (p = d; p > name;)
		if (*--p == '.')
			return p;
	return d;
}

/* mkisofs' iso9660_file_length(): map name into out (ISO_NAME_BUF). */
static size_t iso_map(const char *name, bool dir, const struct nopt *o,
                      char *out)
{
	static const char tgz[] = ".tgz", psz[] = ".psz";
	const char *last = ext_dot(name), *p = name;
	int before = ISO_L1_BEFORE, after = ISO_L1_AFTER;
	int nbefore = 0, nafter = 0, cur = 0;
	bool seen_dot = false, ignore = false;
	size_t olen = 0;

	if (o->full) {
		int oafter = last ? (int)strlen(last) : 0; /* dot counts */
		before = o->namelen;
		after = before - 1;
		if (!dir) {
			if (oafter > o->namelen / 2 + 1) {
				before = o->namelen / 2;
				after = oafter;
			} else {
				before -= oafter;
				after = oafter;
			}
		}
	}
	while (*p) {
		if (ignore || cur >= o->namelen) {
			p++;
			continue;
		}
		if (*p == '.') {
			if (!o->multidot) {
				/* mkisofs shortens these two on its own */
				if (strcmp(p, ".tar.gz") == 0)
					p = last = tgz;
				else if (strcmp(p, ".ps.gz") == 0)
					p = last = psz;
			}
			if (nbefore == 0 && !o->leading_dots) {
				nbefore++;
				out[olen++] = '_';
			} else if (p == last) {
				if (seen_dot) {
					ignore = true;
					continue;
				}
				out[olen++] = '.';
				seen_dot = true;
			} else if (nbefore < before) {
				nbefore++;
				out[olen++] = o->multidot ? '.' : '_';
			}
		} else if (seen_dot ? nafter < after : nbefore < before) {
			if (seen_dot)
				nafter++;
			else
				nbefore++;
			out[olen++] = iso_char((unsigned char)*p, o);
		} else {
			p++;
			continue;
		}
		cur++;
		p++;
	}
	if (!dir) {
		if (!seen_dot && !o->omit_period) {
			if (nbefore >= o->namelen - 1)
				olen--;  /* make room for the dot */
			out[olen++] = '.';
		}
		if (!o->omit_version) {
			out[olen++] = ';';
			out[olen++] = '1';
		}
	}
	out[olen] = '\0';
	return olen;
}

/* genisoimage looks names up without their version: the key is the part
 * before the first ';', and a name whose rest is not a valid version is
 * never found at all (returns false). */
static bool iso_key(const char *name, size_t *klen)
{
	const char *semi = strchr(name, ';'), *p;
	int i;

	if (!semi) {
		*klen = strlen(name);
		return true;
	}
	*klen = (size_t)(semi - name);
	for (p = semi + 1, i = 0; *p && i < VERSION_DIGITS; p++, i++)
		if (*p < '0' || *p > '9')
			return false;
	i = atoi(semi + 1);
	return i >= 1 && i <= VERSION_MAX;
}

/* ECMA-119 9.3 order as genisoimage's compare_dirs(): bytewise, but ';'
 * before anything and '.' next; both at ';' compare equal. */
static int iso_cmp(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		if (*a == ';' || *b == ';') {
			if (*a != ';')
				return 1;
			return *b == ';' ? 0 : -1;
		}
		if (*a == '.' && *b != '.')
			return -1;
		if (*a != '.' && *b == '.')
			return 1;
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
	}
	if (*a)
		return 1;
	return *b ? -1 : 0;
}

static int prio(const struct elt_node *n)
{
	/* genisoimage's own entries (graft directories, rr_moved and the
	 * relocated directories in it) win clashes */
	return n->flags & (NODE_INVENTED | NODE_RR_MOVED | NODE_RELOCATED) ?
	       PRIO_INVENTED : PRIO_PLAIN;
}

static char digit36(unsigned int d)
{
	return (char)(d < 10 ? '0' + d : 'A' + d - 10);
}

/* The rename template of genisoimage's sort_n_finish(): root + "%03" +
 * ext + version. Writes root and tail; returns false if it cannot fit. */
static bool rename_parts(const char *name, bool dir, const struct nopt *o,
                         char *root, char *tail)
{
	char buf[ISO_NAME_BUF];
	char *dot, *semi, *ext = NULL, *t;
	size_t d1, d2, rl, el, vl;

	snprintf(buf, sizeof buf, "%s", name);
	dot = strchr(buf, '.');
	/* with a leading dot and several dots, the extension is the last */
	if (dot == buf && dot != strrchr(buf, '.'))
		dot = strrchr(buf, '.');
	if (dot) {
		ext = dot;
		*dot = '\0';
		semi = strchr(ext + 1, ';');
		if (semi)
			*semi = '\0';
	} else if ((semi = strchr(buf, ';')) != NULL) {
		*semi = '\0';
	}
	d1 = strlen(buf);
	d2 = ext ? strlen(ext + 1) + 1 : 0;
	if (o->full) {
		/* leave room for the 3 digits; genisoimage does not cut
		 * when the extension alone is too long */
		if (d1 + d2 > (size_t)o->namelen - RENAME_DIGITS &&
		    d2 <= (size_t)o->namelen - RENAME_DIGITS)
			buf[o->namelen - RENAME_DIGITS - d2] = '\0';
	} else if (d1 > ISO_L1_ROOT) {
		buf[ISO_L1_ROOT] = '\0';
	}
	rl = strlen(buf);
	el = ext ? strlen(ext + 1) : 0;
	vl = dir || o->omit_version ? 0 : 2;
	if (rl + RENAME_DIGITS + (ext ? 1 : 0) + el + vl >= ISO_NAME_BUF)
		return false;
	memcpy(root, buf, rl + 1);
	t = tail;
	if (ext) {
		*t++ = '.';
		memcpy(t, ext + 1, el);
		t += el;
	}
	memcpy(t, ";1", vl);
	t[vl] = '\0';
	return true;
}

struct dirctx {
	struct elt_stream *s;
	const struct nopt *o;
	struct elt_node *dir;
	struct htab names;    /* ISO key -> node */
	struct htab tmpl;     /* rename template -> next counter to try */
	char **tmpl_keys;     /* owned template strings */
	size_t n_tmpl, cap_tmpl;
};

static int set_iso_name(struct elt_node *n, const char *name, size_t len)
{
	char *c;

	if (len > 255)
		return ELT_ELIMIT;
	c = malloc(len + 1);
	if (!c)
		return ELT_ENOMEM;
	memcpy(c, name, len + 1);
	free(n->iso_name);
	n->iso_name = c;
	n->iso_len = (uint8_t)len;
	return 0;
}

static int names_add(struct dirctx *c, struct elt_node *n)
{
	size_t klen;

	if (!iso_key(n->iso_name, &klen))
		return 0; /* never found, so never clashes */
	return htab_add(&c->names, n->iso_name, klen, (uintptr_t)n);
}

static void names_del(struct dirctx *c, struct elt_node *n)
{
	size_t klen;

	if (iso_key(n->iso_name, &klen))
		htab_del(&c->names, n->iso_name, klen, (uintptr_t)n);
}

static struct elt_node *names_find(struct dirctx *c, const char *name)
{
	size_t klen;
	struct hent *e;

	if (!iso_key(name, &klen))
		return NULL;
	e = htab_find(&c->names, name, klen);
	return e ? (struct elt_node *)e->val : NULL;
}

/* Counter cache per template: the set of taken names only grows, so the
 * smallest free counter never decreases and each search resumes where
 * the last one stopped (no quadratic rescans with thousands of clashes). */
static int tmpl_slot(struct dirctx *c, const char *root, const char *tail,
                     struct hent **slot)
{
	char key[2 * ISO_NAME_BUF + 2];
	size_t len = (size_t)snprintf(key, sizeof key, "%s/%s", root, tail);
	char *own;
	int err;

	*slot = htab_find(&c->tmpl, key, len);
	if (*slot)
		return 0;
	if (c->n_tmpl == c->cap_tmpl) {
		size_t nc = c->cap_tmpl ? c->cap_tmpl * 2 : 16;
		char **nk = realloc(c->tmpl_keys, nc * sizeof *nk);
		if (!nk)
			return ELT_ENOMEM;
		c->tmpl_keys = nk;
		c->cap_tmpl = nc;
	}
	own = malloc(len + 1);
	if (!own)
		return ELT_ENOMEM;
	memcpy(own, key, len + 1);
	c->tmpl_keys[c->n_tmpl++] = own;
	err = htab_add(&c->tmpl, own, len, 0);
	if (err)
		return err;
	*slot = htab_find(&c->tmpl, own, len);
	return 0;
}

static int iso_unique(struct dirctx *c, const struct elt_node *n,
                      char *out, size_t *olen)
{
	char root[ISO_NAME_BUF], tail[ISO_NAME_BUF];
	struct hent *slot;
	uintptr_t k;
	size_t rl;
	int err;

	/* a relocation stub is named as a directory but renamed as the
	 * plain file genisoimage turned it into */
	if (!rename_parts(n->iso_name, is_dir(n) && !(n->flags & NODE_RELOC_STUB),
	                  c->o, root, tail))
		return ELT_ELIMIT;
	err = tmpl_slot(c, root, tail, &slot);
	if (err)
		return err;
	rl = strlen(root);
	for (k = slot->val; k < RENAME_MAX; k++) {
		size_t klen;
		memcpy(out, root, rl);
		out[rl] = digit36((unsigned int)(k / (RENAME_RADIX * RENAME_RADIX)));
		out[rl + 1] = digit36((unsigned int)(k / RENAME_RADIX % RENAME_RADIX));
		out[rl + 2] = digit36((unsigned int)(k % RENAME_RADIX));
		strcpy(out + rl + RENAME_DIGITS, tail);
		if (!iso_key(out, &klen)) {
			slot->val = k;   /* never taken: may serve again */
			break;
		}
		if (!htab_find(&c->names, out, klen)) {
			slot->val = k + 1;
			break;
		}
	}
	if (k >= RENAME_MAX)
		return ELT_ELIMIT;
	*olen = strlen(out);
	return 0;
}

/* Resolve one clash between n (being added) and holder (has the name). */
static int iso_clash(struct dirctx *c, struct elt_node *n,
                     struct elt_node *holder)
{
	char nn[ISO_NAME_BUF], pbuf[1024];
	struct elt_node *victim;
	size_t len;
	int err;

	err = iso_unique(c, n, nn, &len);
	if (err == ELT_ELIMIT)
		return err_set(c->s->img, ELT_ELIMIT,
		               tree_iso_path(n, pbuf, sizeof pbuf),
		               "unable to generate a unique iso9660 name");
	if (err)
		return err;
	victim = prio(n) < prio(holder) ? n : holder;
	if (victim == holder)
		names_del(c, holder);
	msg_emit(c->s->img, ELT_MSG_NOTE, ELT_MSGC_NAME_MANGLED,
	         tree_iso_path(victim, pbuf, sizeof pbuf), "using %s for %s (%s)",
	         nn, victim->name, (victim == n ? holder : n)->name);
	err = set_iso_name(victim, nn, len);
	if (!err && victim == holder)
		err = names_add(c, holder);
	if (!err)
		err = names_add(c, n);
	return err;
}

/* Is node listed in namespace ns of this stream? */
static bool listed(const struct elt_node *n, const struct nopt *o,
                   unsigned int ns)
{
	if (n->hidden & ns)
		return false;
	/* genisoimage drops symbolic links without Rock Ridge entirely */
	if (S_ISLNK(n->mode) && !o->rr)
		return false;
	if (ns == ELT_NS_JOLIET && (n->flags & NODE_RR_MOVED))
		return false;
	return true;
}

static bool dir_shown(const struct elt_node *d, const struct nopt *o,
                      unsigned int ns);

struct sortent {
	struct elt_node *n;
	uint32_t idx;         /* tie-break: genisoimage's list position */
	const uint32_t *key;  /* Joliet sort key */
	uint32_t klen;
	uint32_t units;       /* characters converted before `stop` */
	uint8_t stop;         /* enum jstop */
};

static int iso_sort_cmp(const void *a, const void *b)
{
	const struct sortent *x = a, *y = b;
	int r = iso_cmp(x->n->iso_name, y->n->iso_name);

	if (r)
		return r;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int iso_dir(struct dirctx *c, struct elt_node *dir)
{
	struct elt_node *k;
	struct sortent *v = NULL;
	char buf[ISO_NAME_BUF];
	uint32_t n = 0, i;
	int err = 0;

	for (k = dir->first_child; k; k = k->next)
		if (listed(k, c->o, ELT_NS_ISO))
			n++;
	if (n == 0)
		return 0;
	v = calloc(n, sizeof *v);
	if (!v)
		return ELT_ENOMEM;
	i = 0;
	for (k = dir->first_child; k; k = k->next) {
		size_t len;
		if (!listed(k, c->o, ELT_NS_ISO))
			continue;
		len = iso_map(k->name, is_dir(k), c->o, buf);
		err = set_iso_name(k, buf, len);
		if (err)
			goto out;
		/* genisoimage's list holds the last read entry first */
		v[i].n = k;
		v[i].idx = n - 1 - i;
		i++;
	}
	err = htab_init(&c->names, n);
	if (!err)
		err = htab_init(&c->tmpl, n);
	if (err)
		goto out;
	c->dir = dir;
	for (i = n; i-- > 0;) {
		struct elt_node *holder = names_find(c, v[i].n->iso_name);
		err = holder ? iso_clash(c, v[i].n, holder) : names_add(c, v[i].n);
		if (err)
			goto out;
	}
	qsort(v, n, sizeof *v, iso_sort_cmp);
	/* Names that are never looked up (relaxed names with a ';') can
	 * still come out equal: genisoimage cannot sort them and stops. */
	for (i = 1; i < n; i++)
		if (strcmp(v[i - 1].n->iso_name, v[i].n->iso_name) == 0) {
			char pbuf[1024];
			err = err_set(c->s->img, ELT_EEXIST,
			              tree_iso_path(v[i].n, pbuf, sizeof pbuf),
			              "same iso9660 name %s as %s",
			              v[i].n->iso_name, v[i - 1].n->name);
			goto out;
		}
	dir->iso_kids = malloc(n * sizeof *dir->iso_kids);
	if (!dir->iso_kids) {
		err = ELT_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		dir->iso_kids[i] = v[i].n;
	dir->n_iso_kids = n;
out:
	htab_free(&c->names);
	htab_free(&c->tmpl);
	for (i = 0; i < c->n_tmpl; i++)
		free(c->tmpl_keys[i]);
	free(c->tmpl_keys);
	c->tmpl_keys = NULL;
	c->n_tmpl = c->cap_tmpl = 0;
	free(v);
	return err;
}

/* ------------------------------------------------------------------ */
/* Joliet identifiers                                                  */

struct jconv {
	iconv_t cd;           /* input charset -> UTF-32BE */
	uint32_t *buf;        /* scratch: one name's characters */
	size_t cap;
};

/* Sort-key units besides characters: genisoimage compares ';' before
 * anything (and stops there), and an incomplete multibyte tail converts
 * to nothing, which sorts after ';' but before every character. */
#define JKEY_INCOMPLETE 0xFFFFFFFFu

/* Why a conversion stopped before the end of the name. */
enum jstop { JSTOP_NONE = 0, JSTOP_INCOMPLETE, JSTOP_ASTRAL, JSTOP_INVALID };

/* Convert n's name to characters in jc->buf: the characters before the
 * first one UCS-2 cannot hold (outside the BMP), the first invalid byte
 * sequence or an incomplete one at the end. *units: characters, *stop:
 * why it stopped. genisoimage's iconv conversion stops at the same
 * place: its Joliet name ends there (an invalid sequence inside the first
 * 64 characters makes it abort). */
static int j_convert(struct jconv *jc, const struct elt_node *n,
                     size_t *units, enum jstop *stop)
{
	char *in = n->name;
	size_t inleft = strlen(n->name), got = 0, i;

	if (jc->cap < inleft + 1) {
		uint32_t *nb = realloc(jc->buf, (inleft + 1) * sizeof *nb);
		if (!nb)
			return ELT_ENOMEM;
		jc->buf = nb;
		jc->cap = inleft + 1;
	}
	*stop = JSTOP_NONE;
	iconv(jc->cd, NULL, NULL, NULL, NULL);
	while (inleft > 0) {
		unsigned char out[4 * 64];
		char *op = (char *)out;
		size_t oleft = sizeof out, r;
		int e;

		r = iconv(jc->cd, &in, &inleft, &op, &oleft);
		e = errno;
		for (i = 0; i < (sizeof out - oleft) / 4; i++)
			jc->buf[got++] = (uint32_t)out[4 * i] << 24 |
			                 (uint32_t)out[4 * i + 1] << 16 |
			                 (uint32_t)out[4 * i + 2] << 8 | out[4 * i + 3];
		if (r != (size_t)-1 || e == E2BIG)
			continue;
		*stop = e == EINVAL ? JSTOP_INCOMPLETE : JSTOP_INVALID;
		break;
	}
	for (i = 0; i < got; i++)
		if (jc->buf[i] > 0xffff) {
			*stop = JSTOP_ASTRAL;
			break;
		}
	*units = i;
	return 0;
}

/* Joliet replaces these (U+0000..U+001F, '*', '/', ':', '?', '\', DEL);
 * ';' is kept in the sort key, which sorts it first, and replaced when
 * the name is written. */
static uint32_t j_fix(uint32_t u)
{
	if (u < 0x20 || u == 0x7f)
		return UCS_BAD;
	switch (u) {
	case '*': case '/': case ':': case '?': case '\\':
		return UCS_BAD;
	default:
		return u;
	}
}

static int j_sort_cmp(const void *a, const void *b)
{
	const struct sortent *x = a, *y = b;
	uint32_t i;

	for (i = 0; i < x->klen && i < y->klen; i++) {
		uint32_t p = x->key[i], q = y->key[i];
		if (p == ';' || q == ';') {
			if (p != ';')
				return 1;
			if (q != ';')
				return -1;
			goto tie;
		}
		if (p == JKEY_INCOMPLETE || q == JKEY_INCOMPLETE) {
			if (p != JKEY_INCOMPLETE)
				return 1;
			if (q != JKEY_INCOMPLETE)
				return -1;
			goto tie;
		}
		if (p != q)
			return p < q ? -1 : 1;
	}
	if (x->klen != y->klen)
		return x->klen > y->klen ? 1 : -1;
tie:
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int set_jname(struct elt_node *n, const uint32_t *key, size_t units,
                     unsigned int jchars)
{
	size_t i;
	char *c;

	if (units > jchars)
		units = jchars;
	c = malloc(units * 2 + 3);
	if (!c)
		return ELT_ENOMEM;
	if (units == 0) {
		/* a name that ends before its first character (genisoimage
		 * writes an empty identifier, which ECMA-119 9.1.10 does not
		 * allow): one '_' instead */
		c[0] = 0;
		c[1] = '_';
		c[2] = '\0';
		free(n->jname);
		n->jname = c;
		n->jlen = 2;
		return 0;
	}
	for (i = 0; i < units; i++) {
		uint32_t u = key[i] == ';' ? UCS_BAD : key[i];
		c[2 * i] = (char)(u >> 8);
		c[2 * i + 1] = (char)u;
	}
	c[2 * units] = '\0';
	free(n->jname);
	n->jname = c;
	n->jlen = (uint8_t)(units * 2);
	return 0;
}

/* Where genisoimage stops ("same Joliet name": the first jchars bytes of
 * the original names agree) and the cut names are equal, give the later
 * one a unique name: its last three characters become base-36 digits. */
static int j_dedup(struct elt_stream *s, const struct nopt *o,
                   struct sortent *v, uint32_t n)
{
	char prev[2 * JOLIET_LONG_CHARS], pbuf[1024];
	const char *prev_name;
	uint8_t prev_len;
	struct htab t;
	uint32_t i, k = 0;
	int err;

	err = htab_init(&t, n);
	if (err)
		return err;
	for (i = 0; i < n && !err; i++)
		err = htab_add(&t, v[i].n->jname, v[i].n->jlen, i);
	prev_len = v[0].n->jlen;
	memcpy(prev, v[0].n->jname, prev_len);
	prev_name = v[0].n->name;
	for (i = 1; i < n && !err; i++) {
		struct elt_node *b = v[i].n;
		uint32_t units = b->jlen / 2;
		const char *a_name = prev_name;
		bool same = prev_len == b->jlen &&
		            memcmp(prev, b->jname, prev_len) == 0 &&
		            strncmp(prev_name, b->name, o->jchars) == 0;
		prev_len = b->jlen;
		memcpy(prev, b->jname, prev_len);
		prev_name = b->name;
		if (!same || units < RENAME_DIGITS)
			continue;
		htab_del(&t, b->jname, b->jlen, i);
		for (; k < RENAME_MAX; k++) {
			char *p = b->jname + 2 * (units - RENAME_DIGITS);
			p[0] = 0;
			p[1] = digit36(k / (RENAME_RADIX * RENAME_RADIX));
			p[2] = 0;
			p[3] = digit36(k / RENAME_RADIX % RENAME_RADIX);
			p[4] = 0;
			p[5] = digit36(k % RENAME_RADIX);
			if (!htab_find(&t, b->jname, b->jlen))
				break;
		}
		if (k >= RENAME_MAX) {
			err = err_set(s->img, ELT_ELIMIT,
			              tree_iso_path(b, pbuf, sizeof pbuf),
			              "unable to generate a unique joliet name");
			break;
		}
		err = htab_add(&t, b->jname, b->jlen, i);
		msg_emit(s->img, ELT_MSG_WARNING, ELT_MSGC_NAME_MANGLED,
		         tree_iso_path(b, pbuf, sizeof pbuf),
		         "same joliet name as %s: renamed (genisoimage fails here)",
		         a_name);
	}
	htab_free(&t);
	return err;
}

/* Does genisoimage's sort meet the bad character of x? Its comparison
 * converts both names one character at a time while they agree, so it
 * does when a neighbour in the sorted order shares the characters
 * before it (no ';' among them, which ends a comparison) and goes on. */
static bool j_sort_meets(const struct sortent *v, uint32_t n, uint32_t i)
{
	const struct sortent *x = &v[i];
	uint32_t k = x->units, j, side;

	for (j = 0; j < k; j++)
		if (x->key[j] == ';')
			return false;
	for (side = 0; side < 2; side++) {
		const struct sortent *y;
		if ((side == 0 && i == 0) || (side == 1 && i + 1 >= n))
			continue;
		y = &v[side == 0 ? i - 1 : i + 1];
		if (y->klen > k && y->key[k] != ';' &&
		    memcmp(x->key, y->key, k * sizeof *x->key) == 0)
			return true;
	}
	return false;
}

/* Tell about Joliet names cut short by the charset. Where genisoimage
 * aborts ("Incorrectly encoded string": an invalid sequence right after
 * the characters it keeps, or a bad character its sort meets) the code
 * is ELT_MSGC_CHARSET, so a caller mimicking it may refuse; the other
 * cuts are what genisoimage writes. */
static void j_warn(struct elt_stream *s, const struct nopt *o,
                   const struct sortent *v, uint32_t n)
{
	char pbuf[1024];
	uint32_t i;

	for (i = 0; i < n; i++) {
		const struct sortent *x = &v[i];
		bool aborts;
		if (x->stop == JSTOP_NONE)
			continue;
		aborts = (x->stop == JSTOP_INVALID && x->units <= o->jchars) ||
		         (x->stop != JSTOP_INCOMPLETE && j_sort_meets(v, n, i));
		tree_iso_path(x->n, pbuf, sizeof pbuf);
		if (aborts)
			msg_emit(s->img, ELT_MSG_WARNING, ELT_MSGC_CHARSET, pbuf,
			         "%s: joliet name cut there (genisoimage aborts)",
			         x->stop == JSTOP_ASTRAL ? "character outside ucs-2"
			                                 : "invalid character");
		else if (x->units < o->jchars)
			msg_emit(s->img, ELT_MSG_WARNING, ELT_MSGC_NAME_MANGLED, pbuf,
			         "%s: joliet name cut there",
			         x->stop == JSTOP_ASTRAL ? "character outside ucs-2" :
			         x->stop == JSTOP_INVALID ? "invalid character" :
			                                    "incomplete character");
	}
}

/* The list genisoimage sorts for Joliet: its ISO order (entries hidden
 * from ISO at the end, in read order), or in a directory hidden from ISO
 * the unsorted last-read-first list. Qsort ties keep this order. */
static uint32_t j_order(const struct nopt *o, struct elt_node *dir,
                        struct sortent *v)
{
	struct elt_node *k;
	uint32_t n = 0, i;

	if (dir_shown(dir, o, ELT_NS_ISO)) {
		for (i = 0; i < dir->n_iso_kids; i++)
			if (listed(dir->iso_kids[i], o, ELT_NS_JOLIET))
				v[n++].n = dir->iso_kids[i];
		for (k = dir->first_child; k; k = k->next)
			if (listed(k, o, ELT_NS_JOLIET) &&
			    !listed(k, o, ELT_NS_ISO))
				v[n++].n = k;
	} else {
		for (k = dir->first_child; k; k = k->next)
			if (listed(k, o, ELT_NS_JOLIET))
				v[n++].n = k;
		for (i = 0; i < n / 2; i++) {
			struct elt_node *t = v[i].n;
			v[i].n = v[n - 1 - i].n;
			v[n - 1 - i].n = t;
		}
	}
	for (i = 0; i < n; i++)
		v[i].idx = i;
	return n;
}

static int joliet_dir(struct elt_stream *s, const struct nopt *o,
                      struct jconv *jc, struct elt_node *dir)
{
	struct elt_node *k;
	struct sortent *v = NULL;
	uint32_t *keys = NULL;
	size_t total = 0, used = 0;
	uint32_t n = 0, i;
	int err = 0;

	for (k = dir->first_child; k; k = k->next) {
		if (!listed(k, o, ELT_NS_JOLIET))
			continue;
		n++;
		total += strlen(k->name) + 1;
	}
	if (n == 0)
		return 0;
	v = calloc(n, sizeof *v);
	keys = malloc(total * sizeof *keys);
	if (!v || !keys) {
		err = ELT_ENOMEM;
		goto out;
	}
	if (j_order(o, dir, v) != n) {
		err = ELT_EINTERNAL;
		goto out;
	}
	for (i = 0; i < n; i++) {
		size_t units, u;
		enum jstop stop;
		err = j_convert(jc, v[i].n, &units, &stop);
		if (err)
			goto out;
		for (u = 0; u < units; u++)
			keys[used + u] = jc->buf[u] == ';' ? ';' : j_fix(jc->buf[u]);
		v[i].key = keys + used;
		v[i].klen = (uint32_t)units;
		if (stop == JSTOP_INCOMPLETE)
			keys[used + v[i].klen++] = JKEY_INCOMPLETE;
		else if (stop != JSTOP_NONE)
			keys[used + v[i].klen++] = UCS_BAD;
		used += v[i].klen;
		err = set_jname(v[i].n, v[i].key, units, o->jchars);
		if (err)
			goto out;
		v[i].units = (uint32_t)units;
		v[i].stop = (uint8_t)stop;
	}
	qsort(v, n, sizeof *v, j_sort_cmp);
	j_warn(s, o, v, n);
	err = j_dedup(s, o, v, n);
	if (err)
		goto out;
	dir->j_kids = malloc(n * sizeof *dir->j_kids);
	if (!dir->j_kids) {
		err = ELT_ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		dir->j_kids[i] = v[i].n;
	dir->n_j_kids = n;
out:
	free(keys);
	free(v);
	return err;
}

/* ------------------------------------------------------------------ */

static void nopt_init(struct nopt *o, const elt_write_opts *w)
{
	unsigned int r = w->relax;

	memset(o, 0, sizeof *o);
	o->level = w->iso_level;
	o->namelen = ISO_NAMELEN;
	o->full = w->iso_level > 1 || (r & ELT_RELAX_LONG_NAMES);
	o->omit_version = r & ELT_RELAX_OMIT_VERSION;
	o->omit_period = r & ELT_RELAX_OMIT_PERIOD;
	o->leading_dots = r & ELT_RELAX_LEADING_DOTS;
	o->lowercase = r & ELT_RELAX_LOWERCASE;
	o->multidot = r & ELT_RELAX_MULTIDOT;
	o->relaxed = r & ELT_RELAX_RELAXED_CHARS;
	o->translate = !(r & ELT_RELAX_NO_TRANSLATE);
	if (r & ELT_RELAX_MAX_NAMES) {
		/* -max-iso9660-filenames implies -l and -N */
		o->namelen = ISO_NAMELEN_MAX;
		o->full = true;
		o->omit_version = true;
	}
	if (r & ELT_RELAX_UNTRANSLATED) {
		/* -U implies -l -d -N -allow-leading-dots -relaxed-filenames
		 * -allow-lowercase -allow-multidot */
		o->full = o->omit_period = o->leading_dots = true;
		o->omit_version = o->relaxed = o->lowercase = true;
		o->multidot = true;
	}
	o->rr = w->ext & ELT_EXT_ROCKRIDGE;
	o->joliet = w->ext & ELT_EXT_JOLIET;
	o->jchars = w->flags & ELT_WRITE_JOLIET_LONG ? JOLIET_LONG_CHARS
	                                             : JOLIET_CHARS;
}


/* Does namespace ns need the children of directory d? Not if d or an
 * ancestor is hidden there. (rr_moved is walked for Joliet too: the
 * relocated directories show in Joliet where they came from.) */
static bool dir_shown(const struct elt_node *d, const struct nopt *o,
                      unsigned int ns)
{
	(void)o;
	for (; d && d->parent; d = d->parent)
		if (d->hidden & ns)
			return false;
	return true;
}

const char *names_input_charset(const struct elt_stream *s)
{
	/* genisoimage takes the locale's charset (-input-charset overrides;
	 * a "C" locale means ISO-8859-1); the library's default is UTF-8 */
	return s->w.o.input_charset ? s->w.o.input_charset : "UTF-8";
}

static void symlink_notes(struct elt_stream *s, const struct nopt *o)
{
	struct elt_node *n;
	char pbuf[1024];

	if (o->rr)
		return;
	for (n = s->img->root; n; n = tree_next(n, s->img->root))
		if (S_ISLNK(n->mode))
			msg_emit(s->img, ELT_MSG_WARNING, ELT_MSGC_SKIPPED,
			         tree_iso_path(n, pbuf, sizeof pbuf),
			         "symlink ignored without rock ridge");
}

int names_compute(struct elt_stream *s)
{
	struct elt_node *root = s->img->root, *d;
	struct jconv jc = { (iconv_t)-1, NULL, 0 };
	struct dirctx c;
	struct nopt o;
	int err = 0;

	names_free(root);
	nopt_init(&o, &s->w.o);
	memset(&c, 0, sizeof c);
	c.s = s;
	c.o = &o;
	for (d = root; d && !err; d = tree_next(d, root))
		if (is_dir(d) && dir_shown(d, &o, ELT_NS_ISO))
			err = iso_dir(&c, d);
	if (err || !o.joliet)
		goto out;
	jc.cd = iconv_open("UTF-32BE", names_input_charset(s));
	if (jc.cd == (iconv_t)-1) {
		err = err_set(s->img, ELT_EINVAL, NULL,
		              "unknown input charset %s", names_input_charset(s));
		goto out;
	}
	for (d = root; d && !err; d = tree_next(d, root))
		if (is_dir(d) && dir_shown(d, &o, ELT_NS_JOLIET))
			err = joliet_dir(s, &o, &jc, d);
out:
	if (!err)
		symlink_notes(s, &o);
	if (jc.cd != (iconv_t)-1)
		iconv_close(jc.cd);
	free(jc.buf);
	if (err)
		names_free(root);
	return err;
}

void names_free(struct elt_node *root)
{
	struct elt_node *n;

	for (n = root; n; n = tree_next(n, root)) {
		free(n->iso_name);
		free(n->jname);
		free(n->iso_kids);
		free(n->j_kids);
		n->iso_name = n->jname = NULL;
		n->iso_kids = n->j_kids = NULL;
		n->iso_len = n->jlen = 0;
		n->n_iso_kids = n->n_j_kids = 0;
	}
}
