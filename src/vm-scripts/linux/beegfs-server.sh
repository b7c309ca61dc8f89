#!/bin/bash
# Prepares a BeeGFS server: the management, a metadata or a storage service of the pinned release from BeeGFS's own
# package repository, its targets on the data disks (managed disks or the L-series' local NVMe disks, split evenly
# into TARGET_COUNT striped volumes: ext4 for metadata, XFS for storage, as upstream tunes them), the connection
# authentication secret from Key Vault, and the service. Rendered by src/storage/boot.ts; cloud-init runs it once
# at first boot, and it is safe to run again (idempotent: a target with a format.conf is never set up again).
# PGM_ROOT is empty in production; the boot rehearsal (__tests__/boot) points it at a scratch directory.
set -euo pipefail
R=${PGM_ROOT:-}

{{DATA_DISKS}}

mkdir -p "$R/var/log"
exec > >(tee -a "$R/var/log/photogrammetry-beegfs.log") 2>&1

ROLE={{ROLE}}
MGMT_HOST={{MGMT_HOST}}
SERVER_ID={{SERVER_ID}}
TARGET_IDS=({{TARGET_IDS}})
DISK_LAYOUT={{DISK_LAYOUT}}
DISK_COUNT={{DISK_COUNT}}
REPOSITORY={{REPOSITORY}}
KEY_VAULT_URI={{KEY_VAULT_URI}}
CONNAUTH_SECRET={{CONNAUTH_SECRET}}
CONNAUTH_FILE={{CONNAUTH_FILE}}
SECRET_HELPER={{SECRET_HELPER}}

case "$ROLE" in
  management) SERVICE=beegfs-mgmtd ;;
  metadata) SERVICE=beegfs-meta ;;
  storage) SERVICE=beegfs-storage ;;
  *) echo "unknown role ${ROLE}" >&2; exit 1 ;;
esac

# 1. Packages from BeeGFS's repository for this release and the OS's codename.
# shellcheck disable=SC1091
. "$R/etc/os-release"
mkdir -p "$R/usr/share/keyrings" "$R/etc/apt/sources.list.d"
curl -fsSL --retry 5 "${REPOSITORY}/gpg/GPG-KEY-beegfs" | gpg --dearmor --yes -o "$R/usr/share/keyrings/beegfs.gpg"
echo "deb [arch=amd64 signed-by=/usr/share/keyrings/beegfs.gpg] ${REPOSITORY} ${VERSION_CODENAME} non-free" > "$R/etc/apt/sources.list.d/beegfs.list"
apt-get update -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5 "$SERVICE" beegfs-utils lvm2 xfsprogs

# 2. The connection authentication secret (root only), shared by every server and client.
"$R$SECRET_HELPER" "$KEY_VAULT_URI" "$CONNAUTH_SECRET" "$CONNAUTH_FILE"

# 3. The targets: the disks split evenly into one striped LV per target.
disks=()
if [ "$ROLE" != "management" ]; then
  if [ "$DISK_LAYOUT" = "nvme" ]; then
    for dev in "$R"/dev/nvme*n1; do [ -e "$dev" ] && disks+=("${dev#"$R"}"); done
  else
    found=$(lun_disks "$DISK_COUNT") || exit 1
    disks=()
    [ -z "$found" ] || mapfile -t disks <<<"$found"
  fi
  [ "${#disks[@]}" -gt 0 ] || { echo "no data disks found (${DISK_LAYOUT})" >&2; exit 1; }
fi
per_target=$(( ${#disks[@]} / ${#TARGET_IDS[@]} ))
touch "$R/etc/fstab"
for t in "${!TARGET_IDS[@]}"; do
  target=${TARGET_IDS[$t]}
  dir="/data/beegfs/${ROLE}${target}"
  mkdir -p "$R$dir"
  if [ "$ROLE" != "management" ]; then
    vg="vg_beegfs${target}"
    lv="/dev/${vg}/lv"
    if ! vgs "$vg" >/dev/null 2>&1; then
      group=("${disks[@]:$((t * per_target)):per_target}")
      pvcreate -y "${group[@]}"
      vgcreate "$vg" "${group[@]}"
      if [ "$per_target" -gt 1 ]; then lvcreate -y -l 100%FREE -i "$per_target" -I 512k -n lv "$vg"; else lvcreate -y -l 100%FREE -n lv "$vg"; fi
    fi
    if [ "$ROLE" = "metadata" ]; then
      blkid -t TYPE=ext4 "$lv" >/dev/null 2>&1 || mkfs.ext4 -F -i 2048 -I 512 -J size=400 -O dir_index,filetype "$lv"
      options=noatime,nodiratime,user_xattr,nofail
      fstype=ext4
    else
      blkid -t TYPE=xfs "$lv" >/dev/null 2>&1 || mkfs.xfs -f -d su=512k,sw="$per_target" -l version=2,su=512k "$lv"
      options=noatime,nodiratime,logbufs=8,logbsize=256k,largeio,inode64,swalloc,allocsize=131072k,nofail
      fstype=xfs
    fi
    grep -qs " ${dir} " "$R/etc/fstab" || echo "${lv} ${dir} ${fstype} ${options} 0 0" >> "$R/etc/fstab"
    mountpoint -q "$R$dir" || mount "$dir"
  fi
  # BeeGFS's own setup, once per target (it writes format.conf).
  if [ ! -e "$R$dir/format.conf" ]; then
    case "$ROLE" in
      management) "$R/opt/beegfs/sbin/beegfs-setup-mgmtd" -p "$dir" ;;
      metadata) "$R/opt/beegfs/sbin/beegfs-setup-meta" -p "$dir" -s "$SERVER_ID" -m "$MGMT_HOST" ;;
      storage) "$R/opt/beegfs/sbin/beegfs-setup-storage" -p "$dir" -s "$SERVER_ID" -i "$target" -m "$MGMT_HOST" ;;
    esac
  fi
done

# 4. Authentication on, then the service.
conf="$R/etc/beegfs/${SERVICE}.conf"
mkdir -p "$(dirname "$conf")"
touch "$conf"
sed -i -E '/^[[:space:]]*connAuthFile[[:space:]]*=/d; /^[[:space:]]*connDisableAuthentication[[:space:]]*=/d' "$conf"
printf 'connAuthFile = %s\nconnDisableAuthentication = false\n' "$CONNAUTH_FILE" >> "$conf"
systemctl enable "${SERVICE}.service"
systemctl restart "${SERVICE}.service"
echo "BeeGFS ${ROLE} server ready (${SERVICE})"
