#!/bin/bash
# Writes one Key Vault secret into a root-only file: keyvault-secret.sh VAULT_URI SECRET_NAME FILE. Used by the file
# servers and clients that need a shared secret (BeeGFS's connection authentication file) and by the Samba gateways
# (the domain join password, removed after the join). The machine's managed identity reads it; its "Key Vault Secrets
# User" role may take minutes to propagate, so reading is retried with backoff for RETRY_WINDOW seconds.
# The value never appears on a command line or in a log: curl prints it into a variable, printf (a builtin) writes it.
# PGM_ROOT is empty in production; the boot rehearsals (__tests__/boot) point it at a scratch directory.
set -uo pipefail
R=${PGM_ROOT:-}
RETRY_WINDOW={{RETRY_WINDOW}}

if [ "$#" -ne 3 ]; then
  echo "usage: keyvault-secret.sh VAULT_URI SECRET_NAME FILE" >&2
  exit 2
fi
vault=$1
name=$2
file=$3

{{KEYVAULT_READ}}

value=$(kv_read_secret_retrying "$vault" "$name" "$RETRY_WINDOW") || exit 1

mkdir -p "$(dirname "$R$file")"
umask 077
printf '%s' "$value" > "$R$file.new"
chmod 0400 "$R$file.new"
mv -f "$R$file.new" "$R$file"
value=''
echo "wrote secret ${name} to ${file} (root only)"
