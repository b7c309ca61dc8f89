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

json_field() {
  python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

read_secret() {
  local token
  token=$(curl -fsS --max-time 30 -H Metadata:true \
    'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net' |
    json_field access_token) || return 1
  printf 'header = "Authorization: Bearer %s"\n' "$token" |
    curl -fsS --max-time 30 -K - "${vault%/}/secrets/${name}?api-version=7.4" |
    json_field value
}

value=''
delay=5
waited=0
attempt=1
while :; do
  if value=$(read_secret) && [ -n "$value" ]; then
    break
  fi
  if [ "$waited" -ge "$RETRY_WINDOW" ]; then
    echo "secret ${name} still unreadable after ${attempt} attempts over ${waited} s" >&2
    exit 1
  fi
  echo "attempt ${attempt}: cannot read secret ${name} yet (role assignment not propagated?); retrying in ${delay} s" >&2
  sleep "$delay"
  waited=$((waited + delay))
  delay=$((delay * 2 > 120 ? 120 : delay * 2))
  attempt=$((attempt + 1))
done

mkdir -p "$(dirname "$R$file")"
umask 077
printf '%s' "$value" > "$R$file.new"
chmod 0400 "$R$file.new"
mv -f "$R$file.new" "$R$file"
value=''
echo "wrote secret ${name} to ${file} (root only) after ${attempt} attempt(s)"
