#!/bin/bash
# Initializes the Azure CycleCloud server at first boot and starts the Metashape worker cluster. Rendered by
# src/compute/cyclecloud.ts; cloud-init runs it once (safe to run again: each step checks its own result).
# 1. waits for CycleCloud's web server;
# 2. reads the admin password from Key Vault with the VM's managed identity (retrying while the role assignment
#    propagates); it is written only into CycleCloud's one-shot account record (0600, consumed and deleted by
#    CycleCloud) and the CLI's own initialization;
# 3. registers the subscription through the managed identity (no application secret), with the storage locker;
# 4. uploads the Metashape project (its cluster-init is the processing nodes' own rendered setup), imports the
#    cluster template with the node bounds of the configuration and starts the cluster.
# PGM_ROOT is empty in production; the boot rehearsal (__tests__/boot) points it at a scratch directory.
set -euo pipefail
R=${PGM_ROOT:-}
mkdir -p "$R/var/log"
exec > >(tee -a "$R/var/log/cyclecloud-init.log") 2>&1

ADMIN_USER={{ADMIN_USER}}
KEY_VAULT_URI={{KEY_VAULT_URI}}
ADMIN_SECRET={{ADMIN_SECRET}}
RESOURCE_GROUP={{RESOURCE_GROUP}}
LOCKER_ACCOUNT={{LOCKER_ACCOUNT}}
LOCKER_CONTAINER={{LOCKER_CONTAINER}}
ACCOUNT_NAME={{ACCOUNT_NAME}}
CLUSTER_NAME={{CLUSTER_NAME}}
PROJECT_DIR={{PROJECT_DIR}}
TEMPLATE={{TEMPLATE}}
PARAMETERS={{PARAMETERS}}
RETRY_WINDOW={{RETRY_WINDOW}}
CS_DATA=/opt/cycle_server/config/data
DONE_MARKER=/var/lib/photogrammetry/cyclecloud-initialized

if [ -e "$R$DONE_MARKER" ]; then
  echo "CycleCloud is already initialized (${DONE_MARKER})"
  exit 0
fi

# Runs a command again (every 30 s, up to RETRY_WINDOW seconds) while the managed identity's role assignments propagate.
retry() {
  local waited=0
  until "$@"; do
    if [ "$waited" -ge "$RETRY_WINDOW" ]; then
      echo "giving up after ${waited} s: $1 $2" >&2
      return 1
    fi
    echo "$1 $2 failed (role assignment not propagated?); retrying in 30 s" >&2
    sleep 30
    waited=$((waited + 30))
  done
}

{{KEYVAULT_READ}}

# 1. CycleCloud's web server (the marketplace image starts it; up to 10 minutes).
for _ in $(seq 60); do
  curl -fsk --max-time 10 -o /dev/null https://localhost/health_monitor && break
  sleep 10
done

# 2. The admin password, from Key Vault through the instance metadata service (the VM's identity).
password=$(kv_read_secret_retrying "$KEY_VAULT_URI" "$ADMIN_SECRET" "$RETRY_WINDOW") || exit 1

# The subscription and region of this VM (the cluster's nodes are created there).
metadata=$(curl -fsS --max-time 30 -H Metadata:true 'http://169.254.169.254/metadata/instance/compute?api-version=2021-02-01')
subscription=$(kv_json_field subscriptionId <<<"$metadata")
location=$(kv_json_field location <<<"$metadata")

# The site and the admin account: a record file CycleCloud imports once and deletes. The password reaches python3
# on its standard input (a builtin writes it into the pipe), never on a command line.
write_account_record() {
  python3 -c '
import json, sys
password = sys.stdin.readline().rstrip("\n")
records = [
    {"AdType": "Application.Setting", "Name": "cycleserver.installation.initial_user", "Value": sys.argv[2]},
    {"AdType": "Application.Setting", "Name": "cycleserver.installation.complete", "Value": True},
    {"AdType": "Application.Setting", "Name": "distribution_method", "Category": "system", "Status": "internal", "Value": "marketplace"},
    {"AdType": "AuthenticatedUser", "Name": sys.argv[2], "RawPassword": password, "Superuser": True},
]
with open(sys.argv[1], "w") as f:
    json.dump(records, f)
' "$1" "$2"
}
umask 077
mkdir -p "$R$CS_DATA"
printf '%s\n' "$password" | write_account_record "$R$CS_DATA/photogrammetry_account.json" "$ADMIN_USER"
for _ in $(seq 60); do
  [ -e "$R$CS_DATA/photogrammetry_account.json" ] || break
  sleep 5
done
cyclecloud initialize --batch --url=https://localhost --verify-ssl=false --username="$ADMIN_USER" --password="$password"
password=''

# 3. The subscription, through the managed identity, with the locker.
mkdir -p "$R/var/lib/photogrammetry"
cat > "$R/var/lib/photogrammetry/cyclecloud-account.json" <<EOF_ACCOUNT
{
  "Name": "${ACCOUNT_NAME}",
  "Provider": "azure",
  "Environment": "public",
  "AzureRMUseManagedIdentity": true,
  "AzureRMSubscriptionId": "${subscription}",
  "ProviderId": "${subscription}",
  "Location": "${location}",
  "AzureResourceGroup": "${RESOURCE_GROUP}",
  "RMStorageAccount": "${LOCKER_ACCOUNT}",
  "RMStorageContainer": "${LOCKER_CONTAINER}",
  "AcceptMarketplaceTerms": true,
  "DefaultAccount": true
}
EOF_ACCOUNT
if ! cyclecloud account show "$ACCOUNT_NAME" >/dev/null 2>&1; then
  retry cyclecloud account create -f "$R/var/lib/photogrammetry/cyclecloud-account.json"
fi

# 4. The Metashape project (cluster-init), the cluster, and its start.
(cd "$R$PROJECT_DIR" && retry cyclecloud project upload "${ACCOUNT_NAME}-storage")
cyclecloud import_cluster "$CLUSTER_NAME" -c metashape -f "$R$TEMPLATE" -p "$R$PARAMETERS" --force
cyclecloud start_cluster "$CLUSTER_NAME"
mkdir -p "$(dirname "$R$DONE_MARKER")"
touch "$R$DONE_MARKER"
echo "CycleCloud initialized; cluster ${CLUSTER_NAME} started"
