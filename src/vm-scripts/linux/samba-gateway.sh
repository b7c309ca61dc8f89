#!/bin/bash
# Prepares a Samba gateway of a VM-based file system (GlusterFS, BeeGFS): mounts the file system (the backend's
# part below), joins the Active Directory domain with winbind, and exports /data and /home over SMB to the Windows
# scheduler and workers, as the shared user (hpcuser, uid/gid 7007) so files match what the Linux nodes write.
# The gateways sit behind an internal load balancer whose probe checks port 445. Rendered by
# src/storage/boot.ts; cloud-init runs it once at first boot, and it is safe to run again (idempotent).
# No secret is part of this text: the join password is written to a root-only file under /run by keyvault-secret.sh,
# read by `net ads join` through a file descriptor (PASSWD_FD), and removed.
# PGM_ROOT is empty in production; the boot rehearsal (__tests__/boot) points it at a scratch directory.
set -euo pipefail
R=${PGM_ROOT:-}
mkdir -p "$R/var/log"
exec > >(tee -a "$R/var/log/photogrammetry-gateway.log") 2>&1

HPC_USER={{HPC_USER}}
HPC_UID={{HPC_UID}}
HPC_GROUP={{HPC_GROUP}}
HPC_GID={{HPC_GID}}
REALM={{REALM}}
WORKGROUP={{WORKGROUP}}
JOIN_USER={{JOIN_USER}}
KEY_VAULT_URI={{KEY_VAULT_URI}}
JOIN_SECRET={{JOIN_SECRET}}
SECRET_HELPER={{SECRET_HELPER}}
HOSTS_ALLOW={{HOSTS_ALLOW}}
SHARES=({{SHARES}})

install_packages() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5 "$@"
}
apt-get update -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5
install_packages samba winbind libnss-winbind libpam-winbind krb5-user acl ca-certificates curl gnupg python3

# 1. The shared identity, so files keep uid/gid 7007 whoever writes them over SMB.
getent group "$HPC_GROUP" >/dev/null || groupadd -g "$HPC_GID" "$HPC_GROUP"
id -u "$HPC_USER" >/dev/null 2>&1 || useradd -M -u "$HPC_UID" -g "$HPC_GID" -s /usr/sbin/nologin "$HPC_USER"

# 2. The file system (the backend's part). smbd starts only with the shares' file system mounted (never exporting
#    the empty directories of the OS disk): the backend's part adds what smbd waits for to this drop-in.
DROP_IN="$R/etc/systemd/system/smbd.service.d/photogrammetry.conf"
mkdir -p "$(dirname "$DROP_IN")"
echo "[Unit]" > "$DROP_IN"
{{MOUNT_BACKEND}}
systemctl daemon-reload

# 3. Kerberos and Samba as a member of the domain (winbind; domain users map to ids from the rid backend, outside
#    the shared user's 7007).
cat > "$R/etc/krb5.conf" <<EOF2
[libdefaults]
  default_realm = ${REALM}
  dns_lookup_realm = false
  dns_lookup_kdc = true
EOF2
mkdir -p "$R/etc/samba"
{
  echo "[global]"
  echo "  workgroup = ${WORKGROUP}"
  echo "  realm = ${REALM}"
  echo "  security = ads"
  echo "  kerberos method = secrets and keytab"
  echo "  winbind use default domain = yes"
  echo "  idmap config * : backend = tdb"
  echo "  idmap config * : range = 100000-199999"
  echo "  idmap config ${WORKGROUP} : backend = rid"
  echo "  idmap config ${WORKGROUP} : range = 200000-999999"
  echo "  server min protocol = SMB3_00"
  echo "  smb encrypt = desired"
  echo "  restrict anonymous = 2"
  echo "  map to guest = never"
  echo "  hosts allow = ${HOSTS_ALLOW}"
  echo "  load printers = no"
  echo "  printing = bsd"
  echo "  printcap name = /dev/null"
  echo "  disable spoolss = yes"
  for share in "${SHARES[@]}"; do
    IFS='|' read -r name path <<<"$share"
    echo ""
    echo "[${name}]"
    echo "  path = ${path}"
    echo "  read only = no"
    echo "  force user = ${HPC_USER}"
    echo "  force group = ${HPC_GROUP}"
    echo "  create mask = 0664"
    echo "  directory mask = 2775"
  done
} > "$R/etc/samba/smb.conf.new"
mv -f "$R/etc/samba/smb.conf.new" "$R/etc/samba/smb.conf"
testparm -s "$R/etc/samba/smb.conf" >/dev/null

# 4. The domain join, once (the domain controllers answer DNS for the VNets).
if ! net ads testjoin >/dev/null 2>&1; then
  password_file=/run/photogrammetry/join-password
  "$R$SECRET_HELPER" "$KEY_VAULT_URI" "$JOIN_SECRET" "$password_file"
  joined=false
  for _ in $(seq 30); do
    if PASSWD_FD=3 net ads join -U "$JOIN_USER" 3< "$R$password_file"; then
      joined=true
      break
    fi
    sleep 20
  done
  rm -f "$R$password_file"
  [ "$joined" = "true" ] || { echo "could not join ${REALM}" >&2; exit 1; }
fi
for db in passwd group; do
  grep -qE "^${db}:.*winbind" "$R/etc/nsswitch.conf" || sed -i -E "s/^(${db}:.*)$/\1 winbind/" "$R/etc/nsswitch.conf"
done

# 5. Serve (nmbd is not needed: clients find the gateways by DNS).
systemctl enable smbd.service winbind.service
systemctl restart winbind.service smbd.service
systemctl disable --now nmbd.service || true
echo "Samba gateway ready: ${SHARES[*]}"
