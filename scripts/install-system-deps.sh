#!/bin/sh
# Debian packages the test suite needs beyond Node: the real PXE mini-cluster (qemu, iPXE ROMs,
# iPXE's network boot programs for dnsmasq's TFTP root (ipxe: undionly.kpxe, ipxe.efi),
# OpenIPMI's BMC simulator, ipmitool, dnsmasq, busybox, squashfs-tools), a single-node Slurm
# (slurmctld, slurmd, munge) and headless Chromium for the dashboard tests. Idempotent: installs
# only what is missing, so a second run costs a dpkg query. Needs root (CI and these machines run
# as root; elsewhere run it with sudo).
set -eu
PACKAGES="iproute2 openssl qemu-system-x86 ipxe-qemu ipxe openipmi ipmitool dnsmasq-base busybox-static squashfs-tools cpio
slurmctld slurmd slurm-client munge chromium"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "install-system-deps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# The mini-cluster's guest kernel comes from Debian's kernel package, unpacked, never installed.
KERNEL_DIR="$(dirname "$0")/../.cache/guest-kernel"
if [ ! -f "$KERNEL_DIR/vmlinuz" ]; then
  mkdir -p "$KERNEL_DIR/pkg"
  (cd "$KERNEL_DIR/pkg" && apt-get download -qq "$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')")
  dpkg -x "$KERNEL_DIR"/pkg/*.deb "$KERNEL_DIR/root"
  cp "$KERNEL_DIR"/root/boot/vmlinuz-* "$KERNEL_DIR/vmlinuz"
  echo "install-system-deps: guest kernel $(ls "$KERNEL_DIR"/root/boot/vmlinuz-*)"
fi
