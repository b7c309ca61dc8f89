# Key Vault through the VM's managed identity: a fragment rendered into every script that reads a secret
# (keyvault-secret.sh, metashape-activate.sh, cyclecloud-init.sh), so there is one copy of it.
# The value never appears on a command line or in a log: curl prints it into a variable, the bearer token goes to
# curl on standard input (-K -), never as an argument.

# Prints one field of the JSON document on standard input.
kv_json_field() {
  python3 -c 'import json, sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"
}

# kv_read_secret VAULT_URI NAME: prints the secret's value. A token for Key Vault from the instance metadata service
# (the VM's managed identity), then the secret. Fails on any HTTP error (403 while the role assignment propagates).
kv_read_secret() {
  local vault=$1 name=$2 token
  token=$(curl -fsS --max-time 30 -H Metadata:true \
    'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net' |
    kv_json_field access_token) || return 1
  printf 'header = "Authorization: Bearer %s"\n' "$token" |
    curl -fsS --max-time 30 -K - "${vault%/}/secrets/${name}?api-version=7.4" |
    kv_json_field value
}

# kv_read_secret_retrying VAULT_URI NAME WINDOW: prints the secret's value, retrying with backoff (5 s, doubling up to
# 120 s) for WINDOW seconds: the identity's "Key Vault Secrets User" role may take minutes to propagate. Progress goes
# to standard error; KV_ATTEMPTS holds the number of attempts afterwards (when not run in a subshell).
kv_read_secret_retrying() {
  local vault=$1 name=$2 window=$3 value='' delay=5 waited=0 attempt=1
  while :; do
    if value=$(kv_read_secret "$vault" "$name") && [ -n "$value" ]; then
      printf '%s' "$value"
      echo "read secret ${name} after ${attempt} attempt(s)" >&2
      return 0
    fi
    if [ "$waited" -ge "$window" ]; then
      echo "secret ${name} still unreadable after ${attempt} attempts over ${waited} s" >&2
      return 1
    fi
    echo "attempt ${attempt}: cannot read secret ${name} yet (role assignment not propagated?); retrying in ${delay} s" >&2
    sleep "$delay"
    waited=$((waited + delay))
    delay=$((delay * 2 > 120 ? 120 : delay * 2))
    attempt=$((attempt + 1))
  done
}
