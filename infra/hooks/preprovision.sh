#!/bin/sh
# azd preprovision: record who deploys. That principal becomes PostgreSQL's Entra administrator and
# the postprovision hook connects as it, from this machine, so its public IP is let through the firewall.
set -eu

for tool in az azd; do
  command -v "$tool" >/dev/null 2>&1 || { echo "preprovision: '$tool' is required (see docs/deploy.md)" >&2; exit 1; }
done

if name=$(az ad signed-in-user show --query userPrincipalName -o tsv 2>/dev/null) && [ -n "$name" ]; then
  kind=User
else
  # signed in as a service principal (a pipeline): its display name is its PostgreSQL role name
  app_id=$(az account show --query user.name -o tsv)
  name=$(az ad sp show --id "$app_id" --query displayName -o tsv)
  kind=ServicePrincipal
fi
azd env set AZURE_PRINCIPAL_NAME "$name"
azd env set AZURE_PRINCIPAL_TYPE "$kind"

if ip=$(curl -fsS --max-time 10 https://api.ipify.org 2>/dev/null) && [ -n "$ip" ]; then
  azd env set AZURE_DEPLOYER_IP "$ip"
else
  echo "preprovision: could not find this machine's public IP; set it with 'azd env set AZURE_DEPLOYER_IP <ip>'" >&2
fi
echo "preprovision: PostgreSQL administrator will be $name ($kind)"
