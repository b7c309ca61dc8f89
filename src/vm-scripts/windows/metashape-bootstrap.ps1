# Prepares a Windows Metashape machine, the scheduler (role "server") or a Windows worker (role "node"): shared
# storage, firewall (server), Metashape, licence, and the Metashape process. Rendered by
# src/compute/windows-bootstrap.ts; the CustomScriptExtension runs it (again whenever it changes: it is idempotent),
# on the scheduler after the domain join (unpacked from the extension's command), on Windows workers from custom data.
# No secret is part of this text: the activation code is read from Key Vault with the VM's managed identity.
param([switch] $Supervise)
$ErrorActionPreference = 'Stop'
$Role = {{ROLE}}
$SchedulerIp = {{SCHEDULER_IP}}
$ComputeSubnet = {{COMPUTE_SUBNET}}
$ControlClients = @({{CONTROL_CLIENTS}})
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
$SecretRetryWindow = {{SECRET_RETRY_WINDOW}}
$AnonymousUid = {{HPC_UID}}
$AnonymousGid = {{HPC_GID}}
$InstallDir = Join-Path $env:ProgramFiles 'Agisoft\Metashape Pro'

# Two modes: without -Supervise (the CustomScriptExtension) it sets the machine up and registers the supervisor;
# with -Supervise (at every boot, from the scheduled task) it maps the shared storage and keeps Metashape running.
function Mount-SharedStorage {
  if ($StorageMode -eq 'nfs-client') {
    if (-not (Test-Path ($DataDrive + '\'))) { & mount.exe -o anon -o nolock -o mtype=hard $UncPath $DataDrive }
  } elseif ($StorageMode -eq 'smb') {
    if (-not (Get-SmbGlobalMapping -LocalPath $DataDrive -ErrorAction SilentlyContinue)) {
      New-SmbGlobalMapping -RemotePath $UncPath -LocalPath $DataDrive -Persistent $true | Out-Null
    }
  } else {
    Write-Output ('Shared storage is not mounted on Windows: ' + $StorageNote)
  }
  New-Item -ItemType Directory -Force -Path $Root | Out-Null
}

if ($Supervise) {
  # Like systemd's Restart=: map the storage (a mapping does not survive a reboot), run Metashape, and start it
  # again 30 seconds after it exits, whatever the reason.
  Start-Transcript -Path (Join-Path $env:SystemRoot 'Temp\pgm-metashape-supervisor.log') -Append | Out-Null
  $ErrorActionPreference = 'Continue'
  while ($true) {
    try {
      Mount-SharedStorage
      $process = Start-Process -FilePath (Join-Path $InstallDir $Exe) -ArgumentList $Arguments -NoNewWindow -PassThru -Wait
      Write-Output ((Get-Date -Format o) + ' Metashape exited with ' + $process.ExitCode + '; restarting in 30 s')
    } catch {
      Write-Output ((Get-Date -Format o) + ' ' + $_ + '; retrying in 30 s')
    }
    Start-Sleep -Seconds 30
  }
}

Start-Transcript -Path (Join-Path $env:SystemRoot 'Temp\pgm-metashape-bootstrap.log') -Append | Out-Null

# 1. Shared storage, as the storage interface says.
if ($StorageMode -eq 'nfs-client') {
  Install-WindowsFeature -Name NFS-Client | Out-Null
  $nfs = 'HKLM:\SOFTWARE\Microsoft\ClientForNFS\CurrentVersion\Default'
  New-ItemProperty -Path $nfs -Name AnonymousUid -Value $AnonymousUid -PropertyType DWord -Force | Out-Null
  New-ItemProperty -Path $nfs -Name AnonymousGid -Value $AnonymousGid -PropertyType DWord -Force | Out-Null
  Restart-Service -Name NfsClnt -Force
}
Mount-SharedStorage

# 2. On the server, only the compute subnet reaches the control and dispatch ports (and the listed client
#    subnets the control port only).
if ($Role -eq 'server') {
  Get-NetFirewallRule -DisplayName 'Metashape server*' -ErrorAction SilentlyContinue | Remove-NetFirewallRule
  New-NetFirewallRule -DisplayName 'Metashape server' -Direction Inbound -Protocol TCP -LocalPort 5840, 5841 `
    -RemoteAddress $ComputeSubnet -Action Allow | Out-Null
  if ($ControlClients.Count -gt 0) {
    New-NetFirewallRule -DisplayName 'Metashape server (clients)' -Direction Inbound -Protocol TCP -LocalPort 5840 `
      -RemoteAddress $ControlClients -Action Allow | Out-Null
  }
}

# 3. Metashape, from the installer URL of the configuration (https only).
if (-not (Test-Path (Join-Path $InstallDir $Exe))) {
  $msi = Join-Path $env:TEMP 'metashape.msi'
  [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
  Invoke-WebRequest -Uri $InstallerUrl -OutFile $msi -UseBasicParsing
  Start-Process -FilePath msiexec.exe -ArgumentList @('/i', $msi, '/qn', '/norestart') -Wait
}

# 4. The licence. The machine's "Key Vault Secrets User" role takes minutes to propagate after its assignment:
#    reading the code is retried with backoff (5 s doubling to 2 min) for up to $SecretRetryWindow seconds. Neither
#    the code nor the token is written to the transcript.
function Read-ActivationCode {
  $delay = 5
  $waited = 0
  $attempt = 1
  while ($true) {
    try {
      $token = (Invoke-RestMethod -Headers @{ Metadata = 'true' } -Uri 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net').access_token
      $value = (Invoke-RestMethod -Headers @{ Authorization = ('Bearer ' + $token) } -Uri ($KeyVaultUri.TrimEnd('/') + '/secrets/' + $ActivationSecret + '?api-version=7.4')).value
      if ($value) { return $value }
      $reason = 'the secret is empty'
    } catch {
      $reason = $_.Exception.Message
    }
    if ($waited -ge $SecretRetryWindow) {
      throw ('Key Vault secret ' + $ActivationSecret + ' still unreadable after ' + $attempt + ' attempts over ' + $waited + ' s: ' + $reason)
    }
    Write-Output ('attempt ' + $attempt + ': cannot read secret ' + $ActivationSecret + ' yet (' + $reason + '); retrying in ' + $delay + ' s')
    Start-Sleep -Seconds $delay
    $waited += $delay
    $delay = [Math]::Min($delay * 2, 120)
    $attempt++
  }
}
if ($Licensing -eq 'code') {
  $code = Read-ActivationCode
  & (Join-Path $InstallDir 'metashape.exe') --activate $code | Out-Null
  Remove-Variable code
} elseif ($Licensing -eq 'license-server') {
  [Environment]::SetEnvironmentVariable('AGISOFT_FLS', $LicenseServer, 'Machine')
}

# 5. The supervisor: a scheduled task that starts this script with -Supervise at boot, as SYSTEM, without a logon
#    (Metashape is not a service binary, and no third-party service wrapper is downloaded). Re-running the
#    bootstrap replaces the task and restarts Metashape with the new arguments.
$task = 'Metashape ' + $Role
$action = New-ScheduledTaskAction -Execute 'powershell.exe' -Argument ('-NoProfile -ExecutionPolicy Bypass -File "' + $PSCommandPath + '" -Supervise')
$trigger = New-ScheduledTaskTrigger -AtStartup
$settings = New-ScheduledTaskSettingsSet -RestartCount 999 -RestartInterval (New-TimeSpan -Minutes 1) -ExecutionTimeLimit ([TimeSpan]::Zero)
Stop-ScheduledTask -TaskName $task -ErrorAction SilentlyContinue
Get-Process -Name ([IO.Path]::GetFileNameWithoutExtension($Exe)) -ErrorAction SilentlyContinue | Stop-Process -Force
Register-ScheduledTask -TaskName $task -Action $action -Trigger $trigger -Settings $settings -User 'SYSTEM' -RunLevel Highest -Force | Out-Null
Start-ScheduledTask -TaskName $task
Stop-Transcript | Out-Null
