/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libeltorito: write ISO 9660 images (levels 1-3, Rock Ridge, Joliet,
 * El Torito) as a pull stream.
 *
 * This header is C89-clean and needs only <stddef.h> and <stdint.h>.
 * Every function that can fail returns 0 (or a non-negative count) on
 * success and a negative ELT_E* code on failure; the image keeps a one-line
 * message for the last failure (elt_image_errmsg).
 */
#ifndef ELTORITO_ELTORITO_H
#define ELTORITO_ELTORITO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && __GNUC__ >= 4
#define ELT_API __attribute__((visibility("default")))
#else
#define ELT_API
#endif

/* Opaque handles. The caller owns images and streams; nodes are borrowed
 * and stay valid while their image lives. */
typedef struct elt_image elt_image;
typedef struct elt_stream elt_stream;
typedef struct elt_node elt_node;

/* Error codes (negative return values). */
enum {
	ELT_OK = 0,
	ELT_ENOMEM = -1,     /* out of memory */
	ELT_EINVAL = -2,     /* bad argument or option */
	ELT_EIO = -3,        /* input or output failed */
	ELT_ENOENT = -4,     /* no such file or ISO path */
	ELT_EEXIST = -5,     /* clash between two sources */
	ELT_ELIMIT = -6,     /* an ISO 9660 limit was exceeded */
	ELT_ESTATE = -7,     /* call not allowed now (image frozen by a stream) */
	ELT_ECANCELED = -8,  /* stream was cancelled */
	ELT_EINTERNAL = -9   /* a bug in libeltorito: please report */
};

/* Message severities passed to elt_msg_fn. */
enum { ELT_MSG_NOTE = 0, ELT_MSG_WARNING = 1, ELT_MSG_ERROR = 2 };

/* Stable message codes passed to elt_msg_fn (the `code` argument). */
enum {
	ELT_MSGC_GENERIC = 0,
	ELT_MSGC_NAME_MANGLED = 1,   /* a name was changed to fit a namespace */
	ELT_MSGC_SIZE_CHANGED = 2,   /* an input file changed size while read */
	ELT_MSGC_SKIPPED = 3,        /* an entry was left out */
	ELT_MSGC_DEPTH = 4,          /* a directory is too deep for ISO 9660 */
	ELT_MSGC_CHARSET = 5         /* a character could not be converted */
};

/* severity, code, ISO path (may be NULL), one-line text, caller payload */
typedef void (*elt_msg_fn)(int severity, int code, const char *iso_path,
                           const char *text, void *payload);

/* Namespaces, for hidden masks. */
#define ELT_NS_ISO     0x1u
#define ELT_NS_JOLIET  0x2u
#define ELT_NS_ALL     0x3u

/* Extensions (elt_write_opts.ext). */
#define ELT_EXT_ROCKRIDGE 0x1u
#define ELT_EXT_JOLIET    0x2u

/* Name relaxations (elt_write_opts.relax); mkisofs option in brackets.
 * All of these break ECMA-119 strictness. */
#define ELT_RELAX_LONG_NAMES      0x001u /* -l: 31-character names */
#define ELT_RELAX_LEADING_DOTS    0x002u /* -L: keep a leading dot */
#define ELT_RELAX_OMIT_VERSION    0x004u /* -N: no ";1" */
#define ELT_RELAX_OMIT_PERIOD     0x008u /* -d: no trailing dot */
#define ELT_RELAX_DEEP_DIRS       0x010u /* -D: no 8-level limit */
#define ELT_RELAX_LOWERCASE       0x020u /* -allow-lowercase */
#define ELT_RELAX_MULTIDOT        0x040u /* -allow-multidot */
#define ELT_RELAX_RELAXED_CHARS   0x080u /* -relaxed-filenames */
#define ELT_RELAX_NO_TRANSLATE    0x100u /* -no-iso-translate: keep # and ~ */
#define ELT_RELAX_MAX_NAMES       0x200u /* -max-iso9660-filenames: 37 */
#define ELT_RELAX_UNTRANSLATED    0x400u /* -U: names verbatim */

/* Rock Ridge attribute policy (elt_write_opts.rr_mode). */
#define ELT_RR_EXACT     0  /* -R: attributes as on disk */
#define ELT_RR_RATIONAL  1  /* -r: uid/gid 0, sane permissions */

/* elt_write_opts.flags */
#define ELT_WRITE_STRICT_INPUTS   0x1u /* an input that changes is an error */
#define ELT_WRITE_HIDE_RR_MOVED   0x2u /* relocation dir named .rr_moved */
#define ELT_WRITE_JOLIET_LONG     0x4u /* 103-character Joliet names */
#define ELT_WRITE_RR_NO_SPLIT_COMPONENTS 0x8u  /* SL: never split a component */
#define ELT_WRITE_RR_NO_SPLIT_FIELDS     0x10u /* SL: never split an entry */
#define ELT_WRITE_HIDE_JOLIET_TRANS 0x20u /* translation tables not in Joliet */

typedef struct elt_write_opts {
	unsigned int version;   /* ELT_WRITE_OPTS_VERSION; fields appended only */
	int iso_level;          /* 1, 2 or 3 */
	unsigned int ext;       /* ELT_EXT_* */
	unsigned int relax;     /* ELT_RELAX_* */
	/* Volume descriptor text; NULL gives the default. Copied. */
	const char *volume_id, *system_id, *publisher, *preparer, *app_id;
	const char *volset_id, *abstract_file, *biblio_file, *copyright_file;
	uint32_t volset_size, volset_seqno;  /* 0 = 1 */
	int64_t timestamp;      /* seconds since 1970 UTC; -1 = now */
	int gmt_offset;         /* minutes east of UTC for 7/17-byte dates;
	                           INT32_MIN-ish sentinel: ELT_GMTOFF_LOCAL */
	uint32_t pad_blocks;    /* zero blocks appended (mkisofs -pad: 150) */
	const void *system_area;/* NULL or 32768 bytes, copied */
	int rr_mode;            /* ELT_RR_EXACT or ELT_RR_RATIONAL */
	int64_t uid, gid;       /* -uid/-gid override, -1 = none */
	int32_t file_mode, dir_mode; /* -file-mode/-dir-mode, -1 = none */
	int32_t new_dir_mode;   /* mode of invented directories, -1 = 0555 */
	unsigned int flags;     /* ELT_WRITE_* */
	int ucs_level;          /* Joliet escape: 1, 2 or 3 (default 3) */
	int64_t clamp_time;     /* file times later than this are clamped; -1 off */
	const char *input_charset; /* charset of names on disk; NULL = UTF-8 */
	const char *trans_tbl;  /* -T: name of the translation table written in
	                           every directory; NULL = none */
} elt_write_opts;

#define ELT_GMTOFF_LOCAL (-100000)
#define ELT_WRITE_OPTS_VERSION 1u
#define ELT_WRITE_OPTS_INIT { ELT_WRITE_OPTS_VERSION, 1, 0, 0, \
	NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, -1, \
	ELT_GMTOFF_LOCAL, 0, NULL, ELT_RR_EXACT, -1, -1, -1, -1, -1, 0, 3, -1, \
	NULL, NULL }

/* Fill *opts with defaults for `version`. ELT_EINVAL on unknown version.
 * Since 0.1. */
ELT_API int elt_write_opts_init(elt_write_opts *opts, unsigned int version);

/* Images. Since 0.1. */
ELT_API int elt_image_new(elt_image **out);
ELT_API void elt_image_free(elt_image *img);   /* NULL is fine */
ELT_API void elt_image_set_msg_fn(elt_image *img, elt_msg_fn fn,
                                  void *payload);
/* Message of the last failure on this image; library-owned, valid until
 * the next call on the image. Never NULL. */
ELT_API const char *elt_image_errmsg(const elt_image *img);

/* elt_image_add_tree flags */
#define ELT_ADD_FOLLOW_LINKS    0x1u /* -f: follow symbolic links */
#define ELT_ADD_SKIP_UNREADABLE 0x2u /* leave unreadable files out */
#define ELT_ADD_NO_CACHE_INODES 0x4u /* do not share hard-linked data */
#define ELT_ADD_NO_BAK          0x8u /* -no-bak: skip *~ #*# *.bak */
#define ELT_ADD_MERGE           0x10u /* merge a directory into iso_path */

/* Add disk_path at iso_path ("/" or "" for the root). A directory is
 * walked (lstat only, files are not opened); with iso_path naming the
 * root or ELT_ADD_MERGE its contents merge into that directory, as
 * mkisofs does with several source arguments. Excludes and hide patterns
 * registered before the call apply during the walk.
 * Errors: ELT_ENOENT (missing source), ELT_EEXIST (clash), ELT_EIO,
 * ELT_ENOMEM, ELT_ESTATE. Since 0.1. */
ELT_API int elt_image_add_tree(elt_image *img, const char *iso_path,
                               const char *disk_path, unsigned int flags);

/* Skip disk entries matching glob (matched against the whole disk path
 * and against the last component, as mkisofs -m does). Since 0.1. */
ELT_API int elt_image_add_exclude(elt_image *img, const char *glob);

/* Entries whose disk path or name matches glob are hidden from the
 * namespaces in ns_mask (ELT_NS_*): mkisofs -hide / -hide-joliet.
 * Since 0.1. */
ELT_API int elt_image_add_hide(elt_image *img, const char *glob,
                               unsigned int ns_mask);

/* Entries matching glob get the ISO "existence" (hidden) flag: mkisofs
 * -hidden. Since 0.1. */
ELT_API int elt_image_add_hidden(elt_image *img, const char *glob);

/* File data of entries whose disk path matches glob is sorted by weight,
 * higher first (mkisofs -sort). Since 0.1. */
ELT_API int elt_image_add_sort_weight(elt_image *img, const char *glob,
                                      int32_t weight);

/* Exclude one disk object by device and inode (the output file).
 * Since 0.1. */
ELT_API int elt_image_exclude_inode(elt_image *img, uint64_t dev,
                                    uint64_t ino);

/* Add an in-memory file (copied) at iso_path; parent directories are
 * created. Since 0.1. */
ELT_API int elt_image_add_mem(elt_image *img, const char *iso_path,
                              const void *data, size_t len);

/* Callback source: read_fn fills up to len bytes at offset, returns the
 * count (0 at end) or -1. Since 0.1. */
typedef int64_t (*elt_read_fn)(void *payload, uint64_t offset, void *buf,
                               size_t len);
ELT_API int elt_image_add_callback(elt_image *img, const char *iso_path,
                                   uint64_t size, elt_read_fn fn,
                                   void *payload);

/* Look up a node by ISO path. ELT_ENOENT if absent. Since 0.1. */
ELT_API int elt_image_lookup(elt_node **out, elt_image *img,
                             const char *iso_path);
/* Hide node from the namespaces in ns_mask. Since 0.1. */
ELT_API int elt_node_set_hidden(elt_node *node, unsigned int ns_mask);

/* El Torito. */
#define ELT_PLATFORM_X86  0x00
#define ELT_PLATFORM_PPC  0x01
#define ELT_PLATFORM_MAC  0x02
#define ELT_PLATFORM_EFI  0xEF

#define ELT_EMUL_NONE      0
#define ELT_EMUL_FLOPPY12  1
#define ELT_EMUL_FLOPPY144 2
#define ELT_EMUL_FLOPPY288 3
#define ELT_EMUL_HDD       4
#define ELT_EMUL_AUTO      (-1)  /* floppy type chosen by image size */

#define ELT_BOOT_INFO_TABLE    0x1u /* patch the boot info table */
#define ELT_BOOT_NOT_BOOTABLE  0x2u /* -no-boot */
#define ELT_BOOT_GRUB2_INFO    0x4u /* --grub2-boot-info */
#define ELT_BOOT_NEW_SECTION   0x8u /* start a new catalog section */

typedef struct elt_boot_entry {
	unsigned int version;      /* ELT_BOOT_ENTRY_VERSION */
	const char *image_path;    /* ISO path of the boot image */
	int platform;              /* ELT_PLATFORM_* or a raw id */
	int emulation;             /* ELT_EMUL_* */
	uint16_t load_segment;     /* 0 = default 0x07C0 */
	uint16_t load_sectors;     /* 512-byte sectors, 0 = default */
	unsigned int flags;        /* ELT_BOOT_* */
} elt_boot_entry;
#define ELT_BOOT_ENTRY_VERSION 1u
#define ELT_BOOT_ENTRY_INIT { ELT_BOOT_ENTRY_VERSION, NULL, 0, \
	ELT_EMUL_AUTO, 0, 0, 0 }
ELT_API int elt_boot_entry_init(elt_boot_entry *e, unsigned int version);
/* Entries are added in catalog order. Since 0.1. */
ELT_API int elt_image_add_boot(elt_image *img, const elt_boot_entry *entry);
/* ISO path of the boot catalog file. Since 0.1. */
ELT_API int elt_image_set_catalog(elt_image *img, const char *iso_path,
                                  unsigned int flags);

/* Streams. The image is frozen while a stream exists. Since 0.1. */
ELT_API int elt_stream_new(elt_stream **out, elt_image *img,
                           const elt_write_opts *opts);
/* Exact image size in bytes. */
ELT_API int64_t elt_stream_size(const elt_stream *s);
/* Fill buf completely unless fewer bytes remain: returns len, fewer at
 * the end, 0 at EOF, or a negative ELT_E* code. */
ELT_API int64_t elt_stream_read(elt_stream *s, void *buf, size_t len);
/* Make later reads fail with ELT_ECANCELED; closes any open input. */
ELT_API void elt_stream_cancel(elt_stream *s);
ELT_API void elt_stream_free(elt_stream *s);   /* NULL is fine */

/* Build and write the whole image to fd (1 MiB writes, no seeks). */
ELT_API int elt_write_fd(elt_image *img, const elt_write_opts *opts, int fd);

/* Static text for an ELT_E* code. */
ELT_API const char *elt_strerror(int code);
/* Library version string, e.g. "0.1.0". */
ELT_API const char *elt_version(void);

#ifdef __cplusplus
}
#endif
#endif
