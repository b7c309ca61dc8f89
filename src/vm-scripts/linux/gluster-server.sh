#!/bin/bash
# Prepares a GlusterFS server: its data disks striped by LVM into one XFS file system for the bricks (upstream's
# layout: XFS with 512-byte inodes, mounted inode64,noatime), a brick directory per volume, and glusterd with its
# brick ports limited to the range the NSG opens. The first server also enables gluster-form.timer, which forms the
# trusted pool and creates the volumes once every server answers (gluster-form.sh). Rendered by
# src/storage/boot.ts; cloud-init runs it once at first boot, and it is safe to run again (idempotent).
# PGM_ROOT is empty in production; the boot rehearsal (__tests__/boot) points it at a scratch directory.
set -euo pipefail
R=${PGM_ROOT:-}

{{DATA_DISKS}}

mkdir -p "$R/var/log"
exec > >(tee -a "$R/var/log/photogrammetry-gluster.log") 2>&1

DISK_COUNT={{DISK_COUNT}}
BRICK_ROOT={{BRICK_ROOT}}
VOLUMES=({{VOLUMES}})
MAX_PORT={{MAX_PORT}}
FORMS_POOL={{FORMS_POOL}}
VG=vg_bricks
LV=lv_bricks

# 1. Packages: the distribution's GlusterFS server, LVM and XFS tools.
apt-get update -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5 glusterfs-server lvm2 xfsprogs

# 2. The brick file system: every data disk (Azure's udev links by LUN) in one volume group, one LV striped over all.
if ! vgs "$VG" >/dev/null 2>&1; then
  found=$(lun_disks "$DISK_COUNT") || exit 1
  disks=()
  [ -z "$found" ] || mapfile -t disks <<<"$found"
  pvcreate -y "${disks[@]}"
  vgcreate "$VG" "${disks[@]}"
  if [ "$DISK_COUNT" -gt 1 ]; then
    lvcreate -y -l 100%FREE -i "$DISK_COUNT" -I 256k -n "$LV" "$VG"
  else
    lvcreate -y -l 100%FREE -n "$LV" "$VG"
  fi
fi
if ! blkid -t TYPE=xfs "/dev/$VG/$LV" >/dev/null 2>&1; then
  mkfs.xfs -f -i size=512 -n size=8192 "/dev/$VG/$LV"
fi
mkdir -p "$R$BRICK_ROOT"
touch "$R/etc/fstab"
grep -qs " ${BRICK_ROOT} " "$R/etc/fstab" || echo "/dev/${VG}/${LV} ${BRICK_ROOT} xfs inode64,noatime,nofail 0 0" >> "$R/etc/fstab"
mountpoint -q "$R$BRICK_ROOT" || mount "$BRICK_ROOT"
for volume in "${VOLUMES[@]}"; do
  mkdir -p "$R$BRICK_ROOT/$volume"
done

# 3. glusterd: brick ports from 49152 up to MAX_PORT, the range the file server subnet's NSG opens.
vol="$R/etc/glusterfs/glusterd.vol"
mkdir -p "$(dirname "$vol")"
touch "$vol"
if grep -Eq '^[[:space:]]*option[[:space:]]+max-port' "$vol"; then
  sed -i -E "s/^([[:space:]]*option[[:space:]]+max-port[[:space:]]+).*/\1${MAX_PORT}/" "$vol"
else
  sed -i -E "s/^([[:space:]]*type[[:space:]]+mgmt\/glusterd)[[:space:]]*$/\1\n    option max-port ${MAX_PORT}/" "$vol"
fi
systemctl enable glusterd.service
systemctl restart glusterd.service

# 4. The first server forms the pool (its own unit, retried by a timer until the volumes exist).
if [ "$FORMS_POOL" = "true" ]; then
  systemctl daemon-reload
  systemctl enable gluster-form.timer
  systemctl start --no-block gluster-form.timer gluster-form.service
fi
echo "GlusterFS server ready: bricks under ${BRICK_ROOT}"
