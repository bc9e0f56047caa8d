# Windows twin of scripts/api-key.sh (azure.yaml runs it after `azd provision` on Windows): makes sure the Key Vault
# holds the API key of the deployed app, keeps a key already there, and after creating one changes an app setting
# (DURAFLOW_API_KEY_SET_AT), which makes the platform fetch the app's Key Vault references again.
$ErrorActionPreference = 'Stop'

if (-not (Get-Command az -ErrorAction SilentlyContinue)) { throw "api-key: the Azure CLI (az) is not installed; install it and sign in (az login)" }

foreach ($name in 'AZURE_KEY_VAULT_NAME', 'AZURE_FUNCTION_APP_NAME', 'AZURE_RESOURCE_GROUP') {
    if (-not [Environment]::GetEnvironmentVariable($name)) { throw "set $name (azd env get-values shows the deployment's values)" }
}

$vault = $env:AZURE_KEY_VAULT_NAME
$secret = if ($env:DURAFLOW_API_KEY_SECRET) { $env:DURAFLOW_API_KEY_SECRET } else { 'duraflow-api-key' }
$attempts = if ($env:DURAFLOW_HOOK_ATTEMPTS) { [int]$env:DURAFLOW_HOOK_ATTEMPTS } else { 12 }
$pause = if ($env:DURAFLOW_HOOK_PAUSE_SECONDS) { [int]$env:DURAFLOW_HOOK_PAUSE_SECONDS } else { 10 }

# Only "not found" creates a key: a refused read right after provisioning is a role assignment still on its way.
for ($attempt = 1; ; $attempt++) {
    $errorText = (az keyvault secret show --vault-name $vault --name $secret --query id --output tsv 2>&1 | Out-String)
    if ($LASTEXITCODE -eq 0) {
        Write-Output "api-key: $vault holds $secret already; kept"
        exit 0
    }
    if ($errorText -match 'SecretNotFound') { break }
    if ($attempt -ge $attempts) { throw "api-key: could not read $secret from ${vault}: $errorText" }
    Start-Sleep -Seconds $pause
}

$bytes = [byte[]]::new(32)
[System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
$keyFile = New-TemporaryFile
try {
    [IO.File]::WriteAllText($keyFile.FullName, [Convert]::ToHexString($bytes).ToLowerInvariant())
    for ($attempt = 1; ; $attempt++) {
        $errorText = (az keyvault secret set --vault-name $vault --name $secret --file $keyFile.FullName --encoding utf-8 --content-type 'Duraflow API key' --output none 2>&1 | Out-String)
        if ($LASTEXITCODE -eq 0) { break }
        if ($errorText -match 'ObjectIsDeletedButRecoverable') { throw "api-key: $vault holds a deleted $secret that soft delete keeps; recover it (az keyvault secret recover) or purge it, then run this again" }
        if ($attempt -ge $attempts) { throw "api-key: could not write $secret to ${vault}: $errorText" }
        Start-Sleep -Seconds $pause
    }
}
finally {
    Remove-Item $keyFile.FullName -Force
}

$setAt = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
az functionapp config appsettings set --resource-group $env:AZURE_RESOURCE_GROUP --name $env:AZURE_FUNCTION_APP_NAME --settings "DURAFLOW_API_KEY_SET_AT=$setAt" --output none
if ($LASTEXITCODE -ne 0) { throw "api-key: created $secret but could not change the settings of $($env:AZURE_FUNCTION_APP_NAME)" }
Write-Output "api-key: created $secret in $vault; $($env:AZURE_FUNCTION_APP_NAME) takes it now"
