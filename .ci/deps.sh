#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs everything the build and the test suite need on Debian 12.
set -e
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends \
  build-essential autoconf automake libtool pkg-config git \
  libcunit1-dev libburn-dev libisofs-dev \
  genisoimage xorriso faketime libarchive-tools p7zip-full python3-pycdlib \
  dumpet libcdio-utils valgrind nasm \
  qemu-system-x86 ovmf isolinux syslinux-common grub-efi-amd64-bin grub-common \
  mtools dosfstools cpio busybox-static python3 time
