# Promotes this VM to a domain controller: DC-01 creates the forest, DC-02 joins it as a replica.
# Rendered by src/identity/dc-script.ts and run by azurerm_virtual_machine_run_command. The passwords arrive
# only as protected parameters of the run command: they are never part of this text.
param(
  [Parameter(Mandatory = $true)][string] $SafeModePassword,
  [string] $AdminPassword = ''
)
$ErrorActionPreference = 'Stop'
$Mode = {{MODE}}
$DomainName = {{DOMAIN_NAME}}
$NetbiosName = {{NETBIOS_NAME}}
$AdminUser = {{ADMIN_USER}}
$FirstDc = {{FIRST_DC_IP}}
$Forwarder = {{DNS_FORWARDER}}
$DataDrive = {{DATA_DRIVE}}

Start-Transcript -Path (Join-Path $env:SystemRoot 'Temp\pgm-dc-promote.log') -Append | Out-Null

if ((Get-CimInstance Win32_ComputerSystem).DomainRole -ge 4) {
  Write-Output 'Already a domain controller; nothing to do.'
  Stop-Transcript | Out-Null
  exit 0
}

# NTDS and SYSVOL go on the data disk (LUN 0, host caching None), never on the cached OS disk.
$disk = Get-Disk | Where-Object PartitionStyle -eq 'RAW' | Sort-Object Number | Select-Object -First 1
if ($disk) {
  $disk | Initialize-Disk -PartitionStyle GPT -PassThru |
    New-Partition -DriveLetter $DataDrive -UseMaximumSize |
    Format-Volume -FileSystem NTFS -NewFileSystemLabel 'ADDS' -Confirm:$false | Out-Null
}
$ntds = $DataDrive + ':\NTDS'
$sysvol = $DataDrive + ':\SYSVOL'

Install-WindowsFeature -Name AD-Domain-Services, DNS -IncludeManagementTools | Out-Null
$safeMode = ConvertTo-SecureString $SafeModePassword -AsPlainText -Force

if ($Mode -eq 'forest') {
  Install-ADDSForest -DomainName $DomainName -DomainNetbiosName $NetbiosName -DatabasePath $ntds -LogPath $ntds `
    -SysvolPath $sysvol -SafeModeAdministratorPassword $safeMode -InstallDns -NoRebootOnCompletion -Force | Out-Null
} else {
  # DC-01 restarts after creating the forest: wait until it answers LDAP and DNS for the domain.
  $deadline = (Get-Date).AddMinutes(45)
  while (-not ((Test-NetConnection -ComputerName $FirstDc -Port 389 -InformationLevel Quiet) -and
      (Resolve-DnsName -Name $DomainName -Server $FirstDc -ErrorAction SilentlyContinue))) {
    if ((Get-Date) -gt $deadline) { throw "DC-01 ($FirstDc) did not answer for $DomainName within 45 minutes" }
    Start-Sleep -Seconds 20
  }
  $password = ConvertTo-SecureString $AdminPassword -AsPlainText -Force
  $credential = New-Object System.Management.Automation.PSCredential(($NetbiosName + '\' + $AdminUser), $password)
  Install-ADDSDomainController -DomainName $DomainName -Credential $credential -DatabasePath $ntds -LogPath $ntds `
    -SysvolPath $sysvol -SafeModeAdministratorPassword $safeMode -InstallDns -NoRebootOnCompletion -Force | Out-Null
}

# Names the domain does not own (Azure Private DNS zones linked to the VNets, the Internet) go to Azure DNS.
Set-DnsServerForwarder -IPAddress $Forwarder | Out-Null

# Restart after the run command has reported success (promotion completes at boot).
shutdown.exe /r /t 60 /c 'Domain controller promotion' /d p:4:2
Stop-Transcript | Out-Null
