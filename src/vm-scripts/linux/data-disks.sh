# Azure data disks by LUN: a fragment rendered into the file servers' scripts (gluster-server.sh, beegfs-server.sh).

# lun_disks COUNT: waits for Azure's udev links of the data disks LUN 0..COUNT-1 (up to 15 min each: the disks are
# attached after the VM starts) and prints their devices, one per line; fails when one never appears.
lun_disks() {
  local lun link
  for lun in $(seq 0 $(($1 - 1))); do
    link="$R/dev/disk/azure/scsi1/lun${lun}"
    for _ in $(seq 180); do
      [ -e "$link" ] && break
      sleep 5
    done
    [ -e "$link" ] || { echo "data disk LUN ${lun} did not appear" >&2; return 1; }
    readlink -f "$link"
  done
}
