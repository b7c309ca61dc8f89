#!/bin/bash
# Prepares a Metashape processing node: shared POSIX identity, shared file system mounts, Metashape, licence,
# and the node service. Rendered by src/compute/cloud-init.ts; cloud-init runs it once at first boot.
# No secret is part of this text: the activation code is read from Key Vault with the VM's managed identity.
set -euo pipefail
exec > >(tee -a /var/log/photogrammetry-setup.log) 2>&1

HPC_USER={{HPC_USER}}
HPC_UID={{HPC_UID}}
HPC_GROUP={{HPC_GROUP}}
HPC_GID={{HPC_GID}}
FS_TYPE={{FS_TYPE}}
MOUNT_OPTIONS={{MOUNT_OPTIONS}}
SERVER_ADDRESSES=({{SERVER_ADDRESSES}})
SPREAD={{SPREAD}}
EXPORTS=({{EXPORTS}})
DATA_MOUNT={{DATA_MOUNT}}
INSTALLER_URL={{INSTALLER_URL}}
INSTALL_DIR=/opt/metashape-pro
LICENSING={{LICENSING}}
KEY_VAULT_URI={{KEY_VAULT_URI}}
ACTIVATION_SECRET={{ACTIVATION_SECRET}}
LICENSE_SERVER={{LICENSE_SERVER}}

# 1. The shared identity, so files have the same owner on every node and through the cache.
getent group "$HPC_GROUP" >/dev/null || groupadd -g "$HPC_GID" "$HPC_GROUP"
id -u "$HPC_USER" >/dev/null 2>&1 || useradd -m -u "$HPC_UID" -g "$HPC_GID" -s /bin/bash "$HPC_USER"

# 2. The shared file system. Each node mounts from one server address, picked by a hash of its host name,
#    so the nodes spread over every address of the cache.
if [ "$FS_TYPE" = "lustre" ] && ! command -v mount.lustre >/dev/null 2>&1; then
  . /etc/os-release
  curl -fsSL --retry 5 https://packages.microsoft.com/keys/microsoft.asc | gpg --dearmor -o /usr/share/keyrings/microsoft.gpg
  echo "deb [arch=amd64 signed-by=/usr/share/keyrings/microsoft.gpg] https://packages.microsoft.com/repos/amlfs-${VERSION_CODENAME}/ ${VERSION_CODENAME} main" \
    > /etc/apt/sources.list.d/amlfs.list
  apt-get update -q
  apt-get install -y -q "amlfs-lustre-client-2.15.7-$(uname -r)" || apt-get install -y -q amlfs-lustre-client
fi
if [ "$FS_TYPE" = "nfs" ] && ! command -v mount.nfs >/dev/null 2>&1; then
  apt-get install -y -q nfs-common
fi
count=${#SERVER_ADDRESSES[@]}
index=0
if [ "$SPREAD" = "true" ] && [ "$count" -gt 1 ]; then
  index=$(( $(hostname | cksum | cut -d' ' -f1) % count ))
fi
server=${SERVER_ADDRESSES[$index]}
for entry in "${EXPORTS[@]}"; do
  path=${entry%%|*}
  mountpoint=${entry#*|}
  mkdir -p "$mountpoint"
  if [ "$FS_TYPE" = "lustre" ]; then
    source="${server}@tcp:/lustrefs${path%/}"
  else
    source="${server}:${path}"
  fi
  grep -qs " ${mountpoint} " /etc/fstab || echo "${source} ${mountpoint} ${FS_TYPE} ${MOUNT_OPTIONS} 0 0" >> /etc/fstab
done
mount -a
chown "$HPC_USER:$HPC_GROUP" "$DATA_MOUNT" || true

# 3. Metashape, from the installer URL of the configuration (https only).
if [ ! -x "$INSTALL_DIR/metashape.sh" ]; then
  curl -fsSL --retry 5 "$INSTALLER_URL" -o /tmp/metashape.tar.gz
  mkdir -p "$INSTALL_DIR"
  tar -xzf /tmp/metashape.tar.gz -C "$INSTALL_DIR" --strip-components=1
  rm -f /tmp/metashape.tar.gz
fi

# 4. The licence.
: > /etc/default/metashape-node
case "$LICENSING" in
  code)
    token=$(curl -fsS -H Metadata:true \
      "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net" |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["access_token"])')
    code=$(curl -fsS -H "Authorization: Bearer ${token}" "${KEY_VAULT_URI%/}/secrets/${ACTIVATION_SECRET}?api-version=7.4" |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["value"])')
    sudo -u "$HPC_USER" "$INSTALL_DIR/metashape.sh" --activate "$code" -platform offscreen || echo "activation failed" >&2
    unset code token
    ;;
  license-server)
    echo "AGISOFT_FLS=${LICENSE_SERVER}" > /etc/default/metashape-node
    ;;
  *)
    echo "no licence configured: Metashape runs unlicensed"
    ;;
esac

# 5. The GPU driver: from the image, or installed by the NvidiaGpuDriverLinux extension alongside this script.
#    Wait for it (up to 15 minutes) so the node does not start on the CPU alone.
for _ in $(seq 90); do
  nvidia-smi >/dev/null 2>&1 && break
  sleep 10
done
nvidia-smi -L || echo "no NVIDIA GPU visible yet: the node starts anyway and the service restarts on failure" >&2

# 6. The node service (restarts on failure).
systemctl daemon-reload
systemctl enable --now metashape-node.service
