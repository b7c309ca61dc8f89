#!/bin/bash
# The Linux node's boot files in one script, for orchestrators that start a node with a script instead of
# cloud-init: the Azure Batch start task and the Azure CycleCloud cluster-init. It writes exactly the files the scale
# set's cloud-config writes (node-setup.sh, the node unit, the activation helper and its units; rendered by
# src/compute/cloud-init.ts, not copied) and runs node-setup.sh, which mounts the shared file system, installs
# Metashape and starts the worker against the scheduler. Safe to run again (the setup is idempotent).
# Started by: {{STARTED_BY}}. No secret is part of this text.
# PGM_ROOT is empty in production; the boot rehearsal (__tests__/boot) points it at a scratch directory.
set -euo pipefail
R=${PGM_ROOT:-}

write_file() {
  local path=$1 mode=$2
  mkdir -p "$(dirname "$R$path")"
  cat > "$R$path"
  chown root:root "$R$path" 2>/dev/null || true
  chmod "$mode" "$R$path"
}

{{FILES}}
exec bash "$R"{{NODE_SETUP}}
