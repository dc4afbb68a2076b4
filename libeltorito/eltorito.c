/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * El Torito 1.0: boot record volume descriptor, boot catalog (validation
 * entry, initial/default entry, section headers and section entries),
 * boot info table and GRUB2 boot info patched into outgoing bytes.
 *
 * Where genisoimage 1.1.11 (Debian 9:1.1.11-3.4) puts the catalog and the
 * boot images (measured; layout.c implements the order):
 *
 *  - The boot record VD is the block right after the PVD (LBA 17).
 *  - The catalog is an ordinary one-block file of the tree (a memory file
 *    at catalog_path, default "boot.catalog" in the root) and the boot
 *    images are ordinary files: neither has a fixed place.  Whenever a
 *    boot entry exists genisoimage runs its -sort pass, so:
 *
 *    1. Default pass: walk the files with data in the unsorted order
 *       (directories depth-first pre-order in readdir order, each
 *       directory's files in ISO record order) giving each the next
 *       blocks.  The catalog takes its one block at its own place in its
 *       directory like any 2048-byte file; boot images take theirs where
 *       they are.  Empty files get the current block without using it and
 *       KEEP it (they are not moved by step 2).
 *    2. Stable sort of the files with data by sort_weight, higher first;
 *       ties keep the order of step 1.  Then give them blocks again from
 *       the first data block in that order.
 *
 *  - torito_prepare() sets the weights that make the boot files move:
 *      catalog:     weight of its parent directory + 2, or the weight of
 *                   a -sort pattern matching SRC/catalog_path;
 *      boot image:  1, or the weight of a -sort pattern matching
 *                   SRC/image_path, but ONLY when the image's disk path is
 *                   exactly SRC/image_path, where SRC is the disk path of
 *                   the first source argument (genisoimage matches the
 *                   string "SRC/-b-path" against each file's disk path).
 *                   Otherwise the image keeps its own weight (0 by default)
 *                   and stays in tree order (e.g. grafted x/=dir/boot with
 *                   -b x/img, or the boot file in the second source).
 *                   Images not read from disk always get 1.
 *    Every other file keeps the weight the walk gave it (0 by default, a
 *    -sort weight, or its directory's).
 *
 *    So without -sort the data area starts with the catalog, then every
 *    boot image in TREE order (not catalog-entry order), then all other
 *    files in tree order.  With -sort a file weighing more than 2 comes
 *    before the catalog, a boot image given weight -1 goes to the end.
 *  - The catalog is hidden from a namespace when a -hide/-hide-joliet
 *    pattern matches catalog_path as given or SRC/catalog_path, or when
 *    its directory is hidden there.  Its record: mode 0444, one link, the
 *    caller's uid/gid, dated with the stream's clock.
 *
 * Measured catalog layout: validation entry (platform of the first entry,
 * ID = the first 23 bytes of the publisher), the first entry as the
 * initial/default entry, then each further entry preceded by its own
 * section header (0x90, 0x91 for the last) with count 1: genisoimage
 * starts a new section at every -eltorito-alt-boot, even for the same
 * platform.  The library starts a section when ELT_BOOT_NEW_SECTION is set
 * or the platform changes, so a caller wanting genisoimage's bytes sets
 * ELT_BOOT_NEW_SECTION on every entry after the first.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define BOOT_IMAGE_CAP (32u * 1024u * 1024u) /* loaded at plan time */
#define SECTOR 512u                          /* El Torito virtual sector */
#define SECTORS_PER_BLOCK (BLOCK / SECTOR)

/* El Torito 1.0, 2.0 (figure 7): boot record volume descriptor */
#define BRVD_TYPE       0   /* 0: boot record */
#define BRVD_STD_ID     1   /* "CD001" */
#define BRVD_VERSION    6   /* 1 */
#define BRVD_SYSTEM_ID  7   /* "EL TORITO SPECIFICATION", NUL padded */
#define BRVD_CATALOG    71  /* absolute pointer to the catalog, 7.3.1 */
#define EL_TORITO_ID    "EL TORITO SPECIFICATION"

/* El Torito 1.0, 2.0: every catalog entry is 32 bytes */
#define CAT_ENTRY       32u
#define CAT_MAX_ENTRIES (BLOCK / CAT_ENTRY)

/* 2.1 validation entry */
#define VAL_HEADER_ID   0   /* 1 */
#define VAL_PLATFORM    1
#define VAL_ID          4   /* 24 bytes; genisoimage fills 23 */
#define VAL_ID_USED     23
#define VAL_CHECKSUM    28  /* le16: the 16 words sum to 0 */
#define VAL_KEY55       30
#define VAL_KEYAA       31

/* 2.2 initial/default entry and 2.4 section entry */
#define ENT_INDICATOR   0   /* 0x88 bootable, 0x00 not bootable */
#define ENT_MEDIA       1   /* boot media type */
#define ENT_LOAD_SEG    2   /* le16, 0: 0x7C0 */
#define ENT_SYS_TYPE    4   /* partition type (hard-disk emulation) */
#define ENT_SECTORS     6   /* le16, 512-byte virtual sectors */
#define ENT_LBA         8   /* le32, start of the image */
#define ENT_BOOTABLE    0x88
#define ENT_NOT_BOOTABLE 0x00

/* 2.3 section header entry */
#define SEC_INDICATOR   0   /* 0x90 more follow, 0x91 final */
#define SEC_PLATFORM    1
#define SEC_COUNT       2   /* le16, section entries following */
#define SEC_MORE        0x90
#define SEC_FINAL       0x91

/* Boot media types (2.2, byte 1) */
#define MEDIA_NOEMUL    0
#define MEDIA_FLOPPY12  1
#define MEDIA_FLOPPY144 2
#define MEDIA_FLOPPY288 3
#define MEDIA_HDD       4

/* Floppy sizes in 512-byte sectors, as genisoimage compares them */
#define FLOPPY12_SECTORS  2400u
#define FLOPPY144_SECTORS 2880u
#define FLOPPY288_SECTORS 5760u

/* Boot info table (mkisofs -boot-info-table): 56 bytes at byte 8 */
#define BI_OFFSET       8u
#define BI_LEN          56u
#define BI_PVD          0u  /* le32 LBA of the PVD */
#define BI_FILE         4u  /* le32 LBA of the boot image */
#define BI_LENGTH       8u  /* le32 bytes of the boot image */
#define BI_CSUM         12u /* le32 sum of the le32 words from byte 64 */
#define BI_CSUM_START   64u

/* GRUB2 boot info (xorriso --grub2-boot-info): le64 at byte 2548 */
#define GRUB2_OFFSET    2548u
#define GRUB2_LEN       8u
#define GRUB2_ADD       5u  /* 512-byte sector of the image start + 5 */

/* Master boot record (hard-disk emulation) */
#define MBR_SIZE        512u
#define MBR_PARTS       446u
#define MBR_PART_LEN    16u
#define MBR_NPARTS      4u
#define MBR_PART_STATUS 0u
#define MBR_PART_TYPE   4u
#define MBR_SIGNATURE   510u
#define MBR_ACTIVE      0x80

#define DEFAULT_CATALOG "boot.catalog" /* as genisoimage names it */

/* ------------------------------------------------------------ public API */

int elt_boot_entry_init(elt_boot_entry *e, unsigned int version)
{
	static const elt_boot_entry init = ELT_BOOT_ENTRY_INIT;

	if (!e || version != ELT_BOOT_ENTRY_VERSION)
		return ELT_EINVAL;
	*e = init;
	return 0;
}

#define BOOT_FLAGS_KNOWN (ELT_BOOT_INFO_TABLE | ELT_BOOT_NOT_BOOTABLE | \
                          ELT_BOOT_GRUB2_INFO | ELT_BOOT_NEW_SECTION)

static void free_boot_data(elt_image *img)
{
	size_t i;

	for (i = 0; i < img->n_boots; i++) {
		free(img->boots[i].data);
		img->boots[i].data = NULL;
		img->boots[i].data_len = 0;
	}
}

int elt_image_add_boot(elt_image *img, const elt_boot_entry *entry)
{
	struct boot_entry_int *b, *grown;
	char *path;

	if (!img || !entry)
		return ELT_EINVAL;
	if (entry->version != ELT_BOOT_ENTRY_VERSION)
		return err_set(img, ELT_EINVAL, NULL,
		               "unknown boot entry version %u", entry->version);
	if (!entry->image_path || !*entry->image_path)
		return err_set(img, ELT_EINVAL, NULL, "boot entry without image");
	if (img->frozen)
		return err_set(img, ELT_ESTATE, entry->image_path,
		               "the image is frozen while a stream exists");
	if (entry->platform < 0 || entry->platform > 0xFF)
		return err_set(img, ELT_EINVAL, entry->image_path,
		               "bad boot platform id %d", entry->platform);
	if (entry->emulation < ELT_EMUL_AUTO || entry->emulation > ELT_EMUL_HDD)
		return err_set(img, ELT_EINVAL, entry->image_path,
		               "bad emulation type %d", entry->emulation);
	if (entry->flags & ~BOOT_FLAGS_KNOWN)
		return err_set(img, ELT_EINVAL, entry->image_path,
		               "unknown boot entry flags 0x%x", entry->flags);
	/* validation + default entry + a header and an entry for each
	 * further one must fit in one catalog block */
	if (img->n_boots >= CAT_MAX_ENTRIES / 2)
		return err_set(img, ELT_ELIMIT, entry->image_path,
		               "too many boot entries");
	free_boot_data(img);     /* reloaded by the next stream */
	path = strdup(entry->image_path);
	if (!path)
		return err_set(img, ELT_ENOMEM, entry->image_path, "out of memory");
	grown = realloc(img->boots, (img->n_boots + 1) * sizeof *grown);
	if (!grown) {
		free(path);
		return err_set(img, ELT_ENOMEM, entry->image_path, "out of memory");
	}
	img->boots = grown;
	b = &img->boots[img->n_boots++];
	memset(b, 0, sizeof *b);
	b->e = *entry;
	b->e.image_path = path;
	return 0;
}

int elt_image_set_catalog(elt_image *img, const char *iso_path,
                          unsigned int flags)
{
	char *copy;
	size_t len;

	if (!img || !iso_path)
		return ELT_EINVAL;
	if (flags)
		return err_set(img, ELT_EINVAL, iso_path,
		               "unknown catalog flags 0x%x", flags);
	if (img->frozen)
		return err_set(img, ELT_ESTATE, iso_path,
		               "the image is frozen while a stream exists");
	len = strlen(iso_path);
	if (len == 0 || iso_path[len - 1] == '/')
		return err_set(img, ELT_EINVAL, iso_path,
		               "boot catalog path names no file");
	copy = strdup(iso_path);
	if (!copy)
		return err_set(img, ELT_ENOMEM, iso_path, "out of memory");
	free(img->catalog_path);
	img->catalog_path = copy;
	return 0;
}

void torito_free(elt_image *img)
{
	size_t i;

	if (!img)
		return;
	for (i = 0; i < img->n_boots; i++) {
		free((char *)img->boots[i].e.image_path);
		free(img->boots[i].data);
	}
	free(img->boots);
	img->boots = NULL;
	img->n_boots = 0;
	free(img->catalog_path);
	img->catalog_path = NULL;
}

/* ---------------------------------------------------------- plan time */

static const struct elt_node *data_node(const struct elt_node *n)
{
	return n->data_owner ? n->data_owner : n;
}

/* mkisofs's "node", the disk path of its first source argument: every
 * entry read from it directly has the anchor SRC/name.  *out is NULL when
 * the root's first child did not come from a disk walk of the root. */
static int first_source(const elt_image *img, char **out)
{
	const struct elt_node *c = img->root ? img->root->first_child : NULL;
	size_t dl, nl, sl;

	*out = NULL;
	if (!c || !c->disk_path || (c->flags & NODE_CATALOG))
		return 0;
	dl = strlen(c->disk_path);
	nl = strlen(c->name);
	if (dl == nl && strcmp(c->disk_path, c->name) == 0) {
		*out = strdup(".");
	} else {
		if (dl < nl + 1 || c->disk_path[dl - nl - 1] != '/' ||
		    strcmp(c->disk_path + dl - nl, c->name) != 0)
			return 0;
		sl = dl - nl - 1;
		*out = sl ? strndup(c->disk_path, sl) : strdup("/");
	}
	return *out ? 0 : err_set((elt_image *)img, ELT_ENOMEM, NULL,
	                          "out of memory");
}

/* SRC + "/" + iso_path (leading slashes dropped) as genisoimage joins
 * them; malloc'd or NULL. */
static char *join_source(const char *src, const char *iso_path)
{
	size_t sl = strlen(src), il;
	char *p;

	while (*iso_path == '/')
		iso_path++;
	il = strlen(iso_path);
	p = malloc(sl + il + 2);
	if (!p)
		return NULL;
	memcpy(p, src, sl);
	if (sl == 0 || src[sl - 1] != '/')
		p[sl++] = '/';
	memcpy(p + sl, iso_path, il + 1);
	return p;
}

/* Weight genisoimage gives a file it adds a sort pattern for: the user's
 * weight for that path, else `dflt`. */
static int32_t pattern_weight(const elt_image *img, const char *path,
                              int32_t dflt)
{
	size_t i;

	if (source_match(&img->sorts, path, NULL, &i))
		return img->sorts.weights[i];
	return dflt;
}

/* ISO path with exactly one leading '/'; malloc'd. */
static char *rooted(const char *iso_path)
{
	size_t l;
	char *p;

	while (*iso_path == '/')
		iso_path++;
	l = strlen(iso_path);
	p = malloc(l + 2);
	if (!p)
		return NULL;
	p[0] = '/';
	memcpy(p + 1, iso_path, l + 1);
	return p;
}

/* Find the boot image node and check it may be booted from. */
static int resolve_node(elt_image *img, struct boot_entry_int *b)
{
	const char *ip = b->e.image_path;
	elt_node *n = NULL;
	char *p = rooted(ip);
	int err;

	if (!p)
		return err_set(img, ELT_ENOMEM, ip, "out of memory");
	err = elt_image_lookup(&n, img, p);
	free(p);
	if (err < 0 || !n)
		return err_set(img, ELT_ENOENT, ip,
		               "boot image not found in the image tree");
	if (!S_ISREG(n->mode) || (n->flags & NODE_CATALOG))
		return err_set(img, ELT_EINVAL, ip,
		               "boot image is not a regular file");
	if (n->hidden & ELT_NS_ISO)
		return err_set(img, ELT_EINVAL, ip,
		               "boot image is hidden from the ISO 9660 tree");
	if (n->size > BOOT_IMAGE_CAP)
		return err_set(img, ELT_ELIMIT, ip,
		               "boot image is larger than %u MiB",
		               BOOT_IMAGE_CAP >> 20);
	b->node = n;
	return 0;
}

/* Read the whole boot image into memory (once per image lifetime: later
 * streams reuse it, so their bytes and checksums agree). */
static int load_data(struct elt_stream *s, struct boot_entry_int *b)
{
	struct elt_node *n = b->node;
	uint64_t got = 0;
	int fd = -1, err;

	if (b->data && b->data_len == n->size)
		return 0;
	free(b->data);
	b->data = malloc(n->size ? (size_t)n->size : 1);
	b->data_len = 0;
	if (!b->data)
		return err_set(s->img, ELT_ENOMEM, b->e.image_path,
		               "out of memory");
	if ((err = source_open(s, n, &fd)) < 0)
		goto out;
	while (got < n->size) {
		int64_t r = source_read(s, n, fd, got, b->data + got,
		                        (size_t)(n->size - got));
		if (r < 0) {
			err = (int)r;
			goto out;
		}
		if (r == 0) {
			err = err_set(s->img, ELT_EIO, b->e.image_path,
			              "boot image shrank while read");
			goto out;
		}
		got += (uint64_t)r;
	}
	b->data_len = n->size;
	err = 0;
out:
	if (fd >= 0)
		close(fd);
	if (err < 0) {
		free(b->data);
		b->data = NULL;
	}
	return err;
}

/* Hard-disk emulation: the image's MBR must hold exactly one partition,
 * whose type becomes the entry's system type. */
static int check_mbr(elt_image *img, struct boot_entry_int *b)
{
	const uint8_t *m = b->data;
	const char *ip = b->e.image_path;
	unsigned int i, found = 0;

	if (b->data_len < MBR_SIZE)
		return err_set(img, ELT_EINVAL, ip,
		               "hard-disk boot image is shorter than an MBR");
	if (m[MBR_SIGNATURE] != 0x55 || m[MBR_SIGNATURE + 1] != 0xAA)
		msg_emit(img, ELT_MSG_WARNING, ELT_MSGC_GENERIC, ip,
		         "mbr has no boot signature");
	for (i = 0; i < MBR_NPARTS; i++) {
		const uint8_t *pe = m + MBR_PARTS + i * MBR_PART_LEN;
		if (pe[MBR_PART_TYPE] == 0)
			continue;
		if (found++)
			return err_set(img, ELT_EINVAL, ip,
			               "hard-disk boot image has several partitions");
		b->system_type = pe[MBR_PART_TYPE];
		if (!(b->e.flags & ELT_BOOT_NOT_BOOTABLE) &&
		    pe[MBR_PART_STATUS] != MBR_ACTIVE)
			msg_emit(img, ELT_MSG_WARNING, ELT_MSGC_GENERIC, ip,
			         "partition not marked active");
	}
	if (!found)
		return err_set(img, ELT_EINVAL, ip,
		               "hard-disk boot image has no partition");
	return 0;
}

/* Media type and sector count, as genisoimage derives them: the count
 * is -boot-load-size or the size rounded up to 2048 in 512-byte units,
 * and floppy emulation picks the floppy from that count. */
static int resolve_media(elt_image *img, struct boot_entry_int *b)
{
	const char *ip = b->e.image_path;
	uint32_t nsect = b->e.load_sectors ? b->e.load_sectors :
	                 BLOCKS_OF(b->data_len) * SECTORS_PER_BLOCK;
	int want = b->e.emulation;
	int err;

	b->system_type = 0;
	if (want == ELT_EMUL_NONE) {
		b->media = MEDIA_NOEMUL;
		b->sectors = (uint16_t)nsect; /* genisoimage keeps 16 bits */
		return 0;
	}
	if (want == ELT_EMUL_HDD) {
		b->media = MEDIA_HDD;
		b->sectors = 1;      /* the BIOS loads the MBR only */
		return (err = check_mbr(img, b)) < 0 ? err : 0;
	}
	if (nsect == FLOPPY12_SECTORS)
		b->media = MEDIA_FLOPPY12;
	else if (nsect == FLOPPY144_SECTORS)
		b->media = MEDIA_FLOPPY144;
	else if (nsect == FLOPPY288_SECTORS)
		b->media = MEDIA_FLOPPY288;
	else
		return err_set(img, ELT_EINVAL, ip,
		               "floppy emulation needs 1200, 1440 or 2880 KiB, "
		               "got %u KiB", nsect / 2);
	if (want != ELT_EMUL_AUTO && want != b->media)
		return err_set(img, ELT_EINVAL, ip,
		               "image size does not fit the floppy type asked for");
	b->sectors = 1;              /* the BIOS emulates the drive */
	return 0;
}

static int check_patch_room(elt_image *img, const struct boot_entry_int *b)
{
	if ((b->e.flags & ELT_BOOT_INFO_TABLE) &&
	    b->data_len < BI_OFFSET + BI_LEN)
		return err_set(img, ELT_EINVAL, b->e.image_path,
		               "boot image too small for a boot info table");
	if ((b->e.flags & ELT_BOOT_GRUB2_INFO) &&
	    b->data_len < GRUB2_OFFSET + GRUB2_LEN)
		return err_set(img, ELT_EINVAL, b->e.image_path,
		               "boot image too small for grub2 boot info");
	return 0;
}

/* Give a boot image genisoimage's sort weight (see the top of the file). */
static int weigh_boot_image(struct elt_stream *s, const char *src,
                            struct boot_entry_int *b)
{
	struct elt_node *n = b->node;
	char *want;
	int err;

	if (n->src_kind != SRC_DISK) {
		n->sort_weight = 1;  /* no disk path: boot images first */
		return 0;
	}
	if (!src)
		return 0;
	want = join_source(src, b->e.image_path);
	if (!want)
		return err_set(s->img, ELT_ENOMEM, b->e.image_path,
		               "out of memory");
	if ((err = source_disk_path(n, &s->pathbuf, &s->pathcap)) < 0) {
		free(want);
		return err;
	}
	if (strcmp(want, s->pathbuf) == 0)
		n->sort_weight = pattern_weight(s->img, want, 1);
	free(want);
	return 0;
}

/* Namespaces the catalog is hidden from: -hide / -hide-joliet patterns
 * matching the catalog path as given or SRC/path (genisoimage tests
 * just these two strings), and whatever hides its directory. */
static uint16_t catalog_hidden(const elt_image *img, const char *cp,
                               const char *want, const struct elt_node *dir)
{
	uint16_t mask = dir->hidden;
	size_t i;

	for (i = 0; i < img->hides.n; i++)
		if (fnmatch(img->hides.globs[i], cp, FNM_PATHNAME) == 0 ||
		    (want && fnmatch(img->hides.globs[i], want, FNM_PATHNAME) == 0))
			mask |= (uint16_t)img->hides.masks[i];
	return mask;
}

/* A catalog made by an earlier stream at another path (the caller has
 * moved it since) becomes an empty file listed nowhere. */
static void retire_old_catalogs(elt_image *img, const struct elt_node *keep)
{
	struct elt_node *n = img->root;

	while (n) {
		if ((n->flags & NODE_CATALOG) && n != keep) {
			n->flags &= (uint16_t)~NODE_CATALOG;
			n->hidden = ELT_NS_ALL;
			n->size = 0;
		}
		if (n->first_child) {
			n = n->first_child;
			continue;
		}
		while (n && !n->next)
			n = n->parent;
		if (n)
			n = n->next;
	}
}

/* Create (or take over) the catalog node: one block, made in memory. */
static int make_catalog(struct elt_stream *s, const char *src)
{
	elt_image *img = s->img;
	const char *cp = img->catalog_path ? img->catalog_path : DEFAULT_CATALOG;
	char *path = rooted(cp), *slash, *want = NULL;
	elt_node *dir = NULL;
	struct elt_node *n;
	int err = 0;

	if (!path)
		return err_set(img, ELT_ENOMEM, cp, "out of memory");
	slash = strrchr(path, '/');
	*slash = '\0';
	if (elt_image_lookup(&dir, img, path[0] ? path : "/") < 0 || !dir ||
	    !S_ISDIR(dir->mode)) {
		err = err_set(img, ELT_ENOENT, cp,
		              "boot catalog directory not in the image tree");
		goto out;
	}
	n = tree_child(dir, slash + 1, strlen(slash + 1));
	if (n && S_ISDIR(n->mode)) {
		err = err_set(img, ELT_EEXIST, cp,
		              "boot catalog path is a directory");
		goto out;
	}
	if (n && (n->flags & NODE_BOOT_IMAGE)) {
		err = err_set(img, ELT_EEXIST, cp,
		              "boot catalog path names a boot image");
		goto out;
	}
	if (!n && !(n = tree_new_node(img, dir, slash + 1, strlen(slash + 1)))) {
		err = err_set(img, ELT_ENOMEM, cp, "out of memory");
		goto out;
	}
	/* A file already there is replaced, as genisoimage excludes it. */
	free(n->mem);
	n->mem = NULL;
	n->read_fn = NULL;
	n->src_kind = SRC_NONE;
	n->size = BLOCK;
	n->mode = S_IFREG | 0444;
	n->nlink = 1;
	n->uid = (uint32_t)getuid();
	n->gid = (uint32_t)getgid();
	n->dev = n->ino = n->rdev = 0;
	n->mtime = n->atime = n->ctime = -1;   /* the stream's clock */
	n->flags |= NODE_CATALOG;
	n->sort_weight = dir->sort_weight + 2;
	if (src) {
		if (!(want = join_source(src, cp))) {
			err = err_set(img, ELT_ENOMEM, cp, "out of memory");
			goto out;
		}
		n->sort_weight = pattern_weight(img, want, n->sort_weight);
	}
	n->hidden = catalog_hidden(img, cp, want, dir);
	retire_old_catalogs(img, n);
out:
	free(want);
	free(path);
	return err;
}

int torito_prepare(struct elt_stream *s)
{
	elt_image *img = s->img;
	char *src = NULL;
	size_t i;
	int err = 0;

	if (img->n_boots == 0)
		return 0;
	if ((err = first_source(img, &src)) < 0)
		return err;
	for (i = 0; i < img->n_boots; i++) {
		struct boot_entry_int *b = &img->boots[i];
		if ((err = resolve_node(img, b)) < 0)
			goto out;
		if ((err = load_data(s, b)) < 0)
			goto out;
		if ((err = resolve_media(img, b)) < 0)
			goto out;
		if ((err = check_patch_room(img, b)) < 0)
			goto out;
		b->node->flags |= NODE_BOOT_IMAGE;
	}
	for (i = 0; i < img->n_boots; i++)
		if ((err = weigh_boot_image(s, src, &img->boots[i])) < 0)
			goto out;
	err = make_catalog(s, src);
out:
	free(src);
	return err;
}

/* ---------------------------------------------------------- encoders */

int torito_encode_bootrec(uint8_t *dst, const struct elt_stream *s)
{
	if (!dst)
		return (int)BLOCK;
	memset(dst, 0, BLOCK);
	dst[BRVD_TYPE] = 0;
	memcpy(dst + BRVD_STD_ID, "CD001", 5);
	dst[BRVD_VERSION] = 1;
	memcpy(dst + BRVD_SYSTEM_ID, EL_TORITO_ID, strlen(EL_TORITO_ID));
	put_731(dst + BRVD_CATALOG, s->plan.catalog_lba);
	return (int)BLOCK;
}

static void put_validation(uint8_t *e, int platform, const char *publisher)
{
	uint32_t sum = 0;
	unsigned int i;

	e[VAL_HEADER_ID] = 1;
	e[VAL_PLATFORM] = (uint8_t)platform;
	if (publisher) {
		size_t l = strlen(publisher);
		memcpy(e + VAL_ID, publisher, l < VAL_ID_USED ? l : VAL_ID_USED);
	}
	e[VAL_KEY55] = 0x55;
	e[VAL_KEYAA] = 0xAA;
	for (i = 0; i < CAT_ENTRY; i += 2)
		sum += (uint32_t)e[i] | (uint32_t)e[i + 1] << 8;
	put_721(e + VAL_CHECKSUM, (uint16_t)(0x10000u - (sum & 0xFFFFu)));
}

static void put_entry(uint8_t *e, const struct boot_entry_int *b)
{
	e[ENT_INDICATOR] = (b->e.flags & ELT_BOOT_NOT_BOOTABLE) ?
	                   ENT_NOT_BOOTABLE : ENT_BOOTABLE;
	e[ENT_MEDIA] = b->media;
	put_721(e + ENT_LOAD_SEG, b->e.load_segment);
	e[ENT_SYS_TYPE] = b->system_type;
	put_721(e + ENT_SECTORS, b->sectors);
	put_731(e + ENT_LBA, data_node(b->node)->lba);
}

/* Does entry i (i >= 1) open a new section? */
static bool starts_section(const elt_image *img, size_t i)
{
	return i == 1 || (img->boots[i].e.flags & ELT_BOOT_NEW_SECTION) ||
	       img->boots[i].e.platform != img->boots[i - 1].e.platform;
}

int torito_encode_catalog(uint8_t *dst, const struct elt_stream *s)
{
	const elt_image *img = s->img;
	size_t i, j, slot = 2;

	if (!dst)
		return (int)BLOCK;
	if (img->n_boots == 0 || !img->boots[0].node)
		return ELT_EINTERNAL;
	memset(dst, 0, BLOCK);
	put_validation(dst, img->boots[0].e.platform, s->w.o.publisher);
	put_entry(dst + CAT_ENTRY, &img->boots[0]);
	for (i = 1; i < img->n_boots; i = j) {
		uint8_t *h;
		for (j = i + 1; j < img->n_boots && !starts_section(img, j); j++)
			;
		if (slot + 1 + (j - i) > CAT_MAX_ENTRIES)
			return ELT_EINTERNAL;
		h = dst + slot++ * CAT_ENTRY;
		h[SEC_INDICATOR] = j == img->n_boots ? SEC_FINAL : SEC_MORE;
		h[SEC_PLATFORM] = (uint8_t)img->boots[i].e.platform;
		put_721(h + SEC_COUNT, (uint16_t)(j - i));
		for (; i < j; i++)
			put_entry(dst + slot++ * CAT_ENTRY, &img->boots[i]);
	}
	return (int)BLOCK;
}

/* ------------------------------------------------------------ patching */

/* Copy the bytes of field [foff, foff + flen) of the image that fall into
 * the window [off, off + len) of buf. */
static void patch_range(uint8_t *buf, uint64_t off, size_t len,
                        const uint8_t *field, uint64_t foff, size_t flen)
{
	uint64_t lo = foff > off ? foff : off;
	uint64_t hi = foff + flen < off + len ? foff + flen : off + len;

	if (lo < hi)
		memcpy(buf + (lo - off), field + (lo - foff), (size_t)(hi - lo));
}

/* Sum of the le32 words from byte 64 to the end, the tail zero-padded. */
static uint32_t info_checksum(const uint8_t *d, uint64_t len)
{
	uint32_t sum = 0;
	uint64_t i;

	for (i = BI_CSUM_START; i < len; i += 4) {
		uint8_t w[4] = { 0, 0, 0, 0 };
		uint64_t k;
		for (k = 0; k < 4 && i + k < len; k++)
			w[k] = d[i + k];
		sum += (uint32_t)w[0] | (uint32_t)w[1] << 8 |
		       (uint32_t)w[2] << 16 | (uint32_t)w[3] << 24;
	}
	return sum;
}

void torito_patch(const struct elt_stream *s, const struct elt_node *n,
                  uint64_t off, uint8_t *buf, size_t len)
{
	const elt_image *img = s->img;
	size_t i;

	for (i = 0; i < img->n_boots; i++) {
		const struct boot_entry_int *b = &img->boots[i];
		uint32_t lba;
		if (!b->node || !b->data || data_node(b->node) != data_node(n))
			continue;
		lba = data_node(b->node)->lba;
		if ((b->e.flags & ELT_BOOT_INFO_TABLE) &&
		    off < BI_OFFSET + BI_LEN && off + len > BI_OFFSET) {
			uint8_t t[BI_LEN];
			memset(t, 0, sizeof t);
			put_731(t + BI_PVD, s->plan.pvd_lba);
			put_731(t + BI_FILE, lba);
			put_731(t + BI_LENGTH, (uint32_t)b->data_len);
			put_731(t + BI_CSUM, info_checksum(b->data, b->data_len));
			patch_range(buf, off, len, t, BI_OFFSET, BI_LEN);
		}
		if ((b->e.flags & ELT_BOOT_GRUB2_INFO) &&
		    off < GRUB2_OFFSET + GRUB2_LEN && off + len > GRUB2_OFFSET) {
			uint64_t v = (uint64_t)lba * SECTORS_PER_BLOCK + GRUB2_ADD;
			uint8_t t[GRUB2_LEN];
			unsigned int k;
			for (k = 0; k < GRUB2_LEN; k++)
				t[k] = (uint8_t)(v >> (8 * k));
			patch_range(buf, off, len, t, GRUB2_OFFSET, GRUB2_LEN);
		}
	}
}
