#!/bin/sh
# Makes sure the Key Vault holds the API key of the deployed app and its dashboard. azure.yaml runs this after
# `azd provision` (and so after `azd up`); after `az deployment sub create`, run it with the deployment's outputs set:
#
#   AZURE_KEY_VAULT_NAME=kv-... AZURE_FUNCTION_APP_NAME=func-... AZURE_RESOURCE_GROUP=rg-... scripts/api-key.sh
#
# The app setting Duraflow__ApiKey is a Key Vault reference to the secret DURAFLOW_API_KEY_SECRET (duraflow-api-key).
# A key already in the vault is kept, so provisioning again never rotates it. A new key is 64 hex characters from
# /dev/urandom, written from a file only this user can read (never on a command line). The platform caches what a Key
# Vault reference resolved to (for up to a day) and fetches it again on any change to the app's configuration, so the
# script then sets the app setting DURAFLOW_API_KEY_SET_AT (read by nothing else; the next provisioning drops it, which
# is another change) to have the app take the new key at once. Right after the first provisioning the deployer's Key
# Vault role may not have reached the vault yet, so a refused read is retried; only "not found" creates a key.
set -eu

if ! command -v az >/dev/null 2>&1; then
  echo "api-key: the Azure CLI (az) is not installed; install it and sign in (az login), or create the Key Vault secret duraflow-api-key yourself (docs/deploy.md)" >&2
  exit 1
fi

vault="${AZURE_KEY_VAULT_NAME:?set AZURE_KEY_VAULT_NAME to the vault the deployment made (azd env get-values shows it)}"
app="${AZURE_FUNCTION_APP_NAME:?set AZURE_FUNCTION_APP_NAME to the function app the deployment made}"
group="${AZURE_RESOURCE_GROUP:?set AZURE_RESOURCE_GROUP to the deployment resource group}"
secret="${DURAFLOW_API_KEY_SECRET:-duraflow-api-key}"
attempts="${DURAFLOW_HOOK_ATTEMPTS:-12}"
pause="${DURAFLOW_HOOK_PAUSE_SECONDS:-10}"

errors="$(mktemp)"
keyfile="$(mktemp)"
trap 'rm -f "$errors" "$keyfile"' EXIT

attempt=1
while :; do
  if az keyvault secret show --vault-name "$vault" --name "$secret" --query id --output tsv >/dev/null 2>"$errors"; then
    echo "api-key: $vault holds $secret already; kept (read it: az keyvault secret show --vault-name $vault --name $secret --query value -o tsv)"
    exit 0
  fi

  if grep -q "SecretNotFound" "$errors"; then
    break
  fi

  if [ "$attempt" -ge "$attempts" ]; then
    echo "api-key: could not read $secret from $vault after $attempts attempts; the last error:" >&2
    cat "$errors" >&2
    exit 1
  fi

  echo "api-key: reading $secret from $vault failed (attempt $attempt of $attempts; a new role assignment can take minutes); retrying in ${pause}s" >&2
  attempt=$((attempt + 1))
  sleep "$pause"
done

umask 077
head -c 32 /dev/urandom | od -An -v -tx1 | tr -d ' \n' > "$keyfile"
attempt=1
until az keyvault secret set --vault-name "$vault" --name "$secret" --file "$keyfile" --encoding utf-8 --content-type "Duraflow API key" --output none 2>"$errors"; do
  if grep -q "ObjectIsDeletedButRecoverable" "$errors"; then
    echo "api-key: $vault holds a deleted $secret that soft delete keeps; recover it (az keyvault secret recover --vault-name $vault --name $secret) or purge it, then run this again" >&2
    exit 1
  fi

  if [ "$attempt" -ge "$attempts" ]; then
    echo "api-key: could not write $secret to $vault after $attempts attempts; the last error:" >&2
    cat "$errors" >&2
    exit 1
  fi

  echo "api-key: writing $secret to $vault failed (attempt $attempt of $attempts); retrying in ${pause}s" >&2
  attempt=$((attempt + 1))
  sleep "$pause"
done

az functionapp config appsettings set --resource-group "$group" --name "$app" --settings "DURAFLOW_API_KEY_SET_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)" --output none
echo "api-key: created $secret in $vault; $app takes it now; read the key with: az keyvault secret show --vault-name $vault --name $secret --query value -o tsv"
