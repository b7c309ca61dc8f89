#!/bin/bash
# Prepares a Metashape processing node: shared POSIX identity, runtime libraries, shared file system mounts,
# Metashape, the licence set-up and the node service. Rendered by src/compute/cloud-init.ts; cloud-init runs it once
# at first boot, and it is safe to run again (idempotent).
# No secret is part of this text, and this script never handles one: the activation code is read from Key Vault by
# metashape-activate.sh (its own systemd unit, retried by a timer until the licence is in place), and a file system
# client's secret (BeeGFS's connection authentication) is written to its root-only file by keyvault-secret.sh.
# PGM_ROOT is empty in production; the boot rehearsal (__tests__/boot) points it at a scratch directory.
set -euo pipefail
R=${PGM_ROOT:-}
mkdir -p "$R/var/log"
exec > >(tee -a "$R/var/log/photogrammetry-setup.log") 2>&1

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
INSTALL_DIR={{INSTALL_DIR}}
LICENSING={{LICENSING}}
LICENSE_SERVER={{LICENSE_SERVER}}
LICENSE_DIR={{LICENSE_DIR}}
LUSTRE_CLIENT_VERSION={{LUSTRE_CLIENT_VERSION}}
CLIENT_REPOSITORY={{CLIENT_REPOSITORY}}
SECRET_HELPER={{SECRET_HELPER}}
CLIENT_SECRET_VAULT={{CLIENT_SECRET_VAULT}}
CLIENT_SECRET_NAME={{CLIENT_SECRET_NAME}}
CLIENT_SECRET_FILE={{CLIENT_SECRET_FILE}}
BEEGFS_MOUNT={{BEEGFS_MOUNT}}
NODE_ENV_FILE=/etc/default/metashape-node

# 0. The node service is enabled first, so that whatever fails below, it starts at the next boot (and restarts on
#    failure). The unit files were written by cloud-init before this script runs.
systemctl daemon-reload
systemctl enable metashape-node.service
if [ "$LICENSING" = "code" ]; then
  systemctl enable metashape-activate.timer
fi

# 1. The shared identity, so files have the same owner on every node and through the cache.
getent group "$HPC_GROUP" >/dev/null || groupadd -g "$HPC_GID" "$HPC_GROUP"
id -u "$HPC_USER" >/dev/null 2>&1 || useradd -m -u "$HPC_UID" -g "$HPC_GID" -s /bin/bash "$HPC_USER"

# 2. Packages: the libraries Metashape's Linux build loads (OpenGL/GLU, X render/input, xkbcommon, D-Bus,
#    fontconfig, OpenMP), what the licence helper uses (curl, python3), and the file system client.
# shellcheck disable=SC1091
. "$R/etc/os-release"
case " ${ID:-} ${ID_LIKE:-} " in
  *" debian "* | *" ubuntu "*) PKG=apt ;;
  *" rhel "* | *" centos "* | *" fedora "* | *" almalinux "*) PKG=dnf ;;
  *)
    echo "unsupported distribution: ${ID:-unknown} (Ubuntu/Debian with apt, or AlmaLinux/RHEL with dnf)" >&2
    exit 1
    ;;
esac
install_packages() {
  if [ "$PKG" = "apt" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5 "$@"
  else
    dnf install -y -q "$@"
  fi
}
if [ "$PKG" = "apt" ]; then
  apt-get update -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5
  install_packages ca-certificates curl gnupg python3 tar \
    libgl1 libglu1-mesa libgomp1 libxrender1 libxi6 libxext6 libsm6 libxkbcommon-x11-0 libdbus-1-3 libfontconfig1
else
  install_packages ca-certificates curl python3 tar \
    mesa-libGL mesa-libGLU libgomp libXrender libXi libXext libSM libxkbcommon-x11 dbus-libs fontconfig
fi

# The Azure Managed Lustre client as Microsoft's HPC images install it: a build per kernel from the amlfs
# repository of packages.microsoft.com (the HPC images ship it already; plain images get it here).
if [ "$FS_TYPE" = "lustre" ] && ! command -v mount.lustre >/dev/null 2>&1; then
  kernel=$(uname -r)
  if [ "$PKG" = "apt" ]; then
    mkdir -p "$R/usr/share/keyrings" "$R/etc/apt/sources.list.d"
    curl -fsSL --retry 5 https://packages.microsoft.com/keys/microsoft.asc |
      gpg --dearmor --yes -o "$R/usr/share/keyrings/microsoft-amlfs.gpg"
    echo "deb [arch=amd64 signed-by=/usr/share/keyrings/microsoft-amlfs.gpg] https://packages.microsoft.com/repos/amlfs-${VERSION_CODENAME}/ ${VERSION_CODENAME} main" \
      > "$R/etc/apt/sources.list.d/amlfs.list"
    apt-get update -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5
    # Ubuntu: the package carries the Lustre version in its name and the kernel release as its version.
    install_packages "amlfs-lustre-client-${LUSTRE_CLIENT_VERSION}=${kernel}"
  else
    mkdir -p "$R/etc/yum.repos.d"
    cat > "$R/etc/yum.repos.d/amlfs.repo" <<EOF
[amlfs]
name=Azure Managed Lustre client packages
baseurl=https://packages.microsoft.com/yumrepos/amlfs-el${VERSION_ID%%.*}
enabled=1
gpgcheck=1
gpgkey=https://packages.microsoft.com/keys/microsoft.asc
EOF
    # RHEL family: "-" becomes "_" in the Lustre version, the kernel release (without the architecture, "-" and
    # "_" as ".") is part of the name: the kmod matches the running kernel.
    kernel=${kernel%".$(uname -m)"}
    kernel=${kernel//[-_]/.}
    install_packages "amlfs-lustre-client-${LUSTRE_CLIENT_VERSION//-/_}-${kernel}-1"
  fi
fi
if [ "$FS_TYPE" = "nfs" ] && ! command -v mount.nfs >/dev/null 2>&1; then
  if [ "$PKG" = "apt" ]; then install_packages nfs-common; else install_packages nfs-utils; fi
fi
# GlusterFS's native FUSE client (the distribution's packages).
if [ "$FS_TYPE" = "glusterfs" ] && ! command -v mount.glusterfs >/dev/null 2>&1; then
  if [ "$PKG" = "apt" ]; then install_packages glusterfs-client; else install_packages glusterfs-fuse; fi
fi
# The BeeGFS client from BeeGFS's own repository for the pinned release; its kernel module is built for the running
# kernel (hence the kernel headers and a compiler) when the client service starts.
if [ "$FS_TYPE" = "beegfs" ] && [ ! -x "$R/opt/beegfs/sbin/beegfs-setup-client" ]; then
  kernel=$(uname -r)
  if [ "$PKG" = "apt" ]; then
    mkdir -p "$R/usr/share/keyrings" "$R/etc/apt/sources.list.d"
    curl -fsSL --retry 5 "${CLIENT_REPOSITORY}/gpg/GPG-KEY-beegfs" | gpg --dearmor --yes -o "$R/usr/share/keyrings/beegfs.gpg"
    echo "deb [arch=amd64 signed-by=/usr/share/keyrings/beegfs.gpg] ${CLIENT_REPOSITORY} ${VERSION_CODENAME} non-free" \
      > "$R/etc/apt/sources.list.d/beegfs.list"
    apt-get update -q -o DPkg::Lock::Timeout=600 -o Acquire::Retries=5
    install_packages beegfs-client beegfs-helperd beegfs-utils "linux-headers-${kernel}" build-essential
  else
    mkdir -p "$R/etc/yum.repos.d"
    curl -fsSL --retry 5 "${CLIENT_REPOSITORY}/dists/beegfs-rhel${VERSION_ID%%.*}.repo" -o "$R/etc/yum.repos.d/beegfs.repo"
    install_packages beegfs-client beegfs-helperd beegfs-utils "kernel-devel-${kernel}" gcc make elfutils-libelf-devel
  fi
fi

# 3. The shared file system. An export with its own address (an Azure NetApp Files volume) is mounted from it;
#    otherwise each node mounts from one server address, picked by a hash of its host name, so the nodes spread
#    over every address of the cache.
# nconnect (several TCP connections per NFS mount) needs Linux 5.3+, or the RHEL 8.3+ backport: dropped elsewhere.
nconnect_supported() {
  local release major minor el_major el_minor
  release=$(uname -r)
  major=${release%%.*}
  minor=${release#*.}
  minor=${minor%%[!0-9]*}
  if [ "$major" -gt 5 ] || { [ "$major" -eq 5 ] && [ "${minor:-0}" -ge 3 ]; }; then return 0; fi
  [ "$PKG" = "dnf" ] || return 1
  el_major=${VERSION_ID%%.*}
  el_minor=${VERSION_ID#*.}
  el_minor=${el_minor%%[!0-9]*}
  [ "$el_major" -gt 8 ] || { [ "$el_major" -eq 8 ] && [ "${el_minor:-0}" -ge 3 ]; }
}
case ",$MOUNT_OPTIONS," in
  *,nconnect=*)
    if ! nconnect_supported; then
      MOUNT_OPTIONS=$(echo ",$MOUNT_OPTIONS," | sed -E 's/,nconnect=[0-9]+,/,/; s/^,//; s/,$//')
      echo "kernel $(uname -r) has no NFS nconnect: mounting without it"
    fi
    ;;
esac
count=${#SERVER_ADDRESSES[@]}
index=0
if [ "$SPREAD" = "true" ] && [ "$count" -gt 1 ]; then
  index=$(( $(hostname | cksum | cut -d' ' -f1) % count ))
fi
server=${SERVER_ADDRESSES[$index]}
if [ "$FS_TYPE" = "beegfs" ]; then
  # BeeGFS: the client service mounts the whole file system (beegfs-mounts.conf) after the helper wrote the connection
  # authentication secret; the exports are directories in it, made once it is mounted.
  "$R$SECRET_HELPER" "$CLIENT_SECRET_VAULT" "$CLIENT_SECRET_NAME" "$CLIENT_SECRET_FILE"
  "$R/opt/beegfs/sbin/beegfs-setup-client" -m "$server"
  for conf in beegfs-client.conf beegfs-helperd.conf; do
    touch "$R/etc/beegfs/$conf"
    sed -i -E '/^[[:space:]]*connAuthFile[[:space:]]*=/d; /^[[:space:]]*connDisableAuthentication[[:space:]]*=/d' "$R/etc/beegfs/$conf"
    printf 'connAuthFile = %s\nconnDisableAuthentication = false\n' "$CLIENT_SECRET_FILE" >> "$R/etc/beegfs/$conf"
  done
  echo "${BEEGFS_MOUNT} /etc/beegfs/beegfs-client.conf" > "$R/etc/beegfs/beegfs-mounts.conf"
  mkdir -p "$R$BEEGFS_MOUNT"
  systemctl enable beegfs-helperd.service beegfs-client.service
  systemctl restart beegfs-helperd.service
  # Builds the client module for the running kernel (again after a kernel update) and mounts.
  systemctl restart beegfs-client.service || echo "beegfs-client did not start; it starts again at the next boot" >&2
  # The node starts only with BeeGFS mounted (never on the OS disk's empty directories): before every start the
  # client is started again if the file system is not there, and the node fails (and restarts 30 s later) until it is.
  mkdir -p "$R/etc/systemd/system/metashape-node.service.d"
  {
    echo "[Unit]"
    echo "After=beegfs-client.service"
    echo "[Service]"
    echo "ExecStartPre=+/bin/sh -c 'mountpoint -q ${BEEGFS_MOUNT} || systemctl start beegfs-client.service; mountpoint -q ${BEEGFS_MOUNT}'"
  } > "$R/etc/systemd/system/metashape-node.service.d/beegfs.conf"
  systemctl daemon-reload
  if mountpoint -q "$R$BEEGFS_MOUNT"; then
    for entry in "${EXPORTS[@]}"; do
      IFS='|' read -r _ mountpoint _ <<<"$entry"
      mkdir -p "$R$mountpoint"
    done
  else
    echo "BeeGFS is not mounted yet: ${DATA_MOUNT} is made when it is (the node waits for it)" >&2
  fi
fi
touch "$R/etc/fstab"
for entry in "${EXPORTS[@]}"; do
  [ "$FS_TYPE" = "beegfs" ] && break
  IFS='|' read -r path mountpoint address <<<"$entry"
  from=${address:-$server}
  mkdir -p "$R$mountpoint"
  if [ "$FS_TYPE" = "lustre" ]; then
    source="${from}@tcp:/lustrefs${path%/}"
  else
    source="${from}:${path}"
  fi
  grep -qs " ${mountpoint} " "$R/etc/fstab" || echo "${source} ${mountpoint} ${FS_TYPE} ${MOUNT_OPTIONS} 0 0" >> "$R/etc/fstab"
done
# Not fatal: the entries are _netdev mounts, and the node unit requires its mount (RequiresMountsFor), so systemd
# mounts it again before every start of the node.
[ "$FS_TYPE" = "beegfs" ] || mount -a || echo "mount -a failed; the node service mounts ${DATA_MOUNT} before it starts" >&2
# The shared user owns every export's root (a fresh NetApp volume's root belongs to root). Not fatal: where the server
# squashes root (e.g. NetApp rootSquash "home"/"all"), ownership must be prepared on the server side.
for entry in "${EXPORTS[@]}"; do
  IFS='|' read -r _ mountpoint _ <<<"$entry"
  chown "$HPC_USER:$HPC_GROUP" "$R$mountpoint" || echo "cannot chown ${mountpoint} (root squashed?): make it writable for uid ${HPC_UID}" >&2
done

# 4. Metashape, from the installer URL of the configuration (https only).
if [ ! -x "$R$INSTALL_DIR/metashape.sh" ]; then
  tarball=$(mktemp)
  curl -fsSL --retry 10 --retry-delay 10 --retry-connrefused "$INSTALLER_URL" -o "$tarball"
  mkdir -p "$R$INSTALL_DIR"
  tar -xzf "$tarball" -C "$R$INSTALL_DIR" --strip-components=1
  rm -f "$tarball"
fi

# 5. The licence. Metashape 2.x keeps its licence files in AGISOFT_LICENSING_DIR (by default a directory under
#    /var/tmp); earlier releases write metashape.lic next to the binary. Both belong to the service user, who
#    activates: a persistent licence directory, and (as the seed did) the install folder itself.
mkdir -p "$R$LICENSE_DIR"
chmod 0700 "$R$LICENSE_DIR"
chown "$HPC_USER:$HPC_GROUP" "$R$LICENSE_DIR" "$R$INSTALL_DIR"
mkdir -p "$(dirname "$R$NODE_ENV_FILE")"
{
  echo "AGISOFT_LICENSING_DIR=${LICENSE_DIR}"
  if [ "$LICENSING" = "license-server" ]; then echo "AGISOFT_FLS=${LICENSE_SERVER}"; fi
} > "$R$NODE_ENV_FILE"
chmod 0644 "$R$NODE_ENV_FILE"
case "$LICENSING" in
  code)
    # metashape-activate.service reads the code from Key Vault itself (retrying while the role assignment
    # propagates) and the timer runs it again until it succeeds. Not waited for here.
    systemctl start --no-block metashape-activate.timer metashape-activate.service
    ;;
  license-server)
    echo "licence: floating licence server ${LICENSE_SERVER}"
    ;;
  *)
    echo "no licence configured: Metashape runs unlicensed"
    ;;
esac

# 6. The GPU driver: from the image, or installed by the NvidiaGpuDriverLinux extension alongside this script.
#    Wait for it (up to 15 minutes) so the node does not start on the CPU alone.
for _ in $(seq 90); do
  nvidia-smi >/dev/null 2>&1 && break
  sleep 10
done
nvidia-smi -L || echo "no NVIDIA GPU visible yet: the node starts anyway and the service restarts on failure" >&2

# 7. Start the node (enabled in step 0). Not waited for: it starts after the first activation attempt.
systemctl start --no-block metashape-node.service
