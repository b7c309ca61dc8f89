#!/bin/bash
# Activates Metashape on this node with the code stored in Key Vault. Run as root by metashape-activate.service
# (at boot, before the node starts, and every 15 minutes by metashape-activate.timer until a licence is in place);
# rendered by src/compute/cloud-init.ts.
# - The node's "Key Vault Secrets User" role is assigned only after the scale set exists and takes minutes to
#   propagate: reading the secret is retried with backoff for RETRY_WINDOW seconds, then the timer tries again.
# - The code never appears on a command line, in a log or in a file: curl prints it into a variable of this shell,
#   a builtin (printf) writes it into a pipe, and Metashape (as the service user) reads it from standard input in
#   metashape-activate.py through its Python API. The IMDS token reaches curl through its standard input too.
# PGM_ROOT is empty in production; the boot rehearsal (__tests__/boot) points it at a scratch directory.
set -uo pipefail
R=${PGM_ROOT:-}

HPC_USER={{HPC_USER}}
INSTALL_DIR={{INSTALL_DIR}}
LICENSING={{LICENSING}}
KEY_VAULT_URI={{KEY_VAULT_URI}}
ACTIVATION_SECRET={{ACTIVATION_SECRET}}
LICENSE_DIR={{LICENSE_DIR}}
ACTIVATED_MARKER={{ACTIVATED_MARKER}}
ACTIVATE_PY={{ACTIVATE_PY}}
RETRY_WINDOW={{RETRY_WINDOW}}

if [ "$LICENSING" != "code" ]; then
  echo "licensing is \"${LICENSING}\": nothing to activate"
  exit 0
fi
if [ -e "$R$ACTIVATED_MARKER" ]; then
  echo "Metashape is already activated (${ACTIVATED_MARKER})"
  exit 0
fi
if [ ! -x "$R$INSTALL_DIR/metashape.sh" ]; then
  echo "Metashape is not installed yet (${INSTALL_DIR}); the timer tries again" >&2
  exit 1
fi

{{KEYVAULT_READ}}

if ! code=$(kv_read_secret_retrying "$KEY_VAULT_URI" "$ACTIVATION_SECRET" "$RETRY_WINDOW"); then
  echo "the timer tries again" >&2
  exit 1
fi
echo "read the activation code"

# The licence directory (AGISOFT_LICENSING_DIR) belongs to the service user, who activates; node-setup.sh made it.
status=$(printf '%s\n' "$code" |
  timeout 600 runuser -u "$HPC_USER" -- env AGISOFT_LICENSING_DIR="$R$LICENSE_DIR" QT_QPA_PLATFORM=offscreen \
    "$R$INSTALL_DIR/metashape.sh" -r "$R$ACTIVATE_PY" -platform offscreen 2>&1)
status=${status//"$code"/<redacted>}
code=''
printf '%s\n' "$status"
if ! grep -q '^metashape-activation: ok' <<<"$status"; then
  echo "activation failed; the timer tries again" >&2
  exit 1
fi
mkdir -p "$(dirname "$R$ACTIVATED_MARKER")"
touch "$R$ACTIVATED_MARKER"
echo "Metashape activated; licence files in ${LICENSE_DIR}"
# A node that started unlicensed (an earlier attempt failed) restarts with the licence.
systemctl try-restart --no-block metashape-node.service || true
