/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Shared internal structures of libeltorito. Not installed.
 *
 * The model is one tree of elt_node. Names per namespace and the layout
 * plan are computed when a stream is created (names.c, layout.c) and
 * stored in the nodes and in struct plan; the serializers render extents
 * from them; stream.c walks the plan.
 */
#ifndef ELTORITO_INTERNAL_H
#define ELTORITO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "eltorito/eltorito.h"

#define BLOCK 2048u
#define BLOCKS_OF(bytes) ((uint32_t)(((uint64_t)(bytes) + BLOCK - 1) / BLOCK))

/* Where file content comes from. */
enum src_kind { SRC_NONE = 0, SRC_DISK, SRC_MEM, SRC_CALLBACK };

/* node flags */
#define NODE_EXISTENCE    0x0001u /* -hidden: ISO existence bit */
#define NODE_INVENTED     0x0002u /* directory made up for a graft point */
#define NODE_CATALOG      0x0004u /* the El Torito boot catalog */
#define NODE_BOOT_IMAGE   0x0008u /* an El Torito boot image */
#define NODE_NOT_READ     0x0010u /* directory past the depth limit: empty */
#define NODE_ROOT_READ    0x0020u /* the root's attributes came from disk */
#define NODE_RELOCATED    0x0040u /* deep dir moved to rr_moved (issue 3) */
#define NODE_RR_MOVED     0x0080u /* the relocation directory itself */
#define NODE_RELOC_STUB   0x0200u /* stands where a relocated directory
                                     was: an empty file record with CL */
#define NODE_GRAFT_DIR    0x0100u /* directory named by a graft point: its
                                     "." and its entry in the parent carry
                                     the clock, its children's ".." its
                                     own times (as genisoimage) */

struct elt_node {
	struct elt_node *parent;
	struct elt_node *next;        /* next sibling, insertion (readdir) order */
	struct elt_node *first_child; /* directories: insertion order */
	struct elt_node *last_child;
	char *name;          /* original name bytes, NUL-terminated; root "" */
	char *disk_path;     /* anchor path, or NULL: parent's path + "/" + name */
	char *link_target;   /* symbolic links */
	uint64_t size;       /* bytes of content (regular files) */
	uint64_t dev, ino, rdev;
	int64_t mtime, atime, ctime;
	int64_t target_mtime;/* symbolic links: the target's mtime, or -1 */
	uint32_t mode;       /* st_mode with type bits */
	uint32_t nlink, uid, gid;
	uint32_t nchildren;  /* directories */
	int32_t sort_weight;
	uint16_t hidden;     /* ELT_NS_* masks: not listed there */
	uint16_t flags;      /* NODE_* */
	uint8_t src_kind;    /* enum src_kind */
	uint8_t depth;       /* root 1, saturates at 255 */
	/* content for SRC_MEM (owned) and SRC_CALLBACK */
	void *mem;
	elt_read_fn read_fn;
	void *cb_payload;    /* SRC_CALLBACK: not owned */

	/* --- per stream: names.c --- */
	char *iso_name;      /* ISO identifier bytes (with ";1" when used) */
	char *jname;         /* Joliet identifier, UCS-2BE bytes */
	uint8_t iso_len, jlen;
	/* directories: children listed in each namespace, in on-disc order */
	struct elt_node **iso_kids, **j_kids;
	uint32_t n_iso_kids, n_j_kids;

	/* --- per stream: layout.c --- */
	uint32_t lba;        /* file data extent, or ISO directory extent */
	uint32_t blocks;     /* ISO directory blocks */
	uint32_t jlba, jblocks;      /* Joliet directory extent */
	uint32_t ce_lba, ce_bytes;   /* Rock Ridge continuation area */
	uint32_t ptab_num, jptab_num;/* 1-based path table numbers */
	uint32_t iso_nsubdirs;       /* directories among iso_kids */
	struct elt_node *data_owner; /* hard link sharing this node's data */
	/* Rock Ridge relocation (per stream): a NODE_RELOC_STUB's moved
	 * directory, or a NODE_RELOCATED directory's original parent */
	struct elt_node *reloc;
	/* the directory's ".." on disk, when that is not its parent node (a
	 * directory merged from a second source): a shadow node holding
	 * that directory's attributes, owned by the image */
	const struct elt_node *dotdot;
};

struct pattern_list {
	char **globs;
	int32_t *weights;
	unsigned int *masks;
	size_t n, cap;
};

struct boot_entry_int {
	elt_boot_entry e;    /* image_path owned */
	struct elt_node *node;
	uint8_t *data;       /* loaded at plan time (cap 32 MiB) */
	uint64_t data_len;
	uint8_t media;       /* resolved El Torito media type */
	uint8_t system_type; /* partition type for hard-disk emulation */
	uint16_t sectors;    /* resolved sector count */
};

struct elt_image {
	struct elt_node *root;
	elt_msg_fn msg_fn;
	void *msg_payload;
	char errmsg[1024];
	int frozen;          /* number of live streams */
	struct pattern_list excludes, hides, hiddens, sorts;
	uint64_t *excl_inodes; /* dev, ino pairs */
	size_t n_excl_inodes;
	struct boot_entry_int *boots;
	size_t n_boots;
	char *catalog_path;
	uint64_t nodes;      /* count of nodes, for sizing */
	unsigned int add_flags; /* union of elt_image_add_tree flags used */
	struct elt_node **shadows;  /* attributes of merged source directories */
	size_t nshadows;
};

/* Namespaces, for encoders that serve both trees. */
enum ns { NS_ISO = 0, NS_JOLIET = 1 };

/* Kinds of extents in the plan. */
enum extent_kind {
	EXT_ZERO = 0,     /* zero blocks */
	EXT_SYSAREA,      /* 16 blocks: caller's system area */
	EXT_PVD,
	EXT_BOOTREC,      /* El Torito boot record VD */
	EXT_SVD,          /* Joliet SVD */
	EXT_TERM,         /* set terminator */
	EXT_PATHTAB,      /* obj: node unused; aux: ns*2 + (0 L, 1 M) */
	EXT_DIR,          /* obj: directory node; aux: ns */
	EXT_CE,           /* obj: directory node: its continuation area */
	EXT_ER,           /* the block holding the root's ER continuation */
	EXT_CATALOG,      /* El Torito boot catalog */
	EXT_FILE          /* obj: node with data */
};

struct extent {
	uint32_t lba, blocks;
	uint16_t kind;    /* enum extent_kind */
	uint16_t aux;
	void *obj;
};

/* Resolved options: a private copy of elt_write_opts with owned strings. */
struct wopts {
	elt_write_opts o;
	char *strs[11];
	uint8_t system_area[16 * BLOCK];
	bool has_system_area;
};

/* Layout plan: every block of the image, in order. */
struct plan {
	struct extent *ext;
	size_t n, cap;
	uint32_t total_blocks;
	/* path tables */
	uint32_t ptab_size[2];          /* bytes, per ns */
	uint32_t ptab_lba[2][2];        /* [ns][L=0,M=1] */
	struct elt_node **dirs[2];      /* per ns, in path-table order */
	uint32_t ndirs[2];
	uint32_t catalog_lba;
	uint32_t er_lba;                /* Rock Ridge ER continuation block */
	uint32_t pvd_lba;
};

/* One stream: names, plan, clock and cursor. */
struct elt_stream {
	elt_image *img;
	struct wopts w;
	struct plan plan;
	int64_t now;             /* the one timestamp for this stream */
	int gmtoff_q;            /* GMT offset in 15-minute units */
	uint64_t size;
	/* cursor */
	size_t ext_idx;
	uint64_t ext_off;        /* bytes into current extent */
	uint64_t pos;
	uint8_t *scratch;        /* rendered metadata extent */
	size_t scratch_cap;
	size_t scratch_ext;      /* index of the extent rendered in scratch */
	int fd;                  /* open input file, or -1 */
	uint64_t file_read;      /* bytes read from the open input */
	char *pathbuf;
	size_t pathcap;
	int err;                 /* sticky error */
	int cancelled;
	/* Rock Ridge deep directory relocation (RRIP 4.1.5), undone at free */
	struct elt_node *rr_moved;
	struct elt_node **stubs;
	size_t nstubs, stubs_cap;
	/* translation tables (trans.c): added nodes and entries set aside,
	 * undone at free */
	struct trans_state *trans;
};

/* ---- error.c ---- */
/* Store a one-line message "path: text" for elt_image_errmsg; returns code. */
int err_set(elt_image *img, int code, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void msg_emit(elt_image *img, int severity, int code, const char *path,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- enc.c: ECMA-119 7.x numbers and 8.4.26 / 9.1.5 dates ---- */
void put_711(uint8_t *p, uint8_t v);
void put_721(uint8_t *p, uint16_t v);
void put_722(uint8_t *p, uint16_t v);
void put_723(uint8_t *p, uint16_t v);
void put_731(uint8_t *p, uint32_t v);
void put_732(uint8_t *p, uint32_t v);
void put_733(uint8_t *p, uint32_t v);
/* 7-byte date (9.1.5) of t at gmtoff_q 15-minute units east. */
void put_dt7(uint8_t *p, int64_t t, int gmtoff_q);
/* 17-byte date (8.4.26.1); t < 0 writes "not specified". */
void put_dt17(uint8_t *p, int64_t t, int gmtoff_q);
/* Copy s into a field of len bytes padded with spaces. */
void put_strpad(uint8_t *p, size_t len, const char *s);
/* Same into UCS-2BE (Joliet), padded with 00 20. */
void put_ucs2pad(uint8_t *p, size_t len, const char *utf8);

/* ---- tree.c ---- */
struct elt_node *tree_new_node(elt_image *img, struct elt_node *parent,
                               const char *name, size_t namelen);
void tree_free(struct elt_node *n);
struct elt_node *tree_next(struct elt_node *n, const struct elt_node *root);
void tree_unlink(struct elt_node *n, struct elt_node *prev);
struct elt_node *tree_child(const struct elt_node *dir, const char *name,
                            size_t len);
int tree_mkdirs(elt_image *img, const char *iso_path, int create_last,
                struct elt_node **out);
int tree_path(const struct elt_node *n, char **buf, size_t *cap);
/* ISO path of node for messages ("/a/b"), into a static-size buffer. */
const char *tree_iso_path(const struct elt_node *n, char *buf, size_t cap);

/* ---- source.c ---- */
int source_add_tree(elt_image *img, const char *iso_path,
                    const char *disk_path, unsigned int flags);
/* Open node's content: returns fd (>= 0) for disk sources, or 0 with
 * *fd = -1 for memory and callback sources; negative ELT_E* on failure. */
int source_open(struct elt_stream *s, const struct elt_node *n, int *fd);
/* Read up to len bytes at offset into buf: bytes, 0 at end, or ELT_EIO. */
int64_t source_read(struct elt_stream *s, const struct elt_node *n, int fd,
                    uint64_t off, void *buf, size_t len);
/* Whole disk path of node into *buf (grown as needed). */
int source_disk_path(const struct elt_node *n, char **buf, size_t *cap);
/* fnmatch-based tests used during the walk */
bool source_match(const struct pattern_list *pl, const char *path,
                  const char *name, size_t *idx);

/* ---- names.c ---- */
/* Compute ISO (and Joliet if enabled) names of every node and the sorted
 * per-namespace child arrays. Returns 0 or ELT_E*. */
int names_compute(struct elt_stream *s);
void names_free(struct elt_node *root);
/* iconv name of the charset of names and text options (UTF-8 until the
 * options carry an input charset). */
const char *names_input_charset(const struct elt_stream *s);

/* ---- ecma119.c ---- */
int ecma_encode_pvd(uint8_t *dst, const struct elt_stream *s);
int ecma_encode_term(uint8_t *dst);
/* Directory records of dir in namespace ns; dst NULL measures.
 * Returns bytes (multiple of 2048) or ELT_E*. */
int64_t ecma_encode_dir(uint8_t *dst, uint8_t *ce_dst, struct elt_stream *s,
                        struct elt_node *dir, enum ns ns);
/* Bytes of a node's data and the number of file sections (records). */
#define SECTION_MAX 0xFFFFF800u  /* 4 GiB - 2048: whole blocks per section */
uint32_t ecma_sections(const struct elt_stream *s, const struct elt_node *n);
/* Time recorded for node: its own, the clock for -1, clamped. */
int64_t ecma_node_time(const struct elt_stream *s, int64_t t);
/* One directory record for node; dst NULL measures. which: 0 '.', 1 '..',
 * 2 child. Returns the record length. */
int ecma_encode_record(uint8_t *dst, uint8_t *ce_dst, struct elt_stream *s,
                       struct elt_node *dir, struct elt_node *node,
                       int which, enum ns ns, uint32_t *ce_off);

/* ---- pathtab.c ---- */
/* Size in bytes of the path table of ns (plan.dirs must be set). */
uint32_t pathtab_size(const struct elt_stream *s, enum ns ns);
int pathtab_encode(uint8_t *dst, const struct elt_stream *s, enum ns ns,
                   int msb);

/* ---- joliet.c ---- */
int joliet_encode_svd(uint8_t *dst, const struct elt_stream *s);

/* ---- rockridge.c ---- */
/* System use area of a record. which: 0 '.', 1 '..', 2 child.
 * su: in-record bytes (NULL measures), returns their length (even);
 * entries that do not fit in `room` go to dir's continuation area at
 * *ce_off (advanced); ce_dst NULL measures. */
int rr_encode_su(uint8_t *su, size_t room, uint8_t *ce_dst,
                 struct elt_stream *s, struct elt_node *dir,
                 struct elt_node *node, int which, uint32_t *ce_off);
/* The ER block's bytes (the ER entry's length is returned). */
int rr_encode_er(uint8_t *dst, const struct elt_stream *s);

/* ---- eltorito.c ---- */
/* Validate boot entries, load boot images (plan time). */
int torito_prepare(struct elt_stream *s);
int torito_encode_bootrec(uint8_t *dst, const struct elt_stream *s);
int torito_encode_catalog(uint8_t *dst, const struct elt_stream *s);
/* Patch boot info table / grub2 info into a block of boot image bytes
 * that starts at byte offset `off` of node's data. */
void torito_patch(const struct elt_stream *s, const struct elt_node *n,
                  uint64_t off, uint8_t *buf, size_t len);
void torito_free(elt_image *img);

/* ---- layout.c ---- */
int layout_plan(struct elt_stream *s);
/* Before names: cut directories past the ISO depth limit or, with Rock
 * Ridge, relocate them into rr_moved (genisoimage's way). */
int layout_prepare_tree(struct elt_stream *s);
/* After names: the Joliet view of relocated directories. */
void layout_joliet_fixup(struct elt_stream *s);
/* At stream free: put relocated directories back. */
void layout_restore_tree(struct elt_stream *s);
/* Parent of n as namespace ns sees it (relocation changes the ISO one). */
struct elt_node *layout_parent(const struct elt_node *n, enum ns ns);
void layout_free(struct plan *p);
int layout_add(struct plan *p, enum extent_kind kind, uint32_t blocks,
               void *obj, uint16_t aux);

/* ---- trans.c ---- */
/* node flag: a translation table made for one stream (the high bit, so
 * that it stays clear of the flags above) */
#define NODE_TRANS_TBL    0x8000u
struct trans_state;
/* Before layout_prepare_tree: set aside scanned entries named like the
 * table (genisoimage never reads them). */
int trans_prepare(struct elt_stream *s);
/* After names_compute (before layout_joliet_fixup): add a table to each
 * directory that gets one, name them, fill their bytes. */
int trans_fill(struct elt_stream *s);
/* At stream free: remove the tables, put back what was set aside. */
void trans_restore(struct elt_stream *s);

/* ---- stream.c ---- */
int stream_render_meta(struct elt_stream *s, const struct extent *e,
                       uint8_t *dst);

#endif
