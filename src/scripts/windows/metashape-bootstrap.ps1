# Prepares a Windows Metashape machine, the scheduler (role "server") or a Windows worker (role "node"): shared
# storage, firewall (server), Metashape, licence, and the Metashape process. Rendered by
# src/compute/windows-bootstrap.ts; the scheduler runs it by azurerm_virtual_machine_run_command after the domain
# join, Windows workers from their custom data.
# No secret is part of this text: the activation code is read from Key Vault with the VM's managed identity.
$ErrorActionPreference = 'Stop'
$Role = {{ROLE}}
$SchedulerIp = {{SCHEDULER_IP}}
$ComputeSubnet = {{COMPUTE_SUBNET}}
$InstallerUrl = {{INSTALLER_URL}}
$Exe = {{EXE}}
$Arguments = @({{ARGUMENTS}})
$StorageMode = {{STORAGE_MODE}}
$UncPath = {{UNC_PATH}}
$StorageNote = {{STORAGE_NOTE}}
$DataDrive = {{DATA_DRIVE}}
$Root = {{ROOT}}
$Licensing = {{LICENSING}}
$KeyVaultUri = {{KEY_VAULT_URI}}
$ActivationSecret = {{ACTIVATION_SECRET}}
$LicenseServer = {{LICENSE_SERVER}}
$AnonymousUid = {{HPC_UID}}
$AnonymousGid = {{HPC_GID}}
$InstallDir = Join-Path $env:ProgramFiles 'Agisoft\Metashape Pro'

Start-Transcript -Path (Join-Path $env:SystemRoot 'Temp\pgm-scheduler-bootstrap.log') -Append | Out-Null

# 1. Shared storage, as the storage interface says.
if ($StorageMode -eq 'nfs-client') {
  Install-WindowsFeature -Name NFS-Client | Out-Null
  $nfs = 'HKLM:\SOFTWARE\Microsoft\ClientForNFS\CurrentVersion\Default'
  New-ItemProperty -Path $nfs -Name AnonymousUid -Value $AnonymousUid -PropertyType DWord -Force | Out-Null
  New-ItemProperty -Path $nfs -Name AnonymousGid -Value $AnonymousGid -PropertyType DWord -Force | Out-Null
  Restart-Service -Name NfsClnt -Force
  if (-not (Test-Path ($DataDrive + '\'))) { & mount.exe -o anon -o nolock -o mtype=hard $UncPath $DataDrive }
} elseif ($StorageMode -eq 'smb') {
  if (-not (Get-SmbGlobalMapping -LocalPath $DataDrive -ErrorAction SilentlyContinue)) {
    New-SmbGlobalMapping -RemotePath $UncPath -LocalPath $DataDrive -Persistent $true | Out-Null
  }
} else {
  Write-Output ('Shared storage is not mounted on Windows: ' + $StorageNote)
}
New-Item -ItemType Directory -Force -Path $Root | Out-Null

# 2. On the server, only the compute subnet reaches the control and dispatch ports.
if ($Role -eq 'server') {
  Get-NetFirewallRule -DisplayName 'Metashape server' -ErrorAction SilentlyContinue | Remove-NetFirewallRule
  New-NetFirewallRule -DisplayName 'Metashape server' -Direction Inbound -Protocol TCP -LocalPort 5840, 5841 `
    -RemoteAddress $ComputeSubnet -Action Allow | Out-Null
}

# 3. Metashape, from the installer URL of the configuration (https only).
if (-not (Test-Path (Join-Path $InstallDir $Exe))) {
  $msi = Join-Path $env:TEMP 'metashape.msi'
  [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
  Invoke-WebRequest -Uri $InstallerUrl -OutFile $msi -UseBasicParsing
  Start-Process -FilePath msiexec.exe -ArgumentList @('/i', $msi, '/qn', '/norestart') -Wait
}

# 4. The licence.
if ($Licensing -eq 'code') {
  $token = (Invoke-RestMethod -Headers @{ Metadata = 'true' } -Uri 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net').access_token
  $code = (Invoke-RestMethod -Headers @{ Authorization = ('Bearer ' + $token) } -Uri ($KeyVaultUri.TrimEnd('/') + '/secrets/' + $ActivationSecret + '?api-version=7.4')).value
  & (Join-Path $InstallDir 'metashape.exe') --activate $code
  Remove-Variable code, token
} elseif ($Licensing -eq 'license-server') {
  [Environment]::SetEnvironmentVariable('AGISOFT_FLS', $LicenseServer, 'Machine')
}

# 5. The Metashape process: started at boot as SYSTEM and restarted on failure (it has no service mode of its own).
$task = 'Metashape ' + $Role
$action = New-ScheduledTaskAction -Execute (Join-Path $InstallDir $Exe) -Argument ($Arguments -join ' ')
$trigger = New-ScheduledTaskTrigger -AtStartup
$settings = New-ScheduledTaskSettingsSet -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) -ExecutionTimeLimit ([TimeSpan]::Zero)
Register-ScheduledTask -TaskName $task -Action $action -Trigger $trigger -Settings $settings -User 'SYSTEM' -RunLevel Highest -Force | Out-Null
Start-ScheduledTask -TaskName $task
Stop-Transcript | Out-Null
