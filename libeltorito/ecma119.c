/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* ECMA-119 8.4 primary volume descriptor, 8.3 terminator and 9.1
 * directory records (both namespaces share the record encoder). */
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* 8.4 primary volume descriptor field offsets */
#define VD_TYPE            0    /* 8.4.1 */
#define VD_ID              1    /* 8.4.2: "CD001" */
#define VD_VERSION         6    /* 8.4.3 */
#define PVD_SYSTEM_ID      8    /* 8.4.5, 32 a-characters */
#define PVD_VOLUME_ID      40   /* 8.4.6, 32 d-characters */
#define PVD_SPACE_SIZE     80   /* 8.4.8, 7.3.3 */
#define PVD_SET_SIZE       120  /* 8.4.10, 7.2.3 */
#define PVD_SEQ_NUMBER     124  /* 8.4.11, 7.2.3 */
#define PVD_BLOCK_SIZE     128  /* 8.4.12, 7.2.3 */
#define PVD_PTAB_SIZE      132  /* 8.4.13, 7.3.3 */
#define PVD_PTAB_L         140  /* 8.4.14, 7.3.1 */
#define PVD_PTAB_M         148  /* 8.4.16, 7.3.2 */
#define PVD_ROOT_RECORD    156  /* 8.4.18, 34 bytes */
#define PVD_VOLSET_ID      190  /* 8.4.19, 128 */
#define PVD_PUBLISHER      318  /* 8.4.20, 128 */
#define PVD_PREPARER       446  /* 8.4.21, 128 */
#define PVD_APPLICATION    574  /* 8.4.22, 128 */
#define PVD_COPYRIGHT      702  /* 8.4.23, 37 */
#define PVD_ABSTRACT       739  /* 8.4.24, 37 */
#define PVD_BIBLIO         776  /* 8.4.25, 37 */
#define PVD_CREATED        813  /* 8.4.26 */
#define PVD_MODIFIED       830  /* 8.4.27 */
#define PVD_EXPIRES        847  /* 8.4.28 */
#define PVD_EFFECTIVE      864  /* 8.4.29 */
#define PVD_FS_VERSION     881  /* 8.4.30 */
#define PVD_APP_USE        883  /* 8.4.32, 512 */

/* 9.1 directory record field offsets */
#define DR_LEN             0    /* 9.1.1 */
#define DR_EXTENT          2    /* 9.1.3, 7.3.3 */
#define DR_SIZE            10   /* 9.1.4, 7.3.3 */
#define DR_DATE            18   /* 9.1.5 */
#define DR_FLAGS           25   /* 9.1.6 */
#define DR_VOLSEQ          28   /* 9.1.9, 7.2.3 */
#define DR_NAME_LEN        32   /* 9.1.10 */
#define DR_NAME            33   /* 9.1.11 */

#define FLAG_EXISTENCE     0x01 /* 9.1.6 bit 0 */
#define FLAG_DIRECTORY     0x02 /* 9.1.6 bit 1 */
#define FLAG_MULTI_EXTENT  0x80 /* 9.1.6 bit 7: not the final section */

int64_t ecma_node_time(const struct elt_stream *s, int64_t t)
{
	if (t < 0)
		return s->now;
	if (s->w.o.clamp_time >= 0 && t > s->w.o.clamp_time)
		return s->w.o.clamp_time;
	return t;
}

uint32_t ecma_sections(const struct elt_stream *s, const struct elt_node *n)
{
	if (!S_ISREG(n->mode) || s->w.o.iso_level < 3 || n->size <= 0xFFFFFFFFu)
		return 1;
	return (uint32_t)((n->size + SECTION_MAX - 1) / SECTION_MAX);
}

static void put_vd_header(uint8_t *dst, uint8_t type, uint8_t version)
{
	dst[VD_TYPE] = type;
	memcpy(dst + VD_ID, "CD001", 5);
	dst[VD_VERSION] = version;
}

int ecma_encode_term(uint8_t *dst)
{
	if (dst) {
		memset(dst, 0, BLOCK);
		put_vd_header(dst, 255, 1);   /* 8.3 */
	}
	return BLOCK;
}

static const char *opt_or(const char *s, const char *dflt)
{
	return s ? s : dflt;
}

/* 34-byte root record embedded in a volume descriptor (8.4.18). */
static void put_root_record(uint8_t *p, struct elt_stream *s, enum ns ns)
{
	struct elt_node *root = s->img->root;
	uint32_t off = 0;

	ecma_encode_record(p, NULL, s, root, root, 0, ns, &off);
	/* Only 34 bytes belong to the descriptor: drop system use fields. */
	p[DR_LEN] = 34;
	/* genisoimage dates this copy from the root's stat buffer, which it
	 * never fills when the root was not read from disk and which making
	 * rr_moved resets: then the date is that of time 0 */
	if (ns == NS_ISO && (!(root->flags & NODE_ROOT_READ) || s->rr_moved))
		put_dt7(p + DR_DATE, 0, s->gmtoff_q);
}

int ecma_encode_pvd(uint8_t *dst, const struct elt_stream *cs)
{
	struct elt_stream *s = (struct elt_stream *)cs;
	const elt_write_opts *o = &s->w.o;
	uint8_t rec[256];

	if (!dst)
		return BLOCK;
	memset(dst, 0, BLOCK);
	put_vd_header(dst, 1, 1);
	put_strpad(dst + PVD_SYSTEM_ID, 32, opt_or(o->system_id, "LINUX"));
	put_strpad(dst + PVD_VOLUME_ID, 32, opt_or(o->volume_id, "CDROM"));
	put_733(dst + PVD_SPACE_SIZE, s->plan.total_blocks);
	put_723(dst + PVD_SET_SIZE, (uint16_t)(o->volset_size ? o->volset_size : 1));
	put_723(dst + PVD_SEQ_NUMBER,
	        (uint16_t)(o->volset_seqno ? o->volset_seqno : 1));
	put_723(dst + PVD_BLOCK_SIZE, BLOCK);
	put_733(dst + PVD_PTAB_SIZE, s->plan.ptab_size[NS_ISO]);
	put_731(dst + PVD_PTAB_L, s->plan.ptab_lba[NS_ISO][0]);
	put_732(dst + PVD_PTAB_M, s->plan.ptab_lba[NS_ISO][1]);
	memset(rec, 0, sizeof rec);
	put_root_record(rec, s, NS_ISO);
	memcpy(dst + PVD_ROOT_RECORD, rec, 34);
	put_strpad(dst + PVD_VOLSET_ID, 128, o->volset_id);
	put_strpad(dst + PVD_PUBLISHER, 128, o->publisher);
	put_strpad(dst + PVD_PREPARER, 128, o->preparer);
	put_strpad(dst + PVD_APPLICATION, 128, o->app_id);
	put_strpad(dst + PVD_COPYRIGHT, 37, o->copyright_file);
	put_strpad(dst + PVD_ABSTRACT, 37, o->abstract_file);
	put_strpad(dst + PVD_BIBLIO, 37, o->biblio_file);
	put_dt17(dst + PVD_CREATED, s->now, s->gmtoff_q);
	put_dt17(dst + PVD_MODIFIED, s->now, s->gmtoff_q);
	put_dt17(dst + PVD_EXPIRES, -1, 0);
	put_dt17(dst + PVD_EFFECTIVE, s->now, s->gmtoff_q);
	dst[PVD_FS_VERSION] = 1;
	memset(dst + PVD_APP_USE, ' ', 512);
	return BLOCK;
}

/* Extent and size a record of `node` shows in namespace ns. */
static void record_extent(const struct elt_stream *s, const struct elt_node *n,
                          enum ns ns, uint32_t section, uint32_t *lba,
                          uint32_t *size)
{
	if (n->flags & NODE_RELOC_STUB) {
		*lba = n->lba;   /* an empty file; its CL names the directory */
		*size = 0;
		return;
	}
	if (S_ISDIR(n->mode)) {
		*lba = ns == NS_JOLIET ? n->jlba : n->lba;
		*size = (ns == NS_JOLIET ? n->jblocks : n->blocks) * BLOCK;
		return;
	}
	if (n->data_owner)
		n = n->data_owner;
	*lba = n->lba;
	if (!S_ISREG(n->mode) && !(n->flags & NODE_CATALOG)) {
		*size = 0;
		return;
	}
	if (ecma_sections(s, n) > 1) {
		uint64_t left = n->size - (uint64_t)section * SECTION_MAX;
		*lba += section * (SECTION_MAX / BLOCK);
		*size = left > SECTION_MAX ? SECTION_MAX : (uint32_t)left;
		return;
	}
	*size = (uint32_t)n->size;
}

/* One 9.1 record; `section` selects the file section of a multi-extent
 * file (9.1.6 bit 7 on all but the last). */
static int encode_record(uint8_t *dst, uint8_t *ce_dst, struct elt_stream *s,
                         struct elt_node *dir, struct elt_node *node,
                         int which, enum ns ns, uint32_t section,
                         uint32_t *ce_off)
{
	const char *id;
	uint8_t idlen, flags = 0;
	uint32_t lba, size, len, nsec;
	int64_t t;
	int su = 0;

	if (which == 0) {
		id = "\0";
		idlen = 1;
	} else if (which == 1) {
		id = "\1";
		idlen = 1;
	} else if (ns == NS_JOLIET) {
		id = node->jname;
		idlen = node->jlen;
	} else {
		id = node->iso_name;
		idlen = node->iso_len;
	}
	/* 9.1.12: pad so that the system use field starts at an even byte */
	len = DR_NAME + idlen + ((idlen & 1) ? 0 : 1);
	if (ns == NS_ISO && (s->w.o.ext & ELT_EXT_ROCKRIDGE)) {
		su = rr_encode_su(dst ? dst + len : NULL, 255 - len, ce_dst, s,
		                  dir, node, which, ce_off);
		if (su < 0)
			return su;
		len += (uint32_t)su;
		if (len & 1)
			len++;
	}
	if (len > 255)
		return err_set(s->img, ELT_EINTERNAL, node->name,
		               "directory record of %u bytes", len);
	if (!dst)
		return (int)len;
	record_extent(s, node, ns, section, &lba, &size);
	dst[DR_LEN] = (uint8_t)len;
	put_733(dst + DR_EXTENT, lba);
	put_733(dst + DR_SIZE, size);
	t = ecma_node_time(s, node->mtime);
	/* genisoimage takes a symbolic link's record date from stat(), that
	 * is from its target (Rock Ridge TF keeps the link's own times) */
	if (S_ISLNK(node->mode) && node->target_mtime >= 0)
		t = ecma_node_time(s, node->target_mtime);
	if ((node->flags & NODE_GRAFT_DIR) && which != 1)
		t = s->now;
	/* genisoimage dates ".." from a stat of the directory's ".." on
	 * disk: a moved directory's is its original parent, and rr_moved
	 * and directories named by graft points, made up, have the clock */
	if (which == 1 && dir->dotdot)
		t = ecma_node_time(s, dir->dotdot->mtime);
	else if (which == 1 && (dir->flags & NODE_RELOCATED) && dir->reloc)
		t = ecma_node_time(s, dir->reloc->mtime);
	if (which == 1 &&
	    (dir->flags & (NODE_RR_MOVED | NODE_GRAFT_DIR | NODE_INVENTED)))
		t = s->now;
	/* genisoimage never reads a directory cut at the depth limit and
	 * dates its "." and ".." records with the clock */
	if ((dir->flags & NODE_NOT_READ) && which != 2)
		t = s->now;
	put_dt7(dst + DR_DATE, t, s->gmtoff_q);
	if (S_ISDIR(node->mode) && !(node->flags & NODE_RELOC_STUB))
		flags |= FLAG_DIRECTORY;
	if ((node->flags & NODE_EXISTENCE) && which == 2)
		flags |= FLAG_EXISTENCE;
	nsec = which == 2 ? ecma_sections(s, node) : 1;
	if (section + 1 < nsec)
		flags |= FLAG_MULTI_EXTENT;
	dst[DR_FLAGS] = flags;
	put_723(dst + DR_VOLSEQ, 1);
	dst[DR_NAME_LEN] = idlen;
	memcpy(dst + DR_NAME, id, idlen);
	return (int)len;
}

int ecma_encode_record(uint8_t *dst, uint8_t *ce_dst, struct elt_stream *s,
                       struct elt_node *dir, struct elt_node *node,
                       int which, enum ns ns, uint32_t *ce_off)
{
	return encode_record(dst, ce_dst, s, dir, node, which, ns, 0, ce_off);
}

/* Append one record at *pos, moving to the next block when it would not
 * fit: mkisofs moves a record that would end exactly at the block end
 * too (it tests >=), and the reproduced layout depends on it. */
static int place_record(uint8_t *dst, uint8_t *ce_dst, struct elt_stream *s,
                        struct elt_node *dir, struct elt_node *node,
                        int which, enum ns ns, uint32_t section,
                        uint64_t *pos, uint32_t *ce_off)
{
	uint32_t ce_save = *ce_off;
	int len = encode_record(NULL, NULL, s, dir, node, which, ns, section,
	                        ce_off);

	if (len < 0)
		return len;
	if ((*pos % BLOCK) + (uint64_t)len >= BLOCK)
		*pos = (*pos + BLOCK - 1) / BLOCK * BLOCK;
	if (dst || ce_dst) {
		*ce_off = ce_save;
		len = encode_record(dst ? dst + *pos : NULL, ce_dst, s, dir, node,
		                    which, ns, section, ce_off);
		if (len < 0)
			return len;
	}
	*pos += (uint64_t)len;
	return 0;
}

int64_t ecma_encode_dir(uint8_t *dst, uint8_t *ce_dst, struct elt_stream *s,
                        struct elt_node *dir, enum ns ns)
{
	struct elt_node **kids = ns == NS_JOLIET ? dir->j_kids : dir->iso_kids;
	uint32_t nkids = ns == NS_JOLIET ? dir->n_j_kids : dir->n_iso_kids;
	struct elt_node *parent = layout_parent(dir, ns);
	uint64_t pos = 0;
	uint32_t ce_off = 0, i, sec;
	int err;

	if ((err = place_record(dst, ce_dst, s, dir, dir, 0, ns, 0, &pos,
	                        &ce_off)) < 0)
		return err;
	if ((err = place_record(dst, ce_dst, s, dir, parent, 1, ns, 0, &pos,
	                        &ce_off)) < 0)
		return err;
	for (i = 0; i < nkids; i++) {
		uint32_t nsec = ecma_sections(s, kids[i]);
		for (sec = 0; sec < nsec; sec++)
			if ((err = place_record(dst, ce_dst, s, dir, kids[i], 2, ns,
			                        sec, &pos, &ce_off)) < 0)
				return err;
	}
	if (ns == NS_ISO)
		dir->ce_bytes = ce_off;
	return (int64_t)((pos + BLOCK - 1) / BLOCK * BLOCK);
}
