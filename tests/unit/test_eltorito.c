/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * El Torito: images built through the public API are decoded here with a
 * boot catalog and ISO 9660 directory reader written from the El Torito
 * 1.0 and ECMA-119 texts; nothing is shared with libeltorito/eltorito.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include "util.h"

#define SECTOR_BYTES 2048u

/* ------------------------------------------------ independent readers */

static uint32_t rd16(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Look a path of ISO identifiers ("BOOT/NB.BIN;1") up from the root
 * record of the PVD (ECMA-119 8.4.18, 9.1). */
static int iso_find(const uint8_t *img, size_t len, const char *path,
                    uint32_t *lba, uint32_t *size)
{
	const uint8_t *root = img + 16 * SECTOR_BYTES + 156;
	uint32_t dlba = rd32(root + 2), dsize = rd32(root + 10);
	char comp[256];

	while (*path) {
		const char *e = strchr(path, '/');
		size_t cl = e ? (size_t)(e - path) : strlen(path);
		uint32_t off = 0;
		int found = 0;

		memcpy(comp, path, cl);
		comp[cl] = '\0';
		while (off < dsize) {
			const uint8_t *r;
			if ((size_t)dlba * SECTOR_BYTES + off >= len)
				return -1;
			r = img + (size_t)dlba * SECTOR_BYTES + off;
			if (r[0] == 0) {     /* rest of the block unused */
				off = (off / SECTOR_BYTES + 1) * SECTOR_BYTES;
				continue;
			}
			if (r[32] == cl && memcmp(r + 33, comp, cl) == 0) {
				dlba = rd32(r + 2);
				dsize = rd32(r + 10);
				found = 1;
				break;
			}
			off += r[0];
		}
		if (!found)
			return -1;
		path += cl;
		if (*path == '/')
			path++;
	}
	*lba = dlba;
	*size = dsize;
	return 0;
}

struct cat_entry {
	int header;          /* 1: section header, 0: boot entry */
	uint8_t indicator, platform_or_media, sys_type;
	uint16_t count_or_seg, sectors;
	uint32_t lba;
};

struct catalog {
	uint32_t lba;
	uint8_t platform;
	char id[25];
	int checksum_ok, keys_ok;
	struct cat_entry e[64];
	int n;               /* entries after the validation entry */
};

/* El Torito 1.0: boot record at 17 -> catalog -> entries until the first
 * all-zero entry. Returns 0 or -1 if the structure is not there. */
static int parse_catalog(const uint8_t *img, size_t len, struct catalog *c)
{
	const uint8_t *br = img + 17 * SECTOR_BYTES;
	static const char spec[] = "EL TORITO SPECIFICATION";
	const uint8_t *cat, *v;
	uint32_t sum = 0;
	int i, k;

	memset(c, 0, sizeof *c);
	if (len < 18 * SECTOR_BYTES || br[0] != 0 || memcmp(br + 1, "CD001", 5) ||
	    br[6] != 1 || memcmp(br + 7, spec, sizeof spec - 1))
		return -1;
	for (k = 7 + (int)sizeof spec - 1; k < 71; k++)
		if (br[k] != 0)
			return -1;
	c->lba = rd32(br + 71);
	if ((size_t)(c->lba + 1) * SECTOR_BYTES > len)
		return -1;
	cat = img + (size_t)c->lba * SECTOR_BYTES;
	v = cat;
	if (v[0] != 1)
		return -1;
	c->platform = v[1];
	memcpy(c->id, v + 4, 24);
	for (i = 0; i < 32; i += 2)
		sum += rd16(v + i);
	c->checksum_ok = (sum & 0xFFFF) == 0;
	c->keys_ok = v[30] == 0x55 && v[31] == 0xAA;
	for (i = 1; i < 64; i++) {
		const uint8_t *e = cat + i * 32;
		struct cat_entry *ce = &c->e[c->n];
		int zero = 1;
		for (k = 0; k < 32; k++)
			if (e[k])
				zero = 0;
		if (zero)
			break;
		ce->indicator = e[0];
		ce->header = e[0] == 0x90 || e[0] == 0x91;
		ce->platform_or_media = e[1];
		ce->count_or_seg = (uint16_t)rd16(e + 2);
		ce->sys_type = e[4];
		ce->sectors = (uint16_t)rd16(e + 6);
		ce->lba = rd32(e + 8);
		c->n++;
	}
	return 0;
}

/* ------------------------------------------------------------ helpers */

static uint8_t *pattern(size_t len, unsigned int seed)
{
	uint8_t *p = malloc(len ? len : 1);
	size_t i;
	uint32_t x = seed * 2654435761u + 1;

	for (i = 0; p && i < len; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (uint8_t)(x >> 16);
	}
	return p;
}

static elt_boot_entry entry(const char *path, int emul)
{
	elt_boot_entry e;

	elt_boot_entry_init(&e, ELT_BOOT_ENTRY_VERSION);
	e.image_path = path;
	e.emulation = emul;
	return e;
}

static elt_write_opts opts(void)
{
	elt_write_opts o;

	elt_write_opts_init(&o, ELT_WRITE_OPTS_VERSION);
	o.timestamp = 1700000000;
	o.gmt_offset = 0;
	o.pad_blocks = 0;
	return o;
}

static elt_image *image_with(const char *path, const void *data, size_t len)
{
	elt_image *img = NULL;

	if (elt_image_new(&img) < 0)
		return NULL;
	if (path && elt_image_add_mem(img, path, data, len) < 0) {
		elt_image_free(img);
		return NULL;
	}
	return img;
}

static int build(elt_image *img, const elt_write_opts *o, uint8_t **out,
                 size_t *len)
{
	int err = util_build(img, o, out, len);
	if (err < 0)
		fprintf(stderr, "build: %s: %s\n", elt_strerror(err),
		        elt_image_errmsg(img));
	return err;
}

/* -------------------------------------------------------------- tests */

static void test_entry_init(void)
{
	elt_boot_entry e;

	CU_ASSERT_EQUAL(elt_boot_entry_init(&e, 99), ELT_EINVAL);
	CU_ASSERT_EQUAL(elt_boot_entry_init(NULL, ELT_BOOT_ENTRY_VERSION),
	                ELT_EINVAL);
	CU_ASSERT_EQUAL(elt_boot_entry_init(&e, ELT_BOOT_ENTRY_VERSION), 0);
	CU_ASSERT_EQUAL(e.version, ELT_BOOT_ENTRY_VERSION);
	CU_ASSERT_EQUAL(e.emulation, ELT_EMUL_AUTO);
	CU_ASSERT_PTR_NULL(e.image_path);
	CU_ASSERT_EQUAL(e.flags, 0);
}

static void test_add_boot_args(void)
{
	elt_image *img = image_with(NULL, NULL, 0);
	elt_boot_entry e = entry("/b.img", ELT_EMUL_NONE);
	int i, err = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	CU_ASSERT_EQUAL(elt_image_add_boot(img, NULL), ELT_EINVAL);
	e.version = 7;
	CU_ASSERT_EQUAL(elt_image_add_boot(img, &e), ELT_EINVAL);
	e = entry(NULL, ELT_EMUL_NONE);
	CU_ASSERT_EQUAL(elt_image_add_boot(img, &e), ELT_EINVAL);
	e = entry("/b.img", 9);
	CU_ASSERT_EQUAL(elt_image_add_boot(img, &e), ELT_EINVAL);
	e = entry("/b.img", ELT_EMUL_NONE);
	e.platform = 0x100;
	CU_ASSERT_EQUAL(elt_image_add_boot(img, &e), ELT_EINVAL);
	e.platform = 0;
	e.flags = 0x80000000u;
	CU_ASSERT_EQUAL(elt_image_add_boot(img, &e), ELT_EINVAL);
	e.flags = 0;
	CU_ASSERT_EQUAL(elt_image_set_catalog(img, "/x/", 0), ELT_EINVAL);
	CU_ASSERT_EQUAL(elt_image_set_catalog(img, "/x.cat", 1), ELT_EINVAL);
	CU_ASSERT_EQUAL(elt_image_set_catalog(img, "/x.cat", 0), 0);
	/* one catalog block holds 32 entries when each has its own section */
	for (i = 0; i < 40 && err == 0; i++)
		err = elt_image_add_boot(img, &e);
	CU_ASSERT_EQUAL(err, ELT_ELIMIT);
	CU_ASSERT_EQUAL(i, 33);
	elt_image_free(img);
}

/* Words from byte 64 on, the tail zero-padded, summed mod 2^32. */
static uint32_t bi_sum(const uint8_t *d, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 64; i < len; i += 4) {
		uint8_t w[4] = { 0 };
		memcpy(w, d + i, len - i < 4 ? len - i : 4);
		s += rd32(w);
	}
	return s;
}

static void test_no_emul_info_table(void)
{
	size_t dlen = 5001, len = 0;
	uint8_t *data = pattern(dlen, 1), *out = NULL;
	elt_image *img = image_with("/boot/nb.bin", data, dlen);
	elt_write_opts o = opts();
	elt_boot_entry e = entry("boot/nb.bin", ELT_EMUL_NONE);
	struct catalog c;
	uint32_t lba, size, clba, csize;
	const uint8_t *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	e.load_sectors = 4;
	e.flags = ELT_BOOT_INFO_TABLE;
	CU_ASSERT_EQUAL_FATAL(elt_image_add_boot(img, &e), 0);
	CU_ASSERT_EQUAL_FATAL(build(img, &o, &out, &len), 0);
	CU_ASSERT_EQUAL_FATAL(parse_catalog(out, len, &c), 0);
	CU_ASSERT_EQUAL_FATAL(iso_find(out, len, "BOOT/NB.BIN;1", &lba, &size), 0);
	CU_ASSERT_EQUAL_FATAL(iso_find(out, len, "BOOT.CAT;1", &clba, &csize), 0);
	CU_ASSERT_EQUAL(c.lba, clba);
	CU_ASSERT_EQUAL(csize, 2048);
	CU_ASSERT_EQUAL(size, dlen);
	CU_ASSERT(c.checksum_ok);
	CU_ASSERT(c.keys_ok);
	CU_ASSERT_EQUAL(c.platform, 0);
	CU_ASSERT_EQUAL(c.id[0], 0);
	CU_ASSERT_EQUAL_FATAL(c.n, 1);
	CU_ASSERT_EQUAL(c.e[0].indicator, 0x88);
	CU_ASSERT_EQUAL(c.e[0].platform_or_media, 0);
	CU_ASSERT_EQUAL(c.e[0].count_or_seg, 0);
	CU_ASSERT_EQUAL(c.e[0].sectors, 4);
	CU_ASSERT_EQUAL(c.e[0].lba, lba);
	/* genisoimage's order: catalog first, then the boot image */
	CU_ASSERT_EQUAL(lba, clba + 1);
	f = out + (size_t)lba * SECTOR_BYTES;
	CU_ASSERT_EQUAL(memcmp(f, data, 8), 0);
	CU_ASSERT_EQUAL(rd32(f + 8), 16);
	CU_ASSERT_EQUAL(rd32(f + 12), lba);
	CU_ASSERT_EQUAL(rd32(f + 16), dlen);
	CU_ASSERT_EQUAL(rd32(f + 20), bi_sum(data, dlen));
	{
		int k, zero = 1;
		for (k = 24; k < 64; k++)
			if (f[k])
				zero = 0;
		CU_ASSERT(zero);
	}
	CU_ASSERT_EQUAL(memcmp(f + 64, data + 64, dlen - 64), 0);
	/* the file is padded with zeros, not patched past its end */
	CU_ASSERT_EQUAL(f[dlen], 0);
	/* the source stays as it was: a second image has the same bytes */
	{
		uint8_t *again = NULL;
		size_t alen = 0;
		CU_ASSERT_EQUAL(build(img, &o, &again, &alen), 0);
		CU_ASSERT_EQUAL(alen, len);
		if (again && alen == len)
			CU_ASSERT_EQUAL(util_diff(again, out, len, "rebuild"), -1);
		free(again);
	}
	free(out);
	free(data);
	elt_image_free(img);
}

static void check_one(size_t dlen, int emul, uint16_t load, int media,
                      int sectors, int want_err)
{
	uint8_t *data = pattern(dlen, 2), *out = NULL;
	elt_image *img = image_with("/fd.img", data, dlen);
	elt_write_opts o = opts();
	elt_boot_entry e = entry("/fd.img", emul);
	struct catalog c;
	size_t len = 0;
	int err;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	e.load_sectors = load;
	CU_ASSERT_EQUAL_FATAL(elt_image_add_boot(img, &e), 0);
	err = util_build(img, &o, &out, &len);
	CU_ASSERT_EQUAL(err, want_err);
	if (want_err) {
		/* one line naming the image first */
		CU_ASSERT(strncmp(elt_image_errmsg(img), "/fd.img", 7) == 0);
		CU_ASSERT(strchr(elt_image_errmsg(img), '\n') == NULL);
	} else if (err == 0) {
		uint32_t lba, size;
		CU_ASSERT_EQUAL_FATAL(parse_catalog(out, len, &c), 0);
		CU_ASSERT_EQUAL_FATAL(iso_find(out, len, "FD.IMG;1", &lba, &size), 0);
		CU_ASSERT_EQUAL(c.n, 1);
		CU_ASSERT_EQUAL(c.e[0].platform_or_media, media);
		CU_ASSERT_EQUAL(c.e[0].sectors, sectors);
		CU_ASSERT_EQUAL(c.e[0].lba, lba);
	}
	free(out);
	free(data);
	elt_image_free(img);
}

static void test_media_and_counts(void)
{
	check_one(5000, ELT_EMUL_NONE, 0, 0, 12, 0);     /* 3 blocks * 4 */
	check_one(2048, ELT_EMUL_NONE, 0, 0, 4, 0);
	check_one(5000, ELT_EMUL_NONE, 7, 0, 7, 0);
	check_one(1228800, ELT_EMUL_AUTO, 0, 1, 1, 0);
	check_one(1474560, ELT_EMUL_AUTO, 0, 2, 1, 0);
	check_one(2949120, ELT_EMUL_AUTO, 0, 3, 1, 0);
	check_one(1474000, ELT_EMUL_AUTO, 0, 2, 1, 0);    /* rounded to 2048 */
	check_one(1474560, ELT_EMUL_FLOPPY144, 0, 2, 1, 0);
	check_one(1474560, ELT_EMUL_FLOPPY12, 0, 0, 0, ELT_EINVAL);
	check_one(1474560, ELT_EMUL_AUTO, 4, 0, 0, ELT_EINVAL); /* as mkisofs */
	check_one(100000, ELT_EMUL_AUTO, 0, 0, 0, ELT_EINVAL);
	check_one(100, ELT_EMUL_HDD, 0, 0, 0, ELT_EINVAL);     /* no MBR */
}

static uint8_t *disk_image(size_t len, int nparts, uint8_t type)
{
	uint8_t *d = calloc(1, len);
	int i;

	if (!d)
		return NULL;
	for (i = 0; i < nparts; i++) {
		uint8_t *pe = d + 446 + 16 * i;
		pe[0] = 0x80;
		pe[4] = (uint8_t)(type + i);
		pe[8] = 32;            /* start LBA, only for realism */
	}
	d[510] = 0x55;
	d[511] = 0xAA;
	return d;
}

static int build_hdd(int nparts, struct catalog *c, uint32_t *lba,
                     elt_image **imgp)
{
	size_t dlen = 64 * 512, len = 0;
	uint8_t *data = disk_image(dlen, nparts, 0x06), *out = NULL;
	elt_image *img = image_with("/hd.img", data, dlen);
	elt_write_opts o = opts();
	elt_boot_entry e = entry("/hd.img", ELT_EMUL_HDD);
	uint32_t size;
	int err;

	elt_image_add_boot(img, &e);
	err = util_build(img, &o, &out, &len);
	if (err == 0) {
		if (parse_catalog(out, len, c) < 0 ||
		    iso_find(out, len, "HD.IMG;1", lba, &size) < 0)
			err = -100;
	}
	free(out);
	free(data);
	*imgp = img;
	return err;
}

static void test_hard_disk(void)
{
	struct catalog c;
	uint32_t lba = 0;
	elt_image *img;

	CU_ASSERT_EQUAL_FATAL(build_hdd(1, &c, &lba, &img), 0);
	CU_ASSERT_EQUAL(c.e[0].platform_or_media, 4);
	CU_ASSERT_EQUAL(c.e[0].sys_type, 0x06);
	CU_ASSERT_EQUAL(c.e[0].sectors, 1);
	CU_ASSERT_EQUAL(c.e[0].lba, lba);
	elt_image_free(img);
	CU_ASSERT_EQUAL(build_hdd(2, &c, &lba, &img), ELT_EINVAL);
	CU_ASSERT(strstr(elt_image_errmsg(img), "partitions") != NULL);
	elt_image_free(img);
	CU_ASSERT_EQUAL(build_hdd(0, &c, &lba, &img), ELT_EINVAL);
	CU_ASSERT(strstr(elt_image_errmsg(img), "no partition") != NULL);
	elt_image_free(img);
}

/* Sections: a platform change or ELT_BOOT_NEW_SECTION opens one. */
static void test_sections(void)
{
	static const char *names[4] = { "/a.img", "/b.img", "/c.img", "/d.img" };
	static const char *iso[4] = { "A.IMG;1", "B.IMG;1", "C.IMG;1", "D.IMG;1" };
	static const int plat[4] = { 0, 0, 0xEF, 0xEF };
	uint8_t *data = pattern(4000, 3), *out = NULL;
	elt_image *img = image_with(NULL, NULL, 0);
	elt_write_opts o = opts();
	struct catalog c;
	uint32_t lba[4], size;
	size_t len = 0;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	for (i = 0; i < 4; i++) {
		elt_boot_entry e = entry(names[i], ELT_EMUL_NONE);
		e.platform = plat[i];
		if (i == 1)
			e.flags = ELT_BOOT_NOT_BOOTABLE;
		if (i == 2)
			e.load_segment = 0x1000;
		CU_ASSERT_EQUAL_FATAL(elt_image_add_mem(img, names[i], data,
		                                        1000u * (i + 1)), 0);
		CU_ASSERT_EQUAL_FATAL(elt_image_add_boot(img, &e), 0);
	}
	o.publisher = "A PUBLISHER NAME LONGER THAN 23";
	CU_ASSERT_EQUAL_FATAL(build(img, &o, &out, &len), 0);
	CU_ASSERT_EQUAL_FATAL(parse_catalog(out, len, &c), 0);
	for (i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(iso_find(out, len, iso[i], &lba[i], &size), 0);
	CU_ASSERT(c.checksum_ok);
	CU_ASSERT(c.keys_ok);
	CU_ASSERT_EQUAL(memcmp(c.id, "A PUBLISHER NAME LONGER", 23), 0);
	CU_ASSERT_EQUAL(c.id[23], 0);
	CU_ASSERT_EQUAL_FATAL(c.n, 6);
	/* default entry */
	CU_ASSERT(!c.e[0].header);
	CU_ASSERT_EQUAL(c.e[0].lba, lba[0]);
	CU_ASSERT_EQUAL(c.e[0].sectors, 4);
	/* section 1: x86, one entry, not bootable */
	CU_ASSERT_EQUAL(c.e[1].indicator, 0x90);
	CU_ASSERT_EQUAL(c.e[1].platform_or_media, 0);
	CU_ASSERT_EQUAL(c.e[1].count_or_seg, 1);
	CU_ASSERT_EQUAL(c.e[2].indicator, 0x00);
	CU_ASSERT_EQUAL(c.e[2].lba, lba[1]);
	/* section 2: EFI, two entries, final */
	CU_ASSERT_EQUAL(c.e[3].indicator, 0x91);
	CU_ASSERT_EQUAL(c.e[3].platform_or_media, 0xEF);
	CU_ASSERT_EQUAL(c.e[3].count_or_seg, 2);
	CU_ASSERT_EQUAL(c.e[4].indicator, 0x88);
	CU_ASSERT_EQUAL(c.e[4].count_or_seg, 0x1000);
	CU_ASSERT_EQUAL(c.e[4].lba, lba[2]);
	CU_ASSERT_EQUAL(c.e[4].sectors, 8);
	CU_ASSERT_EQUAL(c.e[5].lba, lba[3]);
	free(out);
	free(data);
	elt_image_free(img);
}

/* ELT_BOOT_NEW_SECTION: one header per entry, as genisoimage writes. */
static void test_new_section_flag(void)
{
	uint8_t *data = pattern(2048, 4), *out = NULL;
	elt_image *img = image_with("/x.img", data, 2048);
	elt_write_opts o = opts();
	struct catalog c;
	size_t len = 0;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	for (i = 0; i < 3; i++) {
		elt_boot_entry e = entry("/x.img", ELT_EMUL_NONE);
		if (i)
			e.flags = ELT_BOOT_NEW_SECTION;
		CU_ASSERT_EQUAL_FATAL(elt_image_add_boot(img, &e), 0);
	}
	CU_ASSERT_EQUAL_FATAL(build(img, &o, &out, &len), 0);
	CU_ASSERT_EQUAL_FATAL(parse_catalog(out, len, &c), 0);
	CU_ASSERT_EQUAL_FATAL(c.n, 5);
	CU_ASSERT(!c.e[0].header);
	CU_ASSERT_EQUAL(c.e[1].indicator, 0x90);
	CU_ASSERT_EQUAL(c.e[1].count_or_seg, 1);
	CU_ASSERT(!c.e[2].header);
	CU_ASSERT_EQUAL(c.e[3].indicator, 0x91);
	CU_ASSERT_EQUAL(c.e[3].count_or_seg, 1);
	CU_ASSERT_EQUAL(c.e[4].lba, c.e[0].lba);
	free(out);
	free(data);
	elt_image_free(img);
}

static void test_efi_validation_platform(void)
{
	uint8_t *data = pattern(3000, 5), *out = NULL;
	elt_image *img = image_with("/efi.img", data, 3000);
	elt_write_opts o = opts();
	elt_boot_entry e = entry("/efi.img", ELT_EMUL_NONE);
	struct catalog c;
	size_t len = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	e.platform = ELT_PLATFORM_EFI;
	CU_ASSERT_EQUAL_FATAL(elt_image_add_boot(img, &e), 0);
	CU_ASSERT_EQUAL_FATAL(build(img, &o, &out, &len), 0);
	CU_ASSERT_EQUAL_FATAL(parse_catalog(out, len, &c), 0);
	CU_ASSERT_EQUAL(c.platform, 0xEF);
	CU_ASSERT(c.checksum_ok);
	/* genisoimage measured: 01 ef ... aa 66 55 aa */
	CU_ASSERT_EQUAL(out[(size_t)c.lba * 2048 + 28], 0xAA);
	CU_ASSERT_EQUAL(out[(size_t)c.lba * 2048 + 29], 0x66);
	CU_ASSERT_EQUAL(c.n, 1);
	CU_ASSERT_EQUAL(c.e[0].sectors, 8);
	free(out);
	free(data);
	elt_image_free(img);
}

static void test_catalog_path(void)
{
	uint8_t *data = pattern(4096, 6), *out = NULL;
	elt_image *img = image_with("/boot/x.bin", data, 4096);
	elt_write_opts o = opts();
	elt_boot_entry e = entry("/boot/x.bin", ELT_EMUL_NONE);
	struct catalog c;
	uint32_t lba, size;
	size_t len = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	/* a file already at the catalog path is replaced by the catalog */
	CU_ASSERT_EQUAL_FATAL(elt_image_add_mem(img, "/boot/boot.cat", "old", 3), 0);
	CU_ASSERT_EQUAL_FATAL(elt_image_set_catalog(img, "boot/boot.cat", 0), 0);
	CU_ASSERT_EQUAL_FATAL(elt_image_add_boot(img, &e), 0);
	CU_ASSERT_EQUAL_FATAL(build(img, &o, &out, &len), 0);
	CU_ASSERT_EQUAL_FATAL(parse_catalog(out, len, &c), 0);
	CU_ASSERT_EQUAL_FATAL(iso_find(out, len, "BOOT/BOOT.CAT;1", &lba, &size), 0);
	CU_ASSERT_EQUAL(lba, c.lba);
	CU_ASSERT_EQUAL(size, 2048);
	CU_ASSERT_NOT_EQUAL(iso_find(out, len, "BOOT.CAT;1", &lba, &size), 0);
	free(out);
	/* moved between two streams: the old one leaves the tree */
	CU_ASSERT_EQUAL_FATAL(elt_image_set_catalog(img, "/moved.cat", 0), 0);
	CU_ASSERT_EQUAL_FATAL(build(img, &o, &out, &len), 0);
	CU_ASSERT_EQUAL_FATAL(parse_catalog(out, len, &c), 0);
	CU_ASSERT_EQUAL_FATAL(iso_find(out, len, "MOVED.CAT;1", &lba, &size), 0);
	CU_ASSERT_EQUAL(lba, c.lba);
	CU_ASSERT_NOT_EQUAL(iso_find(out, len, "BOOT/BOOT.CAT;1", &lba, &size), 0);
	free(out);
	/* catalog directory missing: a clear error */
	CU_ASSERT_EQUAL(elt_image_set_catalog(img, "/nodir/boot.cat", 0), 0);
	CU_ASSERT_EQUAL(util_build(img, &o, &out, &len), ELT_ENOENT);
	CU_ASSERT(strncmp(elt_image_errmsg(img), "/nodir/boot.cat", 15) == 0);
	free(out);
	free(data);
	elt_image_free(img);
}

static void test_image_errors(void)
{
	elt_image *img = image_with("/dir/file", "x", 1);
	elt_write_opts o = opts();
	elt_boot_entry e = entry("/missing.img", ELT_EMUL_NONE);
	elt_node *n = NULL;
	uint8_t *out = NULL;
	size_t len = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	CU_ASSERT_EQUAL(elt_image_add_boot(img, &e), 0);
	CU_ASSERT_EQUAL(util_build(img, &o, &out, &len), ELT_ENOENT);
	CU_ASSERT(strncmp(elt_image_errmsg(img), "/missing.img", 12) == 0);
	free(out);
	elt_image_free(img);

	img = image_with("/dir/file", "x", 1);
	e = entry("/dir", ELT_EMUL_NONE);
	CU_ASSERT_EQUAL(elt_image_add_boot(img, &e), 0);
	CU_ASSERT_EQUAL(util_build(img, &o, &out, &len), ELT_EINVAL);
	CU_ASSERT(strstr(elt_image_errmsg(img), "regular file") != NULL);
	free(out);
	elt_image_free(img);

	img = image_with("/hidden.img", "0123456789", 10);
	CU_ASSERT_EQUAL(elt_image_lookup(&n, img, "/hidden.img"), 0);
	CU_ASSERT_EQUAL(elt_node_set_hidden(n, ELT_NS_ISO), 0);
	e = entry("/hidden.img", ELT_EMUL_NONE);
	CU_ASSERT_EQUAL(elt_image_add_boot(img, &e), 0);
	CU_ASSERT_EQUAL(util_build(img, &o, &out, &len), ELT_EINVAL);
	CU_ASSERT(strstr(elt_image_errmsg(img), "hidden") != NULL);
	free(out);
	elt_image_free(img);

	/* an info table needs 64 bytes */
	img = image_with("/tiny.img", "0123456789", 10);
	e = entry("/tiny.img", ELT_EMUL_NONE);
	e.flags = ELT_BOOT_INFO_TABLE;
	CU_ASSERT_EQUAL(elt_image_add_boot(img, &e), 0);
	CU_ASSERT_EQUAL(util_build(img, &o, &out, &len), ELT_EINVAL);
	free(out);
	elt_image_free(img);
}

static void test_grub2_info(void)
{
	size_t dlen = 4000, len = 0;
	uint8_t *data = pattern(dlen, 7), *out = NULL;
	elt_image *img = image_with("/core.img", data, dlen);
	elt_write_opts o = opts();
	elt_boot_entry e = entry("/core.img", ELT_EMUL_NONE);
	uint32_t lba, size;
	const uint8_t *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	e.flags = ELT_BOOT_GRUB2_INFO;
	CU_ASSERT_EQUAL_FATAL(elt_image_add_boot(img, &e), 0);
	CU_ASSERT_EQUAL_FATAL(build(img, &o, &out, &len), 0);
	CU_ASSERT_EQUAL_FATAL(iso_find(out, len, "CORE.IMG;1", &lba, &size), 0);
	f = out + (size_t)lba * 2048;
	CU_ASSERT_EQUAL(rd32(f + 2548), lba * 4 + 5);
	CU_ASSERT_EQUAL(rd32(f + 2552), 0);
	CU_ASSERT_EQUAL(memcmp(f, data, 2548), 0);
	CU_ASSERT_EQUAL(memcmp(f + 2556, data + 2556, dlen - 2556), 0);
	free(out);
	free(data);
	elt_image_free(img);
}

/* A boot image on disk is patched in the image only, never on disk. */
static void test_source_untouched(void)
{
	char *dir = util_tmpdir(), *path = NULL;
	size_t dlen = 6000, len = 0, i;
	uint8_t *data = pattern(dlen, 8), *out = NULL, *back;
	elt_image *img = NULL;
	elt_write_opts o = opts();
	elt_boot_entry e = entry("/isolinux.bin", ELT_EMUL_NONE);
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_FATAL(asprintf(&path, "%s/isolinux.bin", dir) > 0);
	CU_ASSERT_EQUAL_FATAL(util_write_file(path, data, dlen), 0);
	CU_ASSERT_EQUAL_FATAL(elt_image_new(&img), 0);
	CU_ASSERT_EQUAL_FATAL(elt_image_add_tree(img, "/", dir, 0), 0);
	e.flags = ELT_BOOT_INFO_TABLE;
	e.load_sectors = 4;
	CU_ASSERT_EQUAL_FATAL(elt_image_add_boot(img, &e), 0);
	CU_ASSERT_EQUAL(build(img, &o, &out, &len), 0);
	back = malloc(dlen + 1);
	f = fopen(path, "rb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	i = fread(back, 1, dlen + 1, f);
	fclose(f);
	CU_ASSERT_EQUAL(i, dlen);
	CU_ASSERT_EQUAL(memcmp(back, data, dlen), 0);
	free(back);
	free(out);
	free(data);
	free(path);
	elt_image_free(img);
	util_rm_rf(dir);
	free(dir);
}

/* A boot image whose data is shared with a hard link read before it is
 * patched all the same: both names show the patched extent. */
static void test_hardlinked_info_table(void)
{
	char *dir = util_tmpdir(), *a = NULL, *b = NULL;
	size_t dlen = 3000, len = 0;
	uint8_t *data = pattern(dlen, 10), *out = NULL;
	elt_image *img = NULL;
	elt_write_opts o = opts();
	elt_boot_entry e = entry("/z.bin", ELT_EMUL_NONE);
	uint32_t la, lz, size;

	CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
	CU_ASSERT_FATAL(asprintf(&a, "%s/a.bin", dir) > 0);
	CU_ASSERT_FATAL(asprintf(&b, "%s/z.bin", dir) > 0);
	CU_ASSERT_EQUAL_FATAL(util_write_file(b, data, dlen), 0);
	CU_ASSERT_EQUAL_FATAL(link(b, a), 0);
	CU_ASSERT_EQUAL_FATAL(elt_image_new(&img), 0);
	CU_ASSERT_EQUAL_FATAL(elt_image_add_tree(img, "/", dir, 0), 0);
	e.flags = ELT_BOOT_INFO_TABLE;
	CU_ASSERT_EQUAL_FATAL(elt_image_add_boot(img, &e), 0);
	CU_ASSERT_EQUAL_FATAL(build(img, &o, &out, &len), 0);
	CU_ASSERT_EQUAL_FATAL(iso_find(out, len, "A.BIN;1", &la, &size), 0);
	CU_ASSERT_EQUAL_FATAL(iso_find(out, len, "Z.BIN;1", &lz, &size), 0);
	CU_ASSERT_EQUAL(la, lz);
	CU_ASSERT_EQUAL(rd32(out + (size_t)lz * 2048 + 8), 16);
	CU_ASSERT_EQUAL(rd32(out + (size_t)lz * 2048 + 12), lz);
	CU_ASSERT_EQUAL(rd32(out + (size_t)lz * 2048 + 20), bi_sum(data, dlen));
	free(out);
	free(data);
	free(a);
	free(b);
	elt_image_free(img);
	util_rm_rf(dir);
	free(dir);
}

/* genisoimage's order (measured): the catalog first, then the boot images
 * in TREE order (not entry order), then the other files; an empty file
 * keeps the block it had in the unsorted order. */
static void test_data_order(void)
{
	uint8_t *data = pattern(2048, 9), *out = NULL;
	elt_image *img = image_with("/0empty", "", 0);
	elt_write_opts o = opts();
	elt_boot_entry e;
	uint32_t cat, one, two, x, empty, size;
	size_t len = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	CU_ASSERT_EQUAL_FATAL(elt_image_add_mem(img, "/x.txt", data, 100), 0);
	CU_ASSERT_EQUAL_FATAL(elt_image_add_mem(img, "/a/one.img", data, 2048), 0);
	CU_ASSERT_EQUAL_FATAL(elt_image_add_mem(img, "/b/two.img", data, 2048), 0);
	e = entry("/b/two.img", ELT_EMUL_NONE);
	CU_ASSERT_EQUAL_FATAL(elt_image_add_boot(img, &e), 0);
	e = entry("/a/one.img", ELT_EMUL_NONE);
	e.flags = ELT_BOOT_NEW_SECTION;
	CU_ASSERT_EQUAL_FATAL(elt_image_add_boot(img, &e), 0);
	CU_ASSERT_EQUAL_FATAL(build(img, &o, &out, &len), 0);
	CU_ASSERT_EQUAL_FATAL(iso_find(out, len, "BOOT.CAT;1", &cat, &size), 0);
	CU_ASSERT_EQUAL_FATAL(iso_find(out, len, "A/ONE.IMG;1", &one, &size), 0);
	CU_ASSERT_EQUAL_FATAL(iso_find(out, len, "B/TWO.IMG;1", &two, &size), 0);
	CU_ASSERT_EQUAL_FATAL(iso_find(out, len, "X.TXT;1", &x, &size), 0);
	CU_ASSERT_EQUAL_FATAL(iso_find(out, len, "0EMPTY.;1", &empty, &size), 0);
	CU_ASSERT_EQUAL(one, cat + 1);
	CU_ASSERT_EQUAL(two, cat + 2);
	CU_ASSERT_EQUAL(x, cat + 3);
	CU_ASSERT_EQUAL(empty, cat);
	free(out);
	free(data);
	elt_image_free(img);
}

/* The catalog cannot take the place of a boot image. */
static void test_catalog_is_boot_image(void)
{
	elt_image *img = image_with("/b.img", "0123456789", 10);
	elt_write_opts o = opts();
	elt_boot_entry e = entry("/b.img", ELT_EMUL_NONE);
	uint8_t *out = NULL;
	size_t len = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	CU_ASSERT_EQUAL(elt_image_add_boot(img, &e), 0);
	CU_ASSERT_EQUAL(elt_image_set_catalog(img, "/b.img", 0), 0);
	CU_ASSERT_EQUAL(util_build(img, &o, &out, &len), ELT_EEXIST);
	free(out);
	elt_image_free(img);
}

int register_tests(void)
{
	CU_pSuite s = CU_add_suite("eltorito", NULL, NULL);

	if (!s)
		return -1;
	if (!CU_add_test(s, "entry_init", test_entry_init) ||
	    !CU_add_test(s, "add_boot_args", test_add_boot_args) ||
	    !CU_add_test(s, "no_emul_info_table", test_no_emul_info_table) ||
	    !CU_add_test(s, "media_and_counts", test_media_and_counts) ||
	    !CU_add_test(s, "hard_disk", test_hard_disk) ||
	    !CU_add_test(s, "sections", test_sections) ||
	    !CU_add_test(s, "new_section_flag", test_new_section_flag) ||
	    !CU_add_test(s, "efi_validation", test_efi_validation_platform) ||
	    !CU_add_test(s, "catalog_path", test_catalog_path) ||
	    !CU_add_test(s, "image_errors", test_image_errors) ||
	    !CU_add_test(s, "grub2_info", test_grub2_info) ||
	    !CU_add_test(s, "source_untouched", test_source_untouched) ||
	    !CU_add_test(s, "data_order", test_data_order) ||
	    !CU_add_test(s, "hardlinked_info_table", test_hardlinked_info_table) ||
	    !CU_add_test(s, "catalog_is_boot_image", test_catalog_is_boot_image))
		return -1;
	return 0;
}
